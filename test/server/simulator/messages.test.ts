/**
 * Messages with files over real HTTP, as independent clients send them: numbered
 * `message[attachments][n]` (Deskie's docs, PHP clients) or `message[attachments][]` (Faraday) —
 * stored and served like a case's files, with the same limits; what a customer message does to a
 * case's status; single groups and staff.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../helpers/serve';

const sim = await startSimulator({ rpm: 1_000_000 });
const MB = 1024 * 1024;

interface Attached {
  file_id: number;
  file_name: string;
  file_size: number;
  mime_type: string;
  url: string;
}
interface Message {
  message_id: number;
  user_id: number;
  staff_id: number;
  content: string;
  note: boolean;
  attachments: Attached[];
}

/** A new case by ann@example.com, as Deskie answers it. */
async function newCase() {
  const answer = await sim.raw('/api/cases.json', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ case: { user_email: 'ann@example.com', subject: 'Help me', content: 'Details' } }),
  });
  return ((await answer.json()) as { case: { case_id: number; case_number: string; user_id: number } }).case;
}

/** A multipart message: its fields under `message[…]`, its files under the names given. */
function messageForm(fields: Record<string, string>, files: [name: string, blob: Blob, filename: string][]) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(`message[${key}]`, value);
  for (const [name, blob, filename] of files) form.append(name, blob, filename);
  return form;
}

const post = (caseRef: string | number, body: FormData, path = 'messages.json') =>
  sim.raw(`/api/cases/${caseRef}/${path}`, { method: 'POST', body });

/** The case's messages as GET messages.json lists them, oldest first. */
async function thread(caseId: number): Promise<Message[]> {
  const list = (await (await sim.raw(`/api/cases/${caseId}/messages.json`)).json()) as Record<
    string,
    unknown
  >;
  return Object.keys(list)
    .filter((k) => /^\d+$/.test(k))
    .map((k) => (list[k] as { message: Message }).message);
}

