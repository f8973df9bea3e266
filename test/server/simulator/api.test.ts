import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../server/core/clock';
import { createSimulator, type SimulatorOptions } from '../../../server/simulator/app';

const AUTH = `Basic ${btoa('demo@example.com:demo-key')}`;

function setup(options: SimulatorOptions = {}) {
  const sim = createSimulator({ rpm: 100_000, ...options });
  const call = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', AUTH);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return sim.app.request(path, { ...init, headers, body });
  };
  const create = (fields: Record<string, unknown> = {}, signal?: AbortSignal) =>
    call('/api/cases.json', {
      method: 'POST',
      signal,
      json: {
        case: { user_email: 'ann@example.com', subject: 'Help me please', content: 'Details', ...fields },
      },
    });
  return { sim, call, create };
}

const json = async (r: Response) => (await r.json()) as Record<string, unknown>;
/** Yields to the event loop until `done()` holds: waits for what the simulator does, however long it takes. */
const until = async (done: () => boolean) => {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
};

describe('authentication', () => {
  const { call } = setup();
  it.each([
    ['no credentials', '', 401, 'wrong_api_key'],
    ['a wrong key', `Basic ${btoa('demo@example.com:nope')}`, 401, 'wrong_api_key'],
    ['an unknown staff email', `Basic ${btoa('who@example.com:demo-key')}`, 403, 'wrong_staff_email'],
    ['an inactive staff member', `Basic ${btoa('former@example.com:demo-key')}`, 403, 'wrong_staff_email'],
  ])('%s is refused', async (_, authorization, status, error) => {
    const answer = await call('/api/cases.json', { headers: { authorization } });
    expect(answer.status).toBe(status);
    expect(await answer.json()).toEqual({ error });
  });
});

describe('rate limits', () => {
  let now = 0;
  const clock: Clock = { now: () => now, sleep: async () => {} };

  it('sends the headers on every answer; a write costs 2, a read 1; 429 past the plan', async () => {
    now = 1_000;
    const { call, create } = setup({ rpm: undefined, plan: 'basic', agents: 4, clock });
    const read = await call('/api/labels.json');
    expect(read.headers.get('rate_limit_per_minute')).toBe('20');
    expect(read.headers.get('api_calls_left')).toBe('19');
    expect(read.headers.get('retry_after')).toBeNull();
    const write = await create();
    expect(write.headers.get('api_calls_left')).toBe('17');
    const missing = await call('/api/cases/999.json');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('api_calls_left')).toBe('16');
    for (let i = 0; i < 8; i++) await create();
    const last = await call('/api/labels.json');
    expect(last.headers.get('api_calls_left')).toBe('0');
    expect(last.headers.get('retry_after')).toBe('59');
    const refused = await create();
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: 'rate_limit_exceeded' });
    expect(refused.headers.get('retry_after')).toBe('59');
    // The next minute refreshes the budget.
    now = 60_000;
    expect((await create()).status).toBe(201);
  });

  it('scales retry_after with a compressed window', async () => {
    now = 100;
    const { create } = setup({ rpm: 2, windowMs: 600, clock });
    await create();
    const refused = await create();
    expect(refused.status).toBe(429);
    // 500 ms left of a 600 ms "minute" = 50 Deskie-seconds.
    expect(refused.headers.get('retry_after')).toBe('50');
  });

  it('derives the limit from plan and agents', () => {
    expect(createSimulator({ plan: 'standard', agents: 100 }).limiter.rpm).toBe(500);
    expect(createSimulator({ plan: 'pro', agents: 100 }).limiter.rpm).toBe(1000);
    expect(createSimulator({ plan: 'basic', agents: 1 }).limiter.rpm).toBe(20);
  });
});

