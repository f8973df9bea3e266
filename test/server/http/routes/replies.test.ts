/**
 * A visitor's reply from the status view: added to the case as its customer, with files, let in as
 * a lookup is, durable like a submission (outbox first, 202 when it must wait, exactly once after a
 * lost answer), and every refusal in the one error shape.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createTokens } from '../../../../server/core/tokens';
import { DEMO_CONFIG, SECRET, startBackend, validValues } from '../../../helpers/backend';

const t = await startBackend();
beforeEach(() => {
  t.sim.state.reset();
  t.sim.setFaults({ dropAfterCommitRate: 0, failNext: 0 });
});

type Backend = Awaited<ReturnType<typeof startBackend>>;

/** A request filed through the form and delivered: its number, lookup token and case in the simulator. */
async function filed(backend: Backend = t) {
  const answer = await backend.submit(validValues());
  const body = (await answer.json()) as { caseNumber: string; lookupToken: string };
  return { ...body, kase: backend.sim.state.findCase(body.caseNumber)! };
}

/** POST a reply as JSON, or as multipart when files are given. */
function reply(
  body: Record<string, unknown>,
  init: { files?: [Blob, string][]; key?: string; backend?: Backend; formId?: string } = {},
) {
  const { files, key, backend = t, formId = 'support' } = init;
  const headers: Record<string, string> = key ? { 'idempotency-key': key } : {};
  let payload: BodyInit = JSON.stringify(body);
  if (files) {
    const form = new FormData();
    form.append('payload', JSON.stringify(body));
    for (const [blob, name] of files) form.append('attachments', blob, name);
    payload = form;
  } else headers['content-type'] = 'application/json';
  return backend.app.request(`/v1/forms/${formId}/replies`, { method: 'POST', headers, body: payload });
}

const codeOf = async (answer: Response) => ((await answer.json()) as { error: { code: string } }).error.code;
/** The customer's messages in the case after the first one (the request itself). */
const replies = (backend: Backend, kase: { case_id: number }) =>
  backend.sim.state.messages.filter((m) => m.case_id === kase.case_id && m.staff_id === 0).slice(1);

describe('a reply', () => {
  it("is added to the case as its customer's message, with the reference it is found by", async () => {
    const { lookupToken, caseNumber, kase } = await filed();
    const answer = await reply({ token: lookupToken, text: '  The label says 12B.  ' });
    expect(answer.status).toBe(201);
    expect(await answer.json()).toEqual({ status: 'sent', caseNumber });
    const [message] = replies(t, kase);
    expect(message).toMatchObject({ user_id: kase.user_id, staff_id: 0, note: false });
    expect(message?.content).toMatch(/^The label says 12B\.\n\n—\nReference: rep_\w{20,}$/);
  });

  it('carries files, checked as a new request’s are, which the agent can open', async () => {
    const { lookupToken, kase } = await filed();
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82]);
    const answer = await reply(
      { token: lookupToken, text: 'Photo attached.' },
      { files: [[new Blob([png], { type: 'image/png' }), 'label.png']] },
    );
    expect(answer.status).toBe(201);
    const [message] = replies(t, kase);
    expect(message?.attachments.map((f) => [f.file_name, f.mime_type])).toEqual([['label.png', 'image/png']]);
    expect(message?.attachments[0]?.data).toEqual(png);
  });

  it('is let in by the case number and the email that filed it', async () => {
    const { caseNumber, kase } = await filed();
    const answer = await reply({ caseNumber, email: 'ANN@example.com', text: 'By number.' });
    expect(answer.status).toBe(201);
    expect(replies(t, kase)).toHaveLength(1);
  });

  it.each([
    ['waiting', 'open'],
    ['closed', 'open'],
    ['open', 'open'],
  ] as const)('to a %s case leaves it %s (the default: reopen)', async (status, after) => {
    const { lookupToken, kase } = await filed();
    kase.status = status;
    const before = t.sim.stats.requests;
    expect((await reply({ token: lookupToken, text: 'Still here.' })).status).toBe(201);
    expect(kase.status).toBe(after);
    expect(replies(t, kase)).toHaveLength(1);
    // The case read (1), the status set (2 when it changes) and the message (2).
    expect(t.sim.stats.requests - before).toBe(status === 'open' ? 2 : 3);
  });
});

describe('the status view', () => {
  it("shows the conversation after the request: the visitor's words as written, and support's", async () => {
    const { lookupToken, kase } = await filed();
    t.sim.state.addMessage(kase, { staff_id: 1 }, 'Which label?');
    t.sim.state.addNote(kase, 1, 'Internal: check the courier');
    await reply({ token: lookupToken, text: 'The one on the box.\n\nIt says 12B.' });
    const status = (await (await t.lookup({ token: lookupToken })).json()) as {
      replies: unknown[];
      thread: { author: string; text: string }[];
    };
    expect(status.thread.map(({ author, text }) => [author, text])).toEqual([
      ['support', 'Which label?'],
      ['customer', 'The one on the box.\n\nIt says 12B.'],
    ]);
    expect(status.replies).toHaveLength(1);
    expect(JSON.stringify(status)).not.toMatch(/Reference|Internal|rep_/);
  });
});

