// @vitest-environment happy-dom
/** Attachments as a visitor adds them — picker, drop, paste — checked before upload, then filed with the case. */
import { signal } from '@preact/signals';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFiles } from '../../widget/files';
import { en, translator } from '../../widget/strings';
import { mountApp } from '../helpers/app';
import { demoBackend } from '../helpers/widget';

// Browsers have on* properties for these events, which is how Preact learns their lower-case
// names; the simulated DOM lacks them.
for (const name of ['ondrop', 'ondragover', 'onpaste'])
  if (!(name in HTMLElement.prototype))
    Object.defineProperty(HTMLElement.prototype, name, { value: null, writable: true, configurable: true });

// Small limits make every refusal reachable with small files.
const backend = await demoBackend({
  attachments: { maxFiles: 3, maxFileBytes: 2_000, maxTotalBytes: 3_000, types: ['text/plain', 'image/png'] },
});

afterEach(cleanup);
beforeEach(() => {
  sessionStorage.clear();
  return backend.resetCases();
});

const text = (name: string, bytes: number) => new File(['x'.repeat(bytes)], name, { type: 'text/plain' });
const filled = { email: 'ann@example.com', subject: 'Screenshots', cf_9: '3', message: 'See attached.' };
const picker = () => document.querySelector<HTMLInputElement>('input[type="file"]') as HTMLInputElement;
const pick = (...files: File[]) => fireEvent.change(picker(), { target: { files } });

describe('widget attachments', () => {
  it('lists picked, dropped and pasted files with sizes and a total, and files them with the case', async () => {
    mountApp(backend.url, { prefill: filled });
    await screen.findByRole('button', { name: 'Attach files' });
    expect(picker().accept).toBe('text/plain,image/png');
    expect(screen.getByText('Up to 3 files, 2 kB each. Or drop or paste them here.')).toBeTruthy();
    pick(text('first.txt', 1_000));
    const form = document.querySelector('form') as HTMLFormElement;
    const dropped = fireEvent.drop(form, {
      dataTransfer: { files: [text('second.txt', 500)], types: ['Files'] },
    });
    expect(dropped).toBe(false); // the page does not open the file instead
    fireEvent.paste(form, { clipboardData: { files: [text('third.txt', 100)] } });
    expect(await screen.findByText('first.txt')).toBeTruthy();
    expect(screen.getByText('second.txt')).toBeTruthy();
    expect(screen.getByText('third.txt')).toBeTruthy();
    expect(screen.getByText('3 files, 1.6 kB in total')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Attach files' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Remove second.txt' }));
    await waitFor(() => expect(screen.queryByText('second.txt')).toBeNull());
    expect(screen.getByText('2 files, 1.1 kB in total')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByRole('heading', { name: 'Thank you — we received your request' });
    const [kase] = await backend.cases();
    const [message] = await backend.messages(kase?.case_id ?? 0);
    const names = ((message?.attachments ?? []) as { file_name?: string; name?: string }[]).map(
      (a) => a.file_name ?? a.name,
    );
    expect(names).toEqual(['first.txt', 'third.txt']);
    // The next request starts with no files.
    fireEvent.click(screen.getByRole('button', { name: 'Send another request' }));
    await screen.findByRole('button', { name: 'Attach files' });
    expect(screen.queryByText('first.txt')).toBeNull();
  });

  it('refuses, before any upload, files the form does not take, and says why', async () => {
    mountApp(backend.url, { prefill: filled });
    await screen.findByRole('button', { name: 'Attach files' });
    pick(text('big.txt', 2_500));
    expect((await screen.findByRole('alert')).textContent).toBe('“big.txt” is larger than 2 kB.');
    pick(new File(['%PDF-1.4'], 'report.pdf', { type: 'application/pdf' }));
    expect((await screen.findByRole('alert')).textContent).toBe('We do not accept files like “report.pdf”.');
    pick(text('a.txt', 1_500), text('b.txt', 1_600));
    expect((await screen.findByRole('alert')).textContent).toBe('The files together are larger than 2.9 kB.');
    expect(screen.getByText('a.txt')).toBeTruthy();
    pick(text('c.txt', 10), text('d.txt', 10), text('e.txt', 10));
    expect((await screen.findByRole('alert')).textContent).toBe('You can attach at most 3 files.');
    expect(screen.getByText('3 files, 1.5 kB in total')).toBeTruthy();
  });

  it('says when the server refuses a file the browser let through', async () => {
    mountApp(backend.url, { prefill: filled });
    await screen.findByRole('button', { name: 'Attach files' });
    // Claims to be text; its bytes are an executable's.
    pick(
      new File([new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00])], 'notes.txt', {
        type: 'text/plain',
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'A file was refused. Please remove it and send again.',
    );
    expect(await backend.cases()).toHaveLength(0);
  });

  it('shows each file’s share of the upload as the bytes go out', () => {
    const form = signal({
      attachments: { maxFiles: 3, maxFileBytes: 1e6, maxTotalBytes: 1e6, accept: ['text/plain'] },
    } as never);
    const files = createFiles(form, signal(translator('en', en)));
    files.add([text('a.txt', 1_000), text('b.txt', 3_000)]);
    expect(files.share(0)).toBeUndefined();
    // The body: 500 bytes of payload and part headers, then a.txt, then b.txt.
    files.uploaded(400, 4_500);
    expect([files.share(0), files.share(1)]).toEqual([0, 0]);
    files.uploaded(1_000, 4_500);
    expect([files.share(0), files.share(1)]).toEqual([0.5, 0]);
    files.uploaded(3_000, 4_500);
    expect([files.share(0), files.share(1)]).toEqual([1, 0.5]);
    files.uploaded(4_500, 4_500);
    expect([files.share(0), files.share(1)]).toEqual([1, 1]);
    files.uploaded();
    expect(files.share(1)).toBeUndefined();
  });
});