describe('cases', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
  });

  it.each([
    ['a bad email', { user_email: 'nope' }, 'incorrect_user_email'],
    ['no subject', { subject: ' ' }, 'empty_subject'],
    ['no content', { content: '' }, 'empty_content'],
    ['an unknown custom field', { custom_fields: { cf_999: 'x' } }, 'custom_field_not_found'],
    ['a select key that is not an option', { custom_fields: { cf_9: '7' } }, 'incorrect_custom_field_value'],
    [
      'a date that is not YYYY-MM-DD',
      { custom_fields: { cf_14: '01.11.2026' } },
      'incorrect_custom_field_value',
    ],
    [
      'a checkbox that is not a boolean',
      { custom_fields: { cf_12: 'maybe' } },
      'incorrect_custom_field_value',
    ],
    ['an unknown label', { labels: [999] }, 'label_not_found'],
    ['an unknown language', { language_id: 77 }, 'language_not_found'],
    ['an unknown group', { group_id: 77 }, 'group_not_found'],
    ['an unknown priority', { priority: 'urgent' }, 'incorrect_priority'],
  ])('refuses %s with 400 {"error":"%s"}', async (_, fields, error) => {
    const answer = await t.create(fields);
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error });
    expect(t.sim.state.cases).toHaveLength(0);
  });

  it('refuses a body that is not JSON or has no case', async () => {
    for (const body of ['{not json', JSON.stringify({ subject: 'x' })]) {
      const answer = await t.call('/api/cases.json', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(answer.status).toBe(400);
      expect(await answer.json()).toEqual({ error: 'incorrect_data' });
    }
  });

  it('takes plain text from content_html when content is absent, and keeps user-level fields on the user', async () => {
    const answer = await t.create({
      content: undefined,
      content_html: '<p>Hello <b>there</b></p>',
      custom_fields: { cf_20: '50' },
    });
    expect(answer.status).toBe(201);
    const kase = t.sim.state.cases[0]!;
    expect(t.sim.state.messagesOf(kase)[0]?.content).toBe('Hello there');
    expect(kase.custom_fields).toEqual({});
    expect(t.sim.state.users[0]?.custom_fields).toEqual({ cf_20: '50' });
  });

  it('finds a case by number and answers case_not_found for an unknown one', async () => {
    const { case: created } = (await (await t.create()).json()) as {
      case: { case_number: string; case_id: number };
    };
    expect(
      ((await json(await t.call(`/api/cases/${created.case_number}.json`))).case as { case_id: number })
        .case_id,
    ).toBe(created.case_id);
    const missing = await t.call('/api/cases/123-456789.json');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'case_not_found' });
  });

  it('searches with ^ anchors: exact, prefix, suffix, substring; too short is refused', async () => {
    for (const email of ['me@gmail.com', 'abcme@gmail.com', 'me@gmail.com.evil.org'])
      await t.create({ user_email: email });
    const count = async (q: string) =>
      (await json(await t.call(`/api/cases.json?user_email=${encodeURIComponent(q)}`))).total_count;
    expect(await count('^me@gmail.com^')).toBe(1);
    expect(await count('^me@gmail')).toBe(2);
    expect(await count('gmail.com^')).toBe(2);
    expect(await count('me@gmail.com')).toBe(3);
    const short = await t.call('/api/cases.json?user_email=me');
    expect(short.status).toBe(400);
    expect(await short.json()).toEqual({ error: 'search_string_too_short' });
    expect((await json(await t.call('/api/cases.json?subject=HELP%20me'))).total_count).toBe(3);
  });

  it('filters by custom field: text by substring, select by key, checkbox by flag', async () => {
    await t.create({ custom_fields: { cf_5: 'ORDER-12', cf_9: '1', cf_12: true } });
    await t.create({ custom_fields: { cf_5: 'ORDER-34', cf_9: '2', cf_12: false } });
    const ids = async (q: string) =>
      Object.values(await json(await t.call(`/api/cases.json?${q}`)))
        .filter((v) => typeof v === 'object')
        .map((v) => (v as { case: { custom_fields: Record<string, unknown> } }).case.custom_fields.cf_5);
    expect(await ids('custom_fields[cf_5]=DER-3')).toEqual(['ORDER-34']);
    expect(await ids('custom_fields[cf_9]=1')).toEqual(['ORDER-12']);
    expect(await ids('custom_fields[cf_12]=1')).toEqual(['ORDER-12']);
  });

  it('clamps limit to 1–100', async () => {
    for (let i = 0; i < 102; i++)
      t.sim.state.createCase({
        user_email: 'a@b.co',
        subject: `s${i}`,
        content: 'c',
        custom_fields: {},
        labels: [],
        files: [],
      });
    const big = await json(await t.call('/api/cases.json?limit=500'));
    expect(Object.keys(big).filter((k) => k !== 'total_count')).toHaveLength(100);
    expect(big.total_count).toBe(102);
    const tiny = await json(await t.call('/api/cases.json?limit=0'));
    expect(Object.keys(tiny).filter((k) => k !== 'total_count')).toHaveLength(1);
  });

  it('refuses an unknown sort', async () => {
    expect(await (await t.call('/api/cases.json?sort=random')).json()).toEqual({ error: 'incorrect_sort' });
  });

  it('updates: refuses a bad status and a staff member without access', async () => {
    await t.create();
    const id = t.sim.state.cases[0]!.case_id;
    const put = (body: unknown) => t.call(`/api/cases/${id}.json`, { method: 'PUT', json: body });
    expect(await (await put({ case: { status: 'done' } })).json()).toEqual({ error: 'incorrect_status' });
    expect(await (await put({ case: { staff_id: 2 } })).json()).toEqual({ error: 'staff_has_not_access' });
    expect(await (await put({ nothing: true })).json()).toEqual({ error: 'incorrect_data' });
    expect((await put({ case: { status: 'closed', staff_id: 1 } })).status).toBe(200);
    expect(t.sim.state.cases[0]).toMatchObject({ status: 'closed', staff_id: 1 });
  });
});

