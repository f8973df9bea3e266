import { beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanFileName, sniffType } from '../../../../server/intake/attachments';
import { startBackend, validValues } from '../../../helpers/backend';
import { openSocket } from '../../../helpers/raw-http';
import { listen, PATIENCE } from '../../../helpers/serve';

const t = await startBackend();
beforeEach(() => t.sim.state.reset());

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1,
  8, 6, 0, 0, 0,
]);
const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const EXE = new Uint8Array([
  0x4d,
  0x5a,
  0x90,
  0,
  3,
  0,
  0,
  0,
  4,
  0,
  0,
  0,
  0xff,
  0xff,
  0,
  0,
  ...new Uint8Array(48),
]);

/** A multipart submission: the JSON body as `payload`, files as `attachments`. */
async function sendFiles(
  files: { name: string; type: string; bytes: Uint8Array | string }[],
  values = validValues(),
  headers: Record<string, string> = {},
) {
  const { formToken } = await t.getForm();
  const form = new FormData();
  form.append('payload', JSON.stringify({ formToken, values }));
  for (const f of files)
    form.append('attachments', new Blob([f.bytes as BlobPart], { type: f.type }), f.name);
  return t.app.request('/v1/forms/support/submissions', { method: 'POST', body: form, headers });
}
const codeOf = async (r: Response) => ((await r.json()) as { error: { code: string } }).error.code;

