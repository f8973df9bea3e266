/**
 * Support's files in the status answer and their download through the backend: listed by name and
 * size behind a link of the backend's own, served as a download with a type that cannot run, and
 * refused — the same 404 — to anyone whose link was not given by a status answer of that case.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createTokens } from '../../../../server/core/tokens';
import type { NewFile } from '../../../../server/simulator/state';
import { DEMO_CONFIG, SECRET, startBackend, validValues } from '../../../helpers/backend';

const t = await startBackend({ config: { lookups: { cacheSeconds: 30 } } });
beforeEach(() => t.sim.state.reset());

const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13]);
const newFile = (file_name: string, mime_type: string, data: Uint8Array | string): NewFile => ({
  file_name,
  mime_type,
  data: typeof data === 'string' ? new TextEncoder().encode(data) : data,
});

interface Status {
  replies: { text: string; attachments?: { name: string; size: number; url: string }[] }[];
}

/** A case filed through the form, an agent's reply with `files`, and the visitor's lookup token. */
async function answeredWith(files: NewFile[], backend = t) {
  const filed = (await (await backend.submit(validValues())).json()) as {
    caseNumber: string;
    lookupToken: string;
  };
  const kase = backend.sim.state.findCase(filed.caseNumber)!;
  const reply = backend.sim.state.addMessage(kase, { staff_id: 1 }, 'See the files.', files);
  return { ...filed, kase, reply };
}

const status = async (token: string, backend = t) =>
  (await (await backend.lookup({ token })).json()) as Status;

