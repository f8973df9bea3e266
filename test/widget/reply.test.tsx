// @vitest-environment happy-dom
/**
 * The conversation in the status view: support's reply and its file, downloaded through the
 * backend; the visitor's reply with a file, in the case once even when the line is cut while it
 * goes; and every refusal told in words.
 */
import { get } from 'node:http';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountApp } from '../helpers/app';
import { demoBackend, visitorLine } from '../helpers/widget';

const backend = await demoBackend({
  attachments: { maxFiles: 3, maxFileBytes: 2_000, maxTotalBytes: 3_000, types: ['text/plain', 'image/png'] },
  replies: { closed: 'refuse' },
});

afterEach(cleanup);
beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  return backend.resetCases();
});

const filled = {
  email: 'ann@example.com',
  subject: 'Where is my parcel?',
  cf_9: '2',
  message: 'A week late.',
};

/** Files a request from a widget on `endpoint`, then opens its status. */
async function fileAndFollow(endpoint = backend.url, prefill = filled) {
  const mounted = mountApp(endpoint, { prefill });
  fireEvent.click(await screen.findByRole('button', { name: 'Send' }));
  await screen.findByRole('heading', { name: 'Thank you — we received your request' });
  const kase = (await backend.cases()).at(-1);
  return { ...mounted, kase: kase ?? { case_id: 0, case_number: '' } };
}

const openStatus = async (number: string) => {
  fireEvent.click(screen.getByRole('button', { name: 'Check status' }));
  await screen.findByRole('heading', { name: `Request ${number}` });
};

/** A GET as a browser's download would make it: status, headers and the bytes. */
const download = (url: string) =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject);
  });

const replyBox = () => within(screen.getByRole('form', { name: 'Reply' }));
const pick = (...files: File[]) =>
  fireEvent.change(document.querySelector('#df-reply-files') as HTMLInputElement, { target: { files } });
/** The reply box's summary of why a reply was not taken. */
const refusal = (words: string) =>
  waitFor(() => expect(document.querySelector('.df-reply-box .df-summary')?.textContent).toBe(words));
const say = (text: string) =>
  fireEvent.input(replyBox().getByLabelText('Your message'), { target: { value: text } });

describe('the conversation', () => {
  it('shows support’s file, downloads it through the backend, and adds the visitor’s reply with a file', async () => {
    const { kase } = await fileAndFollow();
    await backend.replyWithFile(kase.case_id, 'Here is the label.', {
      name: 'label.txt',
      type: 'text/plain',
      data: Buffer.from(`LABEL-${'1'.repeat(1530)}`),
    });
    await openStatus(kase.case_number);
    expect(screen.getByText('Here is the label.')).toBeTruthy();
    const link = screen.getByRole('link', { name: 'Download label.txt' }) as HTMLAnchorElement;
    expect(link.href.startsWith(`${backend.url}/v1/forms/support/files/`)).toBe(true);
    expect(link.href).not.toContain('demo-key');
    expect(link.nextElementSibling?.textContent).toBe('1.5 kB');
    const file = await download(link.href);
    expect(file.status).toBe(200);
    expect(String(file.headers['content-disposition'])).toMatch(/^attachment/);
    expect(file.body).toBe(`LABEL-${'1'.repeat(1530)}`);

    say('Thanks, the receipt is attached.');
    pick(new File(['RECEIPT'], 'receipt.txt', { type: 'text/plain' }));
    await replyBox().findByText('receipt.txt');
    fireEvent.click(replyBox().getByRole('button', { name: 'Send reply' }));
    expect(await screen.findByText('Your reply was added to the request.')).toBeTruthy();
    const messages = await backend.messages(kase.case_id);
    const mine = messages.filter((m) => String(m.content).includes('Thanks, the receipt is attached.'));
    expect(mine).toHaveLength(1);
    expect(JSON.stringify(mine[0]?.attachments)).toContain('receipt.txt');
  });

  it('files a reply once when the line is cut before its answer, and the visitor sends it again', async () => {
    const line = await visitorLine(backend.url);
    const { kase } = await fileAndFollow(line.url());
    await openStatus(kase.case_number);
    say('Still waiting.');
    const replies = () => line.crossed.filter((c) => c.method === 'POST' && c.path.endsWith('/replies'));
    line.hold((c) => c.method === 'POST' && c.path.endsWith('/replies'));
    fireEvent.click(replyBox().getByRole('button', { name: 'Send reply' }));
    await waitFor(() => expect(replies()[0]?.status).toBe(201));
    await line.cut();
    await refusal('We could not reach the server. Please check your connection and try again.');
    line.release();
    await line.restore();
    fireEvent.click(replyBox().getByRole('button', { name: 'Send reply' }));
    expect(await screen.findByText('Your reply was added to the request.')).toBeTruthy();
    const sent = replies();
    expect(sent).toHaveLength(2);
    expect(await screen.findByText('Still waiting.')).toBeTruthy();
    expect(screen.getAllByText(/^You · /)).toHaveLength(1);
    expect(sent[1]?.key).toBe(sent[0]?.key);
    const messages = await backend.messages(kase.case_id);
    expect(messages.filter((m) => String(m.content).includes('Still waiting.'))).toHaveLength(1);
  });

  it('refuses an oversize file before upload, a closed case, and another person’s case or a forged token', async () => {
    const first = await fileAndFollow();
    cleanup();
    const { state, kase } = await fileAndFollow(backend.url, { ...filled, email: 'bob@example.com' });
    await openStatus(kase.case_number);
    pick(new File(['x'.repeat(2_001)], 'big.txt', { type: 'text/plain' }));
    expect((await replyBox().findByRole('alert')).textContent).toBe('“big.txt” is larger than 2 kB.');

    const lookup = state.later.value?.lookup;
    if (!lookup) throw new Error('no lookup');
    say('Let me in.');
    const notFound = 'We found no request with that number and email.';
    await lookup.reply.send({ caseNumber: first.kase.case_number, email: 'bob@example.com' });
    await refusal(notFound);
    await lookup.reply.send({ token: 'forged.token' });
    await refusal(notFound);
    expect(JSON.stringify(await backend.messages(first.kase.case_id))).not.toContain('Let me in.');

    await backend.setStatus(kase.case_id, 'closed');
    fireEvent.click(replyBox().getByRole('button', { name: 'Send reply' }));
    await refusal('This request is closed. Please send a new request instead.');
  });
});