describe('attachments', () => {
  it('passes files on to the case, typed by their content rather than by what the browser claimed', async () => {
    const answer = await sendFiles([
      { name: 'screen.png', type: 'image/png', bytes: PNG },
      { name: 'invoice.png', type: 'image/png', bytes: PDF },
      { name: 'log.txt', type: 'application/octet-stream', bytes: 'line one\nline two\n' },
    ]);
    expect(answer.status).toBe(201);
    const kase = t.sim.state.cases[0]!;
    expect(kase.attachments.map((a) => [a.file_name, a.mime_type, a.data.byteLength])).toEqual([
      ['screen.png', 'image/png', PNG.byteLength],
      ['invoice.png', 'application/pdf', PDF.byteLength],
      ['log.txt', 'text/plain', 18],
    ]);
    expect(kase.custom_fields).toMatchObject({ cf_9: '2' });
  });

  it.each([
    [
      'an executable named like an image',
      [{ name: 'cat.png', type: 'image/png', bytes: EXE }],
      415,
      'ATTACHMENT_TYPE_NOT_ALLOWED',
    ],
    [
      'a script by its name',
      [{ name: 'run.sh', type: 'text/plain', bytes: 'echo hi\n' }],
      415,
      'ATTACHMENT_TYPE_NOT_ALLOWED',
    ],
    [
      'markup that could run in a browser',
      [{ name: 'page.html', type: 'text/html', bytes: '<script>x</script>' }],
      415,
      'ATTACHMENT_TYPE_NOT_ALLOWED',
    ],
    [
      'binary data of no known type',
      [{ name: 'blob.bin', type: 'application/octet-stream', bytes: new Uint8Array([0, 1, 2, 3, 255]) }],
      415,
      'ATTACHMENT_TYPE_NOT_ALLOWED',
    ],
    [
      'more files than the form takes',
      Array.from({ length: 4 }, (_, i) => ({ name: `${i}.txt`, type: 'text/plain', bytes: 'x' })),
      422,
      'TOO_MANY_ATTACHMENTS',
    ],
    [
      'a file over the per-file limit',
      [{ name: 'big.txt', type: 'text/plain', bytes: new Uint8Array(10 * 1024 * 1024 + 1).fill(97) }],
      413,
      'ATTACHMENT_TOO_LARGE',
    ],
    [
      'files over the total limit',
      [0, 1, 2].map((i) => ({
        name: `${i}.txt`,
        type: 'text/plain',
        bytes: new Uint8Array(7 * 1024 * 1024).fill(97),
      })),
      413,
      'ATTACHMENT_TOO_LARGE',
    ],
  ])('refuses %s and files nothing', async (_, files, status, code) => {
    const answer = await sendFiles(files);
    expect(answer.status).toBe(status);
    expect(await codeOf(answer)).toBe(code);
    expect(t.sim.state.cases).toHaveLength(0);
  });

  it('refuses files on a form that takes none', async () => {
    const { DEMO_CONFIG } = await import('../../../helpers/backend');
    const { attachments: _, ...noFiles } = DEMO_CONFIG.forms[0];
    const b = await startBackend({ config: { forms: [noFiles] } });
    expect((await b.getForm()).form).toMatchObject({ attachments: null });
    const { formToken } = await b.getForm();
    const form = new FormData();
    form.append('payload', JSON.stringify({ formToken, values: validValues() }));
    form.append('attachments', new Blob(['x']), 'a.txt');
    const answer = await b.app.request('/v1/forms/support/submissions', { method: 'POST', body: form });
    expect(await codeOf(answer)).toBe('TOO_MANY_ATTACHMENTS');
  });

  it('refuses a multipart body without its payload part', async () => {
    const form = new FormData();
    form.append('attachments', new Blob(['x']), 'a.txt');
    const answer = await t.app.request('/v1/forms/support/submissions', { method: 'POST', body: form });
    expect(answer.status).toBe(400);
    expect(await codeOf(answer)).toBe('BAD_REQUEST');
  });

  it('refuses a body over the configured limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const b = await startBackend({ config: { limits: { bodyBytes: 4096 } } });
    const answer = await b.submit(validValues({ message: 'x'.repeat(5000) }));
    expect(answer.status).toBe(413);
    expect(await codeOf(answer)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('cuts off a chunked body past the limit as it streams, without holding it', async () => {
    const b = await startBackend({ config: { limits: { bodyBytes: 4096 } } });
    let sent = 0;
    // A body with no Content-Length that never ends: it must be refused once 4 kB went by.
    const endless = new ReadableStream<Uint8Array>({
      pull(stream) {
        sent += 1024;
        stream.enqueue(new Uint8Array(1024).fill(120));
      },
    });
    const answer = await b.app.request('/v1/forms/support/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: endless,
      duplex: 'half',
    } as RequestInit);
    expect(answer.status).toBe(413);
    expect(await codeOf(answer)).toBe('PAYLOAD_TOO_LARGE');
    expect(sent).toBeLessThan(64 * 1024);
  });

  it('refuses an address over its limit before reading a byte of its body', async () => {
    const b = await startBackend({ config: { limits: { submissions: { limit: 1, windowSeconds: 60 } } } });
    const ip = { 'x-test-ip': '198.51.100.200' };
    expect((await b.submit(validValues(), { headers: ip })).status).toBe(201);
    let read = 0;
    const never = new ReadableStream<Uint8Array>({
      pull() {
        read += 1;
        return new Promise(() => {}); // the upload stalls: nothing more ever comes
      },
    });
    const answer = await b.app.request('/v1/forms/support/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...ip },
      body: never,
      duplex: 'half',
    } as RequestInit);
    expect(answer.status).toBe(429);
    expect(read).toBeLessThanOrEqual(1);
  });
});