describe('attachments', () => {
  const { call, sim } = setup();
  const form = (files: Blob[], start = 1) => {
    const f = new FormData();
    f.append('case[user_email]', 'ann@example.com');
    f.append('case[subject]', 'With files');
    f.append('case[content]', 'See attached');
    f.append('case[custom_fields][cf_12]', '1');
    f.append('case[labels][]', '101');
    files.forEach((b, i) => {
      f.append(`case[attachments][${i + start}]`, b, `file${i}.bin`);
    });
    return f;
  };
  const MB = 1024 * 1024;

  it('accepts files numbered from 0 or from 1, with fields and labels in brackets', async () => {
    for (const start of [0, 1]) {
      const answer = await call('/api/cases.json', {
        method: 'POST',
        body: form([new Blob(['a']), new Blob(['bc'])], start),
      });
      expect(answer.status).toBe(201);
      const body = (await answer.json()) as {
        case: { attachments: { file_size: number }[]; labels: number[]; custom_fields: unknown };
      };
      expect(body.case.attachments.map((a) => a.file_size)).toEqual([1, 2]);
      expect(body.case.labels).toEqual([101]);
      expect(body.case.custom_fields).toEqual({ cf_12: true });
    }
  });

  it('refuses a file over 25 MB and files over 50 MB in all', async () => {
    sim.state.reset();
    const big = await call('/api/cases.json', {
      method: 'POST',
      body: form([new Blob([new Uint8Array(25 * MB + 1)])]),
    });
    expect(big.status).toBe(400);
    expect(await big.json()).toEqual({ error: 'file_too_large' });
    const many = await call('/api/cases.json', {
      method: 'POST',
      body: form([
        new Blob([new Uint8Array(20 * MB)]),
        new Blob([new Uint8Array(20 * MB)]),
        new Blob([new Uint8Array(11 * MB)]),
      ]),
    });
    expect([400, 413]).toContain(many.status);
    expect(await many.json()).toEqual({ error: 'files_too_large' });
    expect(sim.state.cases).toHaveLength(0);
  });

  type Attached = { file_id: number; file_name: string; url: string };
  const attach = async (files: Blob[]) => {
    const answer = await call('/api/cases.json', { method: 'POST', body: form(files) });
    return ((await answer.json()) as { case: { attachments: Attached[] } }).case.attachments;
  };

  it('serves a file at the address Deskie gives, as a download, and nothing at its id alone', async () => {
    const [first, second] = await attach([new Blob(['first']), new Blob(['second'])]);
    expect(typeof first?.file_id).toBe('number');
    const { pathname } = new URL(first!.url);
    expect(pathname).toMatch(new RegExp(`^/files/${first!.file_id}/[0-9a-f]{32}/file0\\.bin$`));
    const served = await call(pathname);
    expect(served.status).toBe(200);
    expect(await served.text()).toBe('first');
    expect(served.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''file0.bin");
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    // Counting through the ids, with or without another file's key, finds nothing.
    const otherKey = new URL(second!.url).pathname.split('/')[3];
    for (const guess of [
      `/files/${first!.file_id}/file0.bin`,
      `/files/${first!.file_id}/${'0'.repeat(32)}/file0.bin`,
      `/files/${first!.file_id}/${otherKey}/file0.bin`,
      '/files/999/x.bin',
    ]) {
      const answer = await call(guess);
      expect(answer.status).toBe(404);
      expect(await answer.text()).not.toContain('first');
    }
  });

  it('gives file addresses under the path the simulator is served at', async () => {
    const root = new Hono().route('/_deskie', sim.app);
    const answer = await root.request('/_deskie/api/cases.json', {
      method: 'POST',
      headers: { authorization: AUTH },
      body: form([new Blob(['mounted'])]),
    });
    const [file] = ((await answer.json()) as { case: { attachments: Attached[] } }).case.attachments;
    const { pathname } = new URL(file!.url);
    expect(pathname).toMatch(/^\/_deskie\/files\//);
    expect(await (await root.request(pathname)).text()).toBe('mounted');
  });
});

describe('messages', () => {
  const { call, create, sim } = setup();

  it('adds customer messages, agent replies and internal notes, with the documented errors', async () => {
    const { case: kase } = (await (await create()).json()) as { case: { case_id: number; user_id: number } };
    const post = (path: string, body: unknown) =>
      call(`/api/cases/${kase.case_id}/${path}`, { method: 'POST', json: body });
    expect(
      (await post('messages.json', { message: { user_id: kase.user_id, content: 'more' } })).status,
    ).toBe(201);
    expect((await post('messages.json', { message: { staff_id: 1, content: 'reply' } })).status).toBe(201);
    expect((await post('note.json', { note: { staff_id: 1, content: 'secret' } })).status).toBe(201);
    expect(await (await post('messages.json', { message: { staff_id: 2, content: 'x' } })).json()).toEqual({
      error: 'staff_not_active',
    });
    expect(await (await post('messages.json', { message: { user_id: 999, content: 'x' } })).json()).toEqual({
      error: 'user_not_found',
    });
    expect(await (await post('messages.json', { message: { user_id: kase.user_id } })).json()).toEqual({
      error: 'empty_content',
    });
    const missing = await call('/api/cases/5/messages.json', {
      method: 'POST',
      json: { message: { user_id: 1, content: 'x' } },
    });
    expect(await missing.json()).toEqual({ error: 'case_not_found' });
    const list = await json(await call(`/api/cases/${kase.case_id}/messages.json`));
    expect(list.total_count).toBe(4);
    expect((list['3'] as { message: { note: boolean } }).message.note).toBe(true);
  });

  it('without page or limit returns the last 100 messages', async () => {
    sim.state.reset();
    const { case: kase } = (await (await create()).json()) as { case: { case_id: number } };
    const stored = sim.state.findCase(String(kase.case_id))!;
    for (let i = 1; i <= 104; i++) sim.state.addMessage(stored, { staff_id: 1 }, `reply ${i}`);
    const list = await json(await call(`/api/cases/${kase.case_id}/messages.json`));
    expect(list.total_count).toBe(105);
    expect((list['0'] as { message: { content: string } }).message.content).toBe('reply 5');
    const first = await json(await call(`/api/cases/${kase.case_id}/messages.json?page=1&limit=2`));
    expect((first['0'] as { message: { content: string } }).message.content).toBe('Details');
  });
});

describe('the hold fault', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
  });

  it('holds API requests until the hold is lifted, counting them; control routes are never held', async () => {
    await t.call('/_sim/faults', { method: 'PUT', json: { hold: true } });
    let answered = false;
    const held = Promise.all([t.create(), t.call('/api/labels.json')]).finally(() => {
      answered = true;
    });
    await until(() => t.sim.held === 2);
    expect(await (await t.call('/_sim/stats')).json()).toMatchObject({ held: 2 });
    expect(answered).toBe(false);
    expect(t.sim.state.cases).toHaveLength(0);
    await t.call('/_sim/faults', { method: 'PUT', json: { hold: false } });
    expect((await held).map((r) => r.status)).toEqual([201, 200]);
    expect(t.sim.held).toBe(0);
    expect(t.sim.state.cases).toHaveLength(1);
  });

  it('lets a held client that gives up go, unserved, and a reset lets every other one go', async () => {
    t.sim.setFaults({ hold: true });
    const quitter = new AbortController();
    const abandoned = t.create({}, quitter.signal);
    const patient = t.create();
    await until(() => t.sim.held === 2);
    quitter.abort();
    await until(() => t.sim.held === 1);
    expect((await abandoned).status).toBe(504);
    expect(t.sim.state.cases).toHaveLength(0);
    await t.call('/_sim/reset', { method: 'POST' });
    expect((await patient).status).toBe(201);
    expect(t.sim.faults.hold).toBe(false);
    expect(t.sim.state.cases).toHaveLength(1);
  });
});

