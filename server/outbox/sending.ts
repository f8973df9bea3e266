/**
 * What reaching Deskie means for each kind of submission the outbox holds. A new request is a case
 * to create; a visitor's reply is a message to add to its case, as the case's customer (after
 * setting the case back to open, when it was waiting or closed — a step that may be repeated
 * harmlessly). Either carries a reference line, and after a lost answer is looked for by it before
 * it is ever sent again.
 */
import type { DeskieClient, Upload } from '../deskie/client';
import type { RatePermit } from '../deskie/rate';
import type { DeskieCase } from '../deskie/schemas';
import type { Payload, ReplyPayload, Submission } from './types';

/** The line every case and reply carries, so a lost answer can be found again. */
export const referenceLine = (id: string) => `Reference: ${id}`;

/** The case a submission landed in: the one it created, or the one a reply went to. */
export interface Landed {
  case_id: number;
  case_number: string;
}

/** How one submission is looked for and sent. */
export interface Sending {
  /** What Deskie already has of it (a create whose answer was lost); undefined when nothing. */
  find(): Promise<Landed | undefined>;
  /** Steps that may run any number of times, before the one write that must not. */
  prepare(): Promise<void>;
  /** The write; `permit` is the budget reserved for it. */
  send(files: Upload[], permit: RatePermit | undefined): Promise<Landed>;
}

/**
 * The case created for `row` earlier, found by its reference line among the cases its requester
 * filed since shortly before it was accepted; undefined when Deskie has none. Every candidate in
 * that window is read: skipping one could mean sending a case twice.
 */
export async function findDelivered(
  deskie: DeskieClient,
  row: Submission & { payload: { case: { user_email: string } } },
): Promise<DeskieCase | undefined> {
  // A minute's slack for clock skew between us and Deskie.
  const since = Math.floor((row.created_at - 60_000) / 1000);
  const line = referenceLine(row.id);
  for (let page = 1; ; page++) {
    const { items, totalCount } = await deskie.listCases({
      user_email: row.payload.case.user_email,
      sort: 'created_at_asc',
      from_time: since,
      page,
      limit: 100,
    });
    for (const kase of items) {
      const { items: first } = await deskie.listMessages(kase.case_id, { page: 1, limit: 1, order: 'asc' });
      if (first[0]?.content.includes(line) || first[0]?.content_html?.includes(line)) return kase;
    }
    if (items.length === 0 || page * 100 >= totalCount) return undefined;
  }
}

/**
 * Whether the reply `row` is already among its case's messages: one read of the newest hundred, the
 * customer's own, by its reference line.
 */
export async function findReply(deskie: DeskieClient, row: Submission, reply: ReplyPayload) {
  const line = referenceLine(row.id);
  const { items } = await deskie.listMessages(reply.case_id, { limit: 100, order: 'desc' });
  return items.some(
    (m) =>
      !m.note && m.user_id === reply.user_id && (m.content.includes(line) || m.content_html?.includes(line)),
  );
}

/** How `row` (its payload `payload`) reaches Deskie through `deskie`. */
export function sendingFor(deskie: DeskieClient, row: Submission, payload: Payload): Sending {
  if ('case' in payload)
    return {
      find: () => findDelivered(deskie, { ...row, payload }),
      prepare: async () => {},
      send: (files, permit) => deskie.createCase(payload.case, files, { permit, retryThrottled: false }),
    };
  const { reply } = payload;
  const landed = { case_id: reply.case_id, case_number: reply.case_number };
  return {
    find: async () => ((await findReply(deskie, row, reply)) ? landed : undefined),
    prepare: async () => {
      if (reply.reopen) await deskie.updateCase(reply.case_id, { status: 'open' });
    },
    send: async (files, permit) => {
      const input = { user_id: reply.user_id, content: reply.content };
      await deskie.createUserMessage(reply.case_id, input, files, { permit, retryThrottled: false });
      return landed;
    },
  };
}