describe('refusals', () => {
  it('a wrong or altered token, or one of another form: the same 404, nothing sent', async () => {
    const { lookupToken, kase } = await filed();
    const rotated = createTokens('rotated-secret-rotated-secret-rotated').lookup.issue({
      formId: 'support',
      receipt: 'sub_x',
      case: { id: kase.case_id, number: kase.case_number },
    });
    for (const token of [`${lookupToken}x`, rotated, 'garbage']) {
      const answer = await reply({ token, text: 'Let me in' });
      expect(answer.status).toBe(404);
      expect(await codeOf(answer)).toBe('NOT_FOUND');
    }
    const b = await startBackend({
      config: { forms: [DEMO_CONFIG.forms[0], { ...DEMO_CONFIG.forms[0], id: 'sales' }] },
    });
    const other = await filed(b);
    expect(
      (await reply({ token: other.lookupToken, text: 'x' }, { backend: b, formId: 'sales' })).status,
    ).toBe(404);
    expect(replies(t, kase)).toHaveLength(0);
    expect(replies(b, other.kase)).toHaveLength(0);
  });

  it("another person's case: their number with my email is a 404, and a token names its own case only", async () => {
    const mine = await filed();
    const theirs = await t.submit(validValues({ email: 'carl@example.com' }));
    const { caseNumber } = (await theirs.json()) as { caseNumber: string };
    const answer = await reply({ caseNumber, email: 'ann@example.com', text: 'Not mine' });
    expect(answer.status).toBe(404);
    expect(await codeOf(answer)).toBe('NOT_FOUND');
    // A token signed for my case cannot be pointed at theirs: the number it carries must match.
    const forged = createTokens(SECRET).lookup.issue({
      formId: 'support',
      receipt: 'sub_x',
      case: { id: mine.kase.case_id, number: caseNumber },
    });
    expect((await reply({ token: forged, text: 'Not mine' })).status).toBe(404);
    expect(t.sim.state.messages.filter((m) => m.content.startsWith('Not mine'))).toHaveLength(0);
  });

  it('a closed case on a form that refuses: 409 CASE_CLOSED, nothing sent, the case stays closed', async () => {
    const b = await startBackend({
      config: { forms: [{ ...DEMO_CONFIG.forms[0], replies: { closed: 'refuse' } }] },
    });
    const { lookupToken, kase } = await filed(b);
    kase.status = 'closed';
    const answer = await reply({ token: lookupToken, text: 'Reopen?' }, { backend: b });
    expect(answer.status).toBe(409);
    expect(await codeOf(answer)).toBe('CASE_CLOSED');
    expect(kase.status).toBe('closed');
    expect(replies(b, kase)).toHaveLength(0);
    // A waiting case still takes a reply there.
    kase.status = 'waiting';
    expect((await reply({ token: lookupToken, text: 'Here' }, { backend: b })).status).toBe(201);
  });

  it('oversize, too many or wrong files, or no text: the form’s own checks, nothing sent', async () => {
    const b = await startBackend({
      config: {
        forms: [
          { ...DEMO_CONFIG.forms[0], attachments: { maxFiles: 1, maxFileBytes: 10, maxTotalBytes: 10 } },
        ],
      },
    });
    const { lookupToken, kase } = await filed(b);
    const cases: [Parameters<typeof reply>[1], string, number][] = [
      [{ files: [[new Blob(['more than ten bytes']), 'big.txt']] }, 'ATTACHMENT_TOO_LARGE', 413],
      [
        {
          files: [
            [new Blob(['a']), 'a.txt'],
            [new Blob(['b']), 'b.txt'],
          ],
        },
        'TOO_MANY_ATTACHMENTS',
        422,
      ],
      [{ files: [[new Blob(['#!/bin/sh\n']), 'x.sh']] }, 'ATTACHMENT_TYPE_NOT_ALLOWED', 415],
    ];
    for (const [init, code, status] of cases) {
      const answer = await reply({ token: lookupToken, text: 'With a file' }, { ...init, backend: b });
      expect(answer.status, code).toBe(status);
      expect(await codeOf(answer)).toBe(code);
    }
    const empty = await reply({ token: lookupToken, text: '   ' }, { backend: b });
    expect(empty.status).toBe(422);
    expect(await empty.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', fields: { text: 'REQUIRED' } },
    });
    expect(replies(b, kase)).toHaveLength(0);
    expect(await b.outbox.list({})).toHaveLength(1);
  });

  it('a request still queued: 409 CASE_PENDING (it has no case to reply to yet)', async () => {
    t.sim.setFaults({ failNext: 1 });
    const queued = (await (await t.submit(validValues())).json()) as { status: string; lookupToken: string };
    expect(queued.status).toBe('queued');
    const answer = await reply({ token: queued.lookupToken, text: 'Any news?' });
    expect(answer.status).toBe(409);
    expect(await codeOf(answer)).toBe('CASE_PENDING');
  });

  it("a bot's decoy takes a reply as a case would, and nothing reaches Deskie", async () => {
    const { formToken } = await t.getForm();
    const bot = await t.submit(validValues(), {
      token: formToken,
      extra: { values: { ...validValues(), website: 'x' } },
    });
    const decoy = (await bot.json()) as { caseNumber: string; lookupToken: string };
    const answer = await reply({ token: decoy.lookupToken, text: 'spam' });
    expect(answer.status).toBe(201);
    expect(await answer.json()).toEqual({ status: 'sent', caseNumber: decoy.caseNumber });
    expect(t.sim.state.messages).toHaveLength(0);
  });
});