describe('control and other routes', () => {
  const { call, create, sim } = setup();

  it('sets faults through PUT /_sim/faults, refuses bad settings, and resets', async () => {
    const set = await call('/_sim/faults', { method: 'PUT', json: { errorRate: 1 } });
    expect(await set.json()).toMatchObject({ errorRate: 1, latencyMs: 0 });
    const failing = await call('/api/labels.json');
    expect(failing.status).toBe(503);
    expect(await failing.json()).toEqual({ error: 'service_unavailable' });
    expect((await call('/_sim/faults', { method: 'PUT', json: { errorRate: 2 } })).status).toBe(400);
    expect((await call('/_sim/faults', { method: 'PUT', json: { bogus: 1 } })).status).toBe(400);
    await call('/_sim/reset', { method: 'POST' });
    expect(sim.faults.errorRate).toBe(0);
    await create();
    expect(sim.state.cases).toHaveLength(1);
    await call('/_sim/reset', { method: 'POST' });
    expect(sim.state.cases).toHaveLength(0);
  });

  it('a dropped connection is seen as a failed body even without a socket', async () => {
    sim.setFaults({ dropAfterCommitRate: 1 });
    const answer = await create();
    await expect(answer.text()).rejects.toThrow(/dropped/);
    expect(sim.state.cases).toHaveLength(1);
    sim.setFaults({ dropAfterCommitRate: 0 });
  });

  it('answers unknown paths with {"error":"not_found"}', async () => {
    const answer = await call('/api/nothing.json');
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({ error: 'not_found' });
  });
});
