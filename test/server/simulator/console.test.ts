/** The simulator's agent console: cases with their fields and files; status, public reply and internal note by plain forms. */
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../helpers/serve';

const sim = await startSimulator({ rpm: 1_000_000 });
const client = sim.client();

const form = (fields: Record<string, string>) => ({
  method: 'POST',
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
    const page = await (await fetch(`${sim.url}/console`)).text();
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

  it('changes a status, posts a public reply and an internal note — what the API then shows', async () => {
    const [kase] = sim.sim.state.cases;
    const id = kase?.case_id ?? 0;
    const moved = await fetch(`${sim.url}/console/cases/${id}/status`, form({ status: 'waiting' }));
    expect(moved.status).toBe(303);
    expect(moved.headers.get('location')).toBe('/console');
    await fetch(
      `${sim.url}/console/cases/${id}/messages`,
      form({ content: 'It ships today.', kind: 'reply' }),
    );
    await fetch(
      `${sim.url}/console/cases/${id}/messages`,
      form({ content: 'Courier late again', kind: 'note' }),
    );
    expect((await client.getCase(String(id))).status).toBe('waiting');
    const messages = sim.sim.state.messagesOf(kase!);
    expect(messages.slice(-2).map((m) => [m.content, m.note, m.staff_id > 0])).toEqual([
      ['It ships today.', false, true],
      ['Courier late again', true, true],
    ]);
    const page = await (await fetch(`${sim.url}/console`)).text();
    expect(page).toContain('Public reply · Demo Agent');
    expect(page).toContain('Internal note · Demo Agent');
    expect((await fetch(`${sim.url}/console/cases/${id}/status`, form({ status: 'lost' }))).status).toBe(400);
    expect((await fetch(`${sim.url}/console/cases/99999/messages`, form({ content: 'x' }))).status).toBe(400);
  });
});