describe("support's files", () => {
  it('are listed with name and size behind a backend link, and download as Deskie has them', async () => {
    const { lookupToken } = await answeredWith([newFile('label.png', 'image/png', PNG)]);
    const { replies } = await status(lookupToken);
    expect(replies).toEqual([
      {
        author: 'Support',
        text: 'See the files.',
        createdAt: expect.any(String),
        attachments: [{ name: 'label.png', size: PNG.byteLength, url: expect.any(String) }],
      },
    ]);
    const url = replies[0]!.attachments![0]!.url;
    expect(url).toMatch(/^\/v1\/forms\/support\/files\/[\w-]+\.[\w-]+$/);
    // Nothing of where Deskie keeps it: not its address, not its id and key.
    const [deskieFile] = t.sim.state.messages.at(-1)!.attachments;
    const text = JSON.stringify(replies);
    expect(text).not.toContain(t.simUrl);
    expect(text).not.toContain(deskieFile!.key);
    const before = t.sim.stats.requests;
    const download = await t.app.request(url);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PNG);
    expect(Object.fromEntries(download.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-disposition': `attachment; filename="label.png"; filename*=UTF-8''label.png`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, no-store',
      'content-length': String(PNG.byteLength),
    });
    // The replies were read for the status answer a moment ago: no further API call.
    expect(t.sim.stats.requests).toBe(before);
  });

  it('serves what a browser could run as plain bytes, under a name it cannot misread', async () => {
    const { lookupToken } = await answeredWith([
      newFile('report "final"\u202e.html', 'text/html', '<script>alert(1)</script>'),
      newFile('счёт №5.pdf', 'application/pdf', '%PDF-1.4'),
    ]);
    const [html, pdf] = (await status(lookupToken)).replies[0]!.attachments!;
    const page = await t.app.request(html!.url);
    expect(page.headers.get('content-type')).toBe('application/octet-stream');
    expect(page.headers.get('content-disposition')).toBe(
      `attachment; filename="report _final_.html"; filename*=UTF-8''report%20_final_.html`,
    );
    const invoice = await t.app.request(pdf!.url);
    expect(invoice.headers.get('content-type')).toBe('application/pdf');
    expect(invoice.headers.get('content-disposition')).toBe(
      `attachment; filename="____ _5.pdf"; filename*=UTF-8''${encodeURIComponent('счёт №5.pdf')}`,
    );
  });

  it("reads the case's replies once when the link outlives the cache", async () => {
    const { lookupToken } = await answeredWith([newFile('a.txt', 'text/plain', 'hello')]);
    const { url } = (await status(lookupToken)).replies[0]!.attachments![0]!;
    t.clock.advance(31_000);
    const before = t.sim.stats.requests;
    const download = await t.app.request(url);
    expect(await download.text()).toBe('hello');
    expect(t.sim.stats.requests - before).toBe(1);
  });

  describe('refusals', () => {
    const NOT_FOUND = { error: { code: 'NOT_FOUND', message: 'No request matches these details.' } };
    const signed = createTokens(SECRET);

    it('an altered, forged or foreign link: the same 404 as every miss', async () => {
      const { lookupToken, kase } = await answeredWith([newFile('a.txt', 'text/plain', 'secret')]);
      const { url } = (await status(lookupToken)).replies[0]!.attachments![0]!;
      const link = url.split('/').pop()!;
      const claim = signed.file.read(link)!;
      const other = createTokens('another-secret-another-secret-another').file.issue(claim);
      for (const bad of [
        `${url}x`,
        url.replace(/\.(.)/, (_, c: string) => `.${c === 'A' ? 'B' : 'A'}`),
        `/v1/forms/support/files/${other}`,
        `/v1/forms/support/files/${signed.lookup.issue({ formId: 'support', receipt: 'sub_x', case: { id: kase.case_id, number: kase.case_number } })}`,
        '/v1/forms/support/files/garbage',
      ]) {
        const answer = await t.app.request(bad);
        expect(answer.status, bad).toBe(404);
        expect(await answer.json()).toEqual(NOT_FOUND);
      }
    });

    it("another person's case, an internal note's file, another form: 404 even when signed", async () => {
      const mine = await answeredWith([newFile('mine.txt', 'text/plain', 'mine')]);
      const theirs = await answeredWith([newFile('theirs.txt', 'text/plain', 'theirs')]);
      const note = t.sim.state.addNote(theirs.kase, 1, 'internal', [
        newFile('n.txt', 'text/plain', 'internal'),
      ]);
      const expiresAt = t.clock.now() + 60_000;
      const link = (formId: string, caseId: number, messageId: number, fileId: number) =>
        `/v1/forms/${formId}/files/${signed.file.issue({ formId, caseId, messageId, fileId, expiresAt })}`;
      for (const bad of [
        // My case, their message's file.
        link('support', mine.kase.case_id, theirs.reply.message_id, theirs.reply.attachments[0]!.file_id),
        // Their case, their internal note's file.
        link('support', theirs.kase.case_id, note.message_id, note.attachments[0]!.file_id),
        // The visitor's own first message is not a reply of support's.
        link('support', mine.kase.case_id, t.sim.state.messagesOf(mine.kase)[0]!.message_id, 1),
      ]) {
        const answer = await t.app.request(bad);
        expect(answer.status).toBe(404);
        expect(await answer.text()).not.toMatch(/theirs|internal/);
      }
      const b = await startBackend({
        config: { forms: [DEMO_CONFIG.forms[0], { ...DEMO_CONFIG.forms[0], id: 'sales' }] },
      });
      const filed = await answeredWith([newFile('a.txt', 'text/plain', 'x')], b);
      const { url } = (await status(filed.lookupToken, b)).replies[0]!.attachments![0]!;
      expect((await b.app.request(url.replace('/support/', '/sales/'))).status).toBe(404);
      expect((await b.app.request(url)).status).toBe(200);
    });

    it('an expired link: 410 LINK_EXPIRED, and a fresh lookup gives a fresh one', async () => {
      const { lookupToken } = await answeredWith([newFile('a.txt', 'text/plain', 'late')]);
      const { url } = (await status(lookupToken)).replies[0]!.attachments![0]!;
      t.clock.advance(3600_001);
      const expired = await t.app.request(url);
      expect(expired.status).toBe(410);
      expect(((await expired.json()) as { error: { code: string } }).error.code).toBe('LINK_EXPIRED');
      const fresh = (await status(lookupToken)).replies[0]!.attachments![0]!.url;
      expect(await (await t.app.request(fresh)).text()).toBe('late');
    });

    it('counts against the per-address lookup limit', async () => {
      const b = await startBackend({ config: { limits: { lookups: { limit: 2, windowSeconds: 60 } } } });
      const { lookupToken } = await answeredWith([newFile('a.txt', 'text/plain', 'x')], b);
      const ip = { 'x-test-ip': '203.0.113.9' };
      const body = (await (await b.lookup({ token: lookupToken }, ip)).json()) as Status;
      const url = body.replies[0]!.attachments![0]!.url;
      expect((await b.app.request(url, { headers: ip })).status).toBe(200);
      // The lookup and the download were two: a third of either is one too many.
      const third = await b.app.request(url, { headers: ip });
      expect(third.status).toBe(429);
      expect(((await third.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    });

    it('Deskie unreachable: 503 DESKIE_UNAVAILABLE, nothing of Deskie in the answer', async () => {
      const { lookupToken } = await answeredWith([newFile('a.txt', 'text/plain', 'x')]);
      const { url } = (await status(lookupToken)).replies[0]!.attachments![0]!;
      t.clock.advance(31_000);
      t.sim.setFaults({ errorRate: 1 });
      const answer = await t.app.request(url);
      t.sim.setFaults({ errorRate: 0 });
      expect(answer.status).toBe(503);
      const text = await answer.text();
      expect(JSON.parse(text).error.code).toBe('DESKIE_UNAVAILABLE');
      expect(text).not.toContain(t.simUrl);
    });
  });
});
