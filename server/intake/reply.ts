/**
 * A visitor's reply to their case: checked like a submission (its text, its files by content, its
 * Idempotency-Key), written to the outbox before anything else can go wrong, then delivered at once
 * if Deskie's budget allows — else it waits, and the visitor hears 202. The route has let the
 * visitor in (lookup's authorize) and hands over the case as Deskie has it.
 *
 * A reply to a waiting case sets it back to open (support waited for this); to a closed one, the
 * form decides: `replies.closed` "reopen" (the default) does the same, "refuse" answers 409
 * CASE_CLOSED. Deskie's API says neither way what a customer's message does to a status
 * (docs/simulator.md), so the backend sets it itself, before the message, in a step that is
 * harmless to repeat.
 */
import type { FormConfig } from '../config/schema';
import type { ReplyRequest, ReplyResponse } from '../contract';
import type { Clock } from '../core/clock';
import { ApiError } from '../core/errors';
import type { Digests } from '../core/hash';
import type { Logger } from '../core/log';
import type { DeskieCase } from '../deskie/schemas';
import type { FormResolver } from '../forms/definition';
import { referenceLine } from '../outbox/deliver';
import type { Drainer } from '../outbox/drainer';
import type { OutboxStore, ReplyPayload } from '../outbox/types';
import { checkAttachments, type ReceivedFile } from './attachments';
import { fingerprintOf, newReplyId, storeOnce } from './idempotency';
import { createTurns } from './intake';

export interface ReplyDeps {
  forms: FormResolver;
  /** A reply's fingerprint (core/hash.ts). */
  digests: Digests;
  clock: Clock;
  log: Logger;
  outbox: OutboxStore;
  delivery: Pick<Drainer, 'tryNow' | 'inProgress'>;
}

/** The answer: 201 when the message is in the case, 202 when it waits in the outbox. */
export interface ReplyAccepted {
  status: 201 | 202;
  body: ReplyResponse;
}

/** The text a reply must have, trimmed; VALIDATION_FAILED when there is none. */
function replyText(request: ReplyRequest): string {
  const text = request.text.trim();
  if (!text)
    throw new ApiError('VALIDATION_FAILED', 'Write a reply first.', { fields: { text: 'REQUIRED' } });
  return text;
}

/** What the outbox keeps of the reply `id` to `kase`: the message, and whether the case reopens. */
const payloadOf = (id: string, kase: DeskieCase, text: string): ReplyPayload => ({
  case_id: kase.case_id,
  case_number: kase.case_number,
  user_id: kase.user_id,
  user_email: kase.recipient ?? '',
  content: [text, '', '—', referenceLine(id)].join('\n'),
  reopen: kase.status === 'waiting' || kase.status === 'closed',
});

export type Replies = ReturnType<typeof createReplies>;

/** One reply as it arrived: the request, its files, its Idempotency-Key, the visitor's locale. */
interface ReplyInput {
  request: ReplyRequest;
  files: ReceivedFile[];
  key: string | undefined;
  locale: string | undefined;
}

/** Replies for one deployment. */
export function createReplies(deps: ReplyDeps) {
  const inTurn = createTurns();

  /** Checks and stores the reply; delivers it at once when the budget allows. */
  const store = async (form: FormConfig, kase: DeskieCase, input: ReplyInput): Promise<ReplyAccepted> => {
    if (kase.status === 'closed' && form.replies.closed === 'refuse')
      throw new ApiError('CASE_CLOSED', 'This request is closed. Please send a new one.');
    const text = replyText(input.request);
    const { form: definition } = await deps.forms(form, input.locale);
    const uploads = await checkAttachments(input.files, definition.attachments);
    const now = deps.clock.now();
    const id = newReplyId(now);
    const files = uploads.map((u) => [u.name, deps.digests.sha256Hex(u.data)]);
    const fingerprint = fingerprintOf(deps.digests, { form: form.id, case: kase.case_id, text, files });
    const submission = { id, formId: form.id, idempotencyKey: input.key ?? null, fingerprint };
    const payload = { reply: payloadOf(id, kase, text) };
    const { row, created, outcome } = await storeOnce(deps, { ...submission, payload, now }, uploads, {
      unsaved: 'Your reply could not be saved. Please send it again.',
      reused: 'This Idempotency-Key was used for different content.',
    });
    if (created) deps.log('info', 'reply accepted', { id, form: form.id, caseNumber: kase.case_number });
    const caseNumber = kase.case_number;
    if (outcome?.kind === 'delivered' || row.status === 'delivered')
      return { status: 201, body: { status: 'sent', caseNumber } };
    return { status: 202, body: { status: 'queued', caseNumber, receipt: row.id } };
  };

  return {
    /** The reply `request` to `kase`, stored and (budget allowing) delivered; throws the ApiError the visitor should see. */
    accept(form: FormConfig, kase: DeskieCase, input: ReplyInput): Promise<ReplyAccepted> {
      // Repeats of one key take turns: the second finds the first stored and answers alike.
      return input.key
        ? inTurn(`${form.id}\n${input.key}`, () => store(form, kase, input))
        : store(form, kase, input);
    },
  };
}
