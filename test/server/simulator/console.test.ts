/** The simulator's agent console: cases with their fields and files; status, public reply and internal note by plain forms. */
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../helpers/serve';

const sim = await startSimulator({ rpm: 1_000_000 });
const client = sim.client();

/** The console as a browser shows it, and the token its forms carry. */
async function openConsole() {
  const page = await (await fetch(`${sim.url}/console`)).text();
  const token = /<input type="hidden" name="token" value="([0-9a-f]+)">/.exec(page)?.[1];
  return { page, token: token ?? '' };
}

/** A post as the console's own form sends it: from its origin, with its token. */
const form = (fields: Record<string, string>, headers: Record<string, string> = { origin: sim.url }) => ({
  method: 'POST',
  headers,
  body: new URLSearchParams(fields),
  redirect: 'manual' as const,
});

describe('simulator agent console', () => {
  it('lists cases with their fields, messages and attachments, escaping what visitors wrote', async () => {
    const created = await client.createCase(
      {
        user_email: 'ann@example.com',
        user_full_name: 'Ann <b>Example</b>',
        subject: 'Parcel <script>alert(1)</script>',
        content: 'Where is it?',
        custom_fields: { cf_9: '2', cf_12: true },
        labels: [101],
        language_id: 2,
      },
      [{ name: 'photo.png', type: 'image/png', data: new Uint8Array([137, 80, 78, 71]) }],
    );
    const { page } = await openConsole();
    expect(page).toContain(`${created.case_number} — Parcel &lt;script&gt;alert(1)&lt;/script&gt;`);
    expect(page).not.toContain('<script>');
    expect(page).toContain('Ann &lt;b&gt;Example&lt;/b&gt;');
    expect(page).toMatch(/<dt>Topic<\/dt><dd>Delivery<\/dd>/);
    expect(page).toContain('<dd>web-form</dd>');
    expect(page).toContain('<dd>English</dd>');
    // The link is the address Deskie gives for the file, which opens it.
    const link = /href="(\/files\/[^"]+)">photo\.png<\/a> \(image\/png, 4 bytes\)/.exec(page)?.[1];
    expect(`${sim.url}${link}`).toBe(created.attachments?.[0]?.url);
    expect((await fetch(`${sim.url}${link}`)).status).toBe(200);
  });

  it('styles itself from a file of its own, with no inline style', async () => {
    const { page } = await openConsole();
    expect(page).toContain('<link rel="stylesheet" href="/console/console.css">');
    expect(page).not.toMatch(/<style|style="/);
    const css = await fetch(`${sim.url}/console/console.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('.note {');
  });

  it('changes a status, posts a public reply and an internal note — what the API then shows', async () => {
    const [kase] = sim.sim.state.cases;
    const id = kase?.case_id ?? 0;
    const { token } = await openConsole();
    const moved = await fetch(`${sim.url}/console/cases/${id}/status`, form({ status: 'waiting', token }));
    expect(moved.status).toBe(303);
    expect(moved.headers.get('location')).toBe('/console');
    await fetch(
      `${sim.url}/console/cases/${id}/messages`,
      form({ content: 'It ships today.', kind: 'reply', token }),
    );
    await fetch(
      `${sim.url}/console/cases/${id}/messages`,
      form({ content: 'Courier late again', kind: 'note', token }),
    );
    expect((await client.getCase(String(id))).status).toBe('waiting');
    const messages = sim.sim.state.messagesOf(kase!);
    expect(messages.slice(-2).map((m) => [m.content, m.note, m.staff_id > 0])).toEqual([
      ['It ships today.', false, true],
      ['Courier late again', true, true],
    ]);
    const { page } = await openConsole();
    expect(page).toContain('Public reply · Demo Agent');
    expect(page).toContain('Internal note · Demo Agent');
    const lost = await fetch(`${sim.url}/console/cases/${id}/status`, form({ status: 'lost', token }));
    expect(lost.status).toBe(400);
    expect(((await lost.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    const nowhere = await fetch(`${sim.url}/console/cases/99999/messages`, form({ content: 'x', token }));
    expect(nowhere.status).toBe(400);
  });

  it("lets an agent reply with files, as the page's form sends them; the API lists and serves them", async () => {
    const [kase] = sim.sim.state.cases;
    const { page, token } = await openConsole();
    expect(page).toContain('enctype="multipart/form-data"');
    expect(page).toContain('<input type="file" name="attachments" multiple>');
    const body = new FormData();
    body.append('token', token);
    body.append('content', 'The label to print is attached.');
    body.append('kind', 'reply');
    body.append('attachments', new Blob(['%PDF-1.4 label'], { type: 'application/pdf' }), 'label.pdf');
    const sent = await fetch(`${sim.url}/console/cases/${kase!.case_id}/messages`, {
      method: 'POST',
      headers: { origin: sim.url },
      body,
      redirect: 'manual',
    });
    expect(sent.status).toBe(303);
    const { items } = await client.listMessages(kase!.case_id, { order: 'desc', limit: 1 });
    expect(items[0]).toMatchObject({ content: 'The label to print is attached.', note: false });
    const [file] = items[0]?.attachments ?? [];
    expect(file).toMatchObject({ file_name: 'label.pdf', mime_type: 'application/pdf', file_size: 14 });
    expect(await (await fetch(file!.url)).text()).toBe('%PDF-1.4 label');
    // A reply with no file chosen: the browser still sends an empty part, which is no file.
    const plain = new FormData();
    plain.append('token', token);
    plain.append('content', 'No file this time.');
    plain.append('kind', 'reply');
    plain.append('attachments', new Blob([]), '');
    await fetch(`${sim.url}/console/cases/${kase!.case_id}/messages`, {
      method: 'POST',
      headers: { origin: sim.url },
      body: plain,
      redirect: 'manual',
    });
    const { items: latest } = await client.listMessages(kase!.case_id, { order: 'desc', limit: 1 });
    expect(latest[0]).toMatchObject({ content: 'No file this time.', attachments: [] });
  });

  describe('takes posts from its own page only', () => {
    /** What a post can change: the status and the thread of the first case. */
    const snapshot = () => {
      const [kase] = sim.sim.state.cases;
      return { status: kase?.status, messages: kase ? sim.sim.state.messagesOf(kase).length : 0 };
    };
    const id = () => sim.sim.state.cases[0]?.case_id ?? 0;

    it.each([
      ['another site, with the token', { origin: 'https://evil.example' }, true],
      ['another site, by Sec-Fetch-Site', { 'sec-fetch-site': 'cross-site' }, true],
      ['no origin at all', {}, true],
      ['its own origin, without the token', { origin: sim.url }, false],
    ])(
      'refuses a post from %s: 403, nothing changes',
      async (_, headers: Record<string, string>, withToken) => {
        const { token } = await openConsole();
        const before = snapshot();
        const fields: Record<string, string> = withToken ? { token } : {};
        for (const [path, body] of [
          ['status', { status: before.status === 'closed' ? 'open' : 'closed' }],
          ['messages', { content: 'Your refund is approved', kind: 'reply' }],
        ] as const) {
          const answer = await fetch(
            `${sim.url}/console/cases/${id()}/${path}`,
            form({ ...body, ...fields }, headers),
          );
          expect(answer.status).toBe(403);
          expect(await answer.json()).toEqual({
            error: {
              code: 'ORIGIN_NOT_ALLOWED',
              message: 'The console takes changes from its own page only: reload it and try again.',
            },
          });
        }
        expect(snapshot()).toEqual(before);
      },
    );

    it('refuses a wrong token from its own origin, and takes the right one by Sec-Fetch-Site', async () => {
      const { token } = await openConsole();
      const wrong = token.replace(/^./, (c) => (c === '0' ? '1' : '0'));
      const refused = await fetch(
        `${sim.url}/console/cases/${id()}/status`,
        form({ status: 'closed', token: wrong }),
      );
      expect(refused.status).toBe(403);
      expect(snapshot().status).not.toBe('closed');
      const taken = await fetch(
        `${sim.url}/console/cases/${id()}/status`,
        form({ status: 'closed', token }, { 'sec-fetch-site': 'same-origin' }),
      );
      expect(taken.status).toBe(303);
      expect(snapshot().status).toBe('closed');
    });
  });
});