describe('message attachments', () => {
  beforeEach(() => sim.sim.state.reset());

  it('stores a customer reply with a numbered file, lists it and serves it at its url', async () => {
    const kase = await newCase();
    const photo = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]);
    const answer = await post(
      kase.case_id,
      messageForm({ user_id: String(kase.user_id), content: 'Here is the label.' }, [
        ['message[attachments][1]', new Blob([photo], { type: 'image/png' }), 'label.png'],
      ]),
    );
    expect(answer.status).toBe(201);
    const { message } = (await answer.json()) as { message: Message };
    expect(message.attachments).toEqual([
      {
        file_id: expect.any(Number),
        file_name: 'label.png',
        file_size: photo.byteLength,
        mime_type: 'image/png',
        url: expect.stringMatching(new RegExp(`^${sim.url}/files/\\d+/[0-9a-f]{32}/label\\.png$`)),
      },
    ]);
    const [, reply] = await thread(kase.case_id);
    expect(reply).toMatchObject({ user_id: kase.user_id, staff_id: 0, content: 'Here is the label.' });
    expect(reply?.attachments).toEqual(message.attachments);
    const served = await fetch(message.attachments[0]!.url);
    expect(served.status).toBe(200);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(photo);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''label.png");
  });

  it('takes files named [] (Faraday) and numbered from 0, by case number too', async () => {
    const kase = await newCase();
    const appended = await post(
      kase.case_number,
      messageForm({ user_id: String(kase.user_id), content: 'Two files' }, [
        ['message[attachments][]', new Blob(['first']), 'a.txt'],
        ['message[attachments][]', new Blob(['second!']), 'b.txt'],
      ]),
    );
    expect(appended.status).toBe(201);
    const zero = await post(
      kase.case_id,
      messageForm({ user_id: String(kase.user_id), content: 'From zero' }, [
        ['message[attachments][0]', new Blob(['x']), 'c.txt'],
      ]),
    );
    expect(zero.status).toBe(201);
    const [, two, one] = await thread(kase.case_id);
    expect(two?.attachments.map((f) => [f.file_name, f.file_size])).toEqual([
      ['a.txt', 5],
      ['b.txt', 7],
    ]);
    expect(one?.attachments.map((f) => f.file_name)).toEqual(['c.txt']);
    expect(await (await fetch(two!.attachments[1]!.url)).text()).toBe('second!');
  });

  it('stores an agent reply and an internal note with their files', async () => {
    const kase = await newCase();
    const reply = await post(
      kase.case_id,
      messageForm({ staff_id: '1', content: 'The invoice, attached.' }, [
        [
          'message[attachments][1]',
          new Blob(['%PDF-1.4 invoice'], { type: 'application/pdf' }),
          'invoice.pdf',
        ],
      ]),
    );
    expect(reply.status).toBe(201);
    const note = new FormData();
    note.append('note[staff_id]', '1');
    note.append('note[content]', 'For us only');
    note.append('note[attachments][1]', new Blob(['internal']), 'notes.txt');
    expect((await post(kase.case_id, note, 'note.json')).status).toBe(201);
    const [, agent, internal] = await thread(kase.case_id);
    expect(agent).toMatchObject({ staff_id: 1, note: false });
    expect(agent?.attachments.map((f) => [f.file_name, f.mime_type])).toEqual([
      ['invoice.pdf', 'application/pdf'],
    ]);
    expect(internal).toMatchObject({ note: true });
    expect(internal?.attachments.map((f) => f.file_name)).toEqual(['notes.txt']);
  });

  it('refuses a file over 25 MB and files over 50 MB in all, storing nothing', async () => {
    const kase = await newCase();
    const user = { user_id: String(kase.user_id), content: 'Big' };
    const big = await post(
      kase.case_id,
      messageForm(user, [['message[attachments][1]', new Blob([new Uint8Array(25 * MB + 1)]), 'big.bin']]),
    );
    expect(big.status).toBe(400);
    expect(await big.json()).toEqual({ error: 'file_too_large' });
    const many = await post(
      kase.case_id,
      messageForm(
        user,
        [1, 2, 3].map((i) => [`message[attachments][${i}]`, new Blob([new Uint8Array(17 * MB)]), `${i}.bin`]),
      ),
    );
    expect([400, 413]).toContain(many.status);
    expect(await many.json()).toEqual({ error: 'files_too_large' });
    expect(await thread(kase.case_id)).toHaveLength(1);
    expect(sim.sim.state.files.size).toBe(0);
  });
});

describe('a customer message and the case status', () => {
  it.each(['open', 'waiting', 'closed'] as const)(
    'is added to a %s case and leaves its status as it is',
    async (status) => {
      const kase = await newCase();
      await sim.raw(`/api/cases/${kase.case_id}.json`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ case: { status } }),
      });
      const answer = await post(
        kase.case_id,
        messageForm({ user_id: String(kase.user_id), content: 'Me again' }, []),
      );
      expect(answer.status).toBe(201);
      const read = (await (await sim.raw(`/api/cases/${kase.case_id}.json`)).json()) as {
        case: { status: string };
      };
      expect(read.case.status).toBe(status);
    },
  );
});

describe('single groups and staff', () => {
  it('answers GET /api/groups/{id}.json and /api/staff/{id}.json, 404 for an unknown id', async () => {
    const group = await sim.raw('/api/groups/44.json');
    expect(group.status).toBe(200);
    expect(await group.json()).toEqual({
      group: {
        group_id: 44,
        group_title: expect.any(String),
        group_from_name: expect.any(String),
        group_signature: '',
        active: true,
        created_at: expect.stringMatching(/\+0000$/),
        updated_at: expect.stringMatching(/\+0000$/),
      },
    });
    const staff = await sim.raw('/api/staff/1.json');
    expect(staff.status).toBe(200);
    expect(((await staff.json()) as { staff: Record<string, unknown> }).staff).toMatchObject({
      staff_id: 1,
      staff_email: 'demo@example.com',
      active: true,
    });
    for (const [path, error] of [
      ['/api/groups/999.json', 'group_not_found'],
      ['/api/staff/999.json', 'staff_not_found'],
    ]) {
      const missing = await sim.raw(path!);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error });
    }
  });
});