describe('an upload cut off mid-body', () => {
  it('is a 400-class event for a visitor who left, not an error: no error line, nothing stored', async () => {
    const b = await startBackend();
    const served = await listen(b.app.fetch);
    const socket = await openSocket(Number(new URL(served.url).port));
    const closed = new Promise((done) => socket.once('close', done));
    const boundary = 'cut-off-boundary';
    const { formToken } = await b.getForm();
    const start = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="payload"',
      '',
      JSON.stringify({ formToken, values: validValues() }),
      `--${boundary}`,
      'Content-Disposition: form-data; name="attachments"; filename="big.txt"',
      'Content-Type: text/plain',
      '',
      'x'.repeat(64 * 1024),
    ].join('\r\n');
    socket.write(
      [
        'POST /v1/forms/support/submissions HTTP/1.1',
        'Host: 127.0.0.1',
        `Content-Type: multipart/form-data; boundary=${boundary}`,
        `Content-Length: ${2 * 1024 * 1024}`,
        '',
        start,
      ].join('\r\n'),
    );
    // Half a megabyte of the promised two, and the visitor's connection is gone.
    socket.write('x'.repeat(512 * 1024), () => socket.destroy());
    await closed;
    await vi.waitFor(
      () => expect(b.logs.some((l) => l.includes('"path":"/v1/forms/support/submissions"'))).toBe(true),
      PATIENCE,
    );
    const line = JSON.parse(b.logs.find((l) => l.includes('/submissions')) ?? '{}') as { status: number };
    expect(line.status).toBe(400);
    expect(b.logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);
    expect(await b.outbox.stats()).toMatchObject({ pending: 0, dead: 0 });
    expect(b.sim.state.cases).toHaveLength(0);
  });
});

describe('attachments and Idempotency-Key', () => {
  it('takes a file of other bytes under the same name and size as other content (409), not a repeat', async () => {
    const key = { 'idempotency-key': 'files-key-0001' };
    const first = await sendFiles(
      [{ name: 'log.txt', type: 'text/plain', bytes: 'aaaa\n' }],
      validValues(),
      key,
    );
    expect(first.status).toBe(201);
    const again = await sendFiles(
      [{ name: 'log.txt', type: 'text/plain', bytes: 'aaaa\n' }],
      validValues(),
      key,
    );
    expect(await again.json()).toEqual(await first.json());
    const other = await sendFiles(
      [{ name: 'log.txt', type: 'text/plain', bytes: 'bbbb\n' }],
      validValues(),
      key,
    );
    expect(other.status).toBe(409);
    expect(await codeOf(other)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(t.sim.state.cases).toHaveLength(1);
  });
});

describe('markup in disguise', () => {
  const HTML = '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>';
  const SVG = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
  it.each([
    ['HTML named as text', 'notes.txt', HTML],
    ['HTML named as an image', 'photo.png', HTML],
    ['HTML whose name ends in a dot', 'x.html.', 'hello'],
    ['HTML whose name hides a zero-width space', 'x.htm\u200b', 'hello'],
    ['a name that hides its extension behind a right-to-left override', 'report\u202egnp.html', 'hello'],
    ['SVG with a script named as an image', 'logo.png', SVG],
    ['a bare script element in text', 'readme.txt', 'see <script src="https://evil.example/x.js"></script>'],
  ])('refuses %s', async (_, name, bytes) => {
    const answer = await sendFiles([{ name, type: 'text/plain', bytes }]);
    expect(answer.status).toBe(415);
    expect(await codeOf(answer)).toBe('ATTACHMENT_TYPE_NOT_ALLOWED');
    expect(t.sim.state.cases).toHaveLength(0);
  });

  it('takes text that merely mentions markup', async () => {
    const answer = await sendFiles([
      { name: 'log.txt', type: 'text/plain', bytes: 'if a < b and html is broken, see <b>bold</b>\n' },
    ]);
    expect(answer.status).toBe(201);
  });
});

describe('file names and types', () => {
  it('strips paths and control characters from names', () => {
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('C:\\Users\\a\\report?.pdf')).toBe('report_.pdf');
    expect(cleanFileName('bad\u0000name\n.txt')).toBe('bad_name_.txt');
    expect(cleanFileName('')).toBe('file');
    expect(cleanFileName('x.html. . ')).toBe('x.html');
    expect(cleanFileName('a\u200bb\u202ec.txt')).toBe('abc.txt');
  });

  it('sniffs by content', async () => {
    expect(await sniffType(PNG, 'x.jpg')).toBe('image/png');
    expect(await sniffType(new TextEncoder().encode('a,b\n1,2\n'), 'data.csv')).toBe('text/csv');
    expect(await sniffType(new Uint8Array([0x00, 0x01, 0x02, 0x10]), 'x.txt')).toBeUndefined();
  });
});