describe('durable like a submission', () => {
  it('the same Idempotency-Key answers alike and sends once; other content with it is 409', async () => {
    const { lookupToken, kase } = await filed();
    const first = await reply({ token: lookupToken, text: 'Once' }, { key: 'reply-key-0001' });
    const again = await reply({ token: lookupToken, text: 'Once' }, { key: 'reply-key-0001' });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(replies(t, kase)).toHaveLength(1);
    const other = await reply({ token: lookupToken, text: 'Twice' }, { key: 'reply-key-0001' });
    expect(other.status).toBe(409);
    expect(await codeOf(other)).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('a lost answer (the connection cut after Deskie took it): 202, and never a second message', async () => {
    const { lookupToken, kase } = await filed();
    t.sim.setFaults({ dropAfterCommitRate: 1 });
    const cut = await reply({ token: lookupToken, text: 'Through a tunnel' }, { key: 'reply-key-cut1' });
    t.sim.setFaults({ dropAfterCommitRate: 0 });
    expect(cut.status).toBe(202);
    const { receipt } = (await cut.json()) as { receipt: string };
    expect(receipt).toMatch(/^rep_/);
    // The visitor sends again with the same key: the same receipt, nothing new.
    const retried = await reply({ token: lookupToken, text: 'Through a tunnel' }, { key: 'reply-key-cut1' });
    expect(await retried.json()).toMatchObject({ status: 'queued', receipt });
    // Deskie had it: once the reconcile wait is over, it is found there, not sent again.
    t.clock.advance(60_000);
    await t.drainer.drainDue();
    expect((await t.outbox.get(receipt))?.status).toBe('delivered');
    expect(replies(t, kase).map((m) => m.content.split('\n')[0])).toEqual(['Through a tunnel']);
    expect(t.logs.some((l) => l.includes('"how":"reconciled"'))).toBe(true);
  });

  it('Deskie down after the status view: 202, kept in the outbox, delivered once when it is back', async () => {
    const b = await startBackend({ config: { lookups: { cacheSeconds: 30 } } });
    const { lookupToken, kase } = await filed(b);
    kase.status = 'waiting';
    await b.lookup({ token: lookupToken });
    b.sim.setFaults({ failNext: 1 });
    const answer = await reply({ token: lookupToken, text: 'Later is fine' }, { backend: b });
    expect(answer.status).toBe(202);
    expect(replies(b, kase)).toHaveLength(0);
    b.clock.advance(60_000);
    await b.drainer.drainDue();
    expect(replies(b, kase)).toHaveLength(1);
    expect(kase.status).toBe('open');
  });

  it('Deskie down with nothing read lately: 503 with Retry-After, nothing stored', async () => {
    const { lookupToken } = await filed();
    const before = (await t.outbox.list({})).length;
    t.sim.setFaults({ errorRate: 1 });
    const answer = await reply({ token: lookupToken, text: 'Hello?' });
    t.sim.setFaults({ errorRate: 0 });
    expect(answer.status).toBe(503);
    expect(await codeOf(answer)).toBe('DESKIE_UNAVAILABLE');
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await t.outbox.list({})).toHaveLength(before);
  });

  it('no budget left: 202 at once, delivered when the window allows', async () => {
    const b = await startBackend({
      planBudget: true,
      config: { deskie: { rpm: 10, share: 1, windowMs: 400 }, lookups: { cacheSeconds: 30 } },
    });
    const { lookupToken, kase } = await filed(b);
    // The visitor's status view read the case: the reply needs no further read.
    await b.lookup({ token: lookupToken });
    // Other work spent the rest of this window.
    const spent = [];
    for (let permit = await b.governor.tryAcquire(1); permit; permit = await b.governor.tryAcquire(1))
      spent.push(permit);
    for (const permit of spent) permit.settle({});
    const answer = await reply({ token: lookupToken, text: 'When you can' }, { backend: b });
    expect(answer.status).toBe(202);
    expect(replies(b, kase)).toHaveLength(0);
    await b.drainer.drainDue();
    expect(replies(b, kase)).toHaveLength(1);
  });
});
