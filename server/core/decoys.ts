/**
 * What a bot is shown instead of a case: a decoy that answers like a filed request everywhere a
 * bot could look. Its receipt is shaped like any other, but its last characters are a MAC under
 * the backend's secret, so this backend — and nobody without the secret — tells it from a real one
 * without storing anything. Its lookup token names a case id next to the newest real one and a
 * case number shaped like Deskie's; looked up (by token, or by number and email), it answers as a
 * fresh case does. What the bot wrote (subject, email) is kept in memory for a day, bounded, so a
 * lookup can repeat it; on another instance or after a restart, the decoy still answers, without it.
 */
import type { Clock, Random } from './clock';
import { base32, randomBase32, SORTABLE_TIME_CHARS, sha256Hex, sortableTime, webDigests } from './hash';

const encoder = new TextEncoder();
const DAY_MS = 24 * 3600_000;
/**
 * Of a receipt's 20 characters, the head: the time and 3 random characters, as a real receipt
 * starts (intake/idempotency.ts); the rest (40 bits) are the mark.
 */
const HEAD_CHARS = 12;

export interface Decoy {
  receipt: string;
  formId: string;
  caseId: number;
  caseNumber: string;
  /** What the bot wrote, when this instance still holds it. */
  subject: string;
  /** Epoch ms, whole seconds (as Deskie dates a case). */
  createdAt: number;
}

interface Held extends Decoy {
  emailHash: string;
}

/** Decoys under `secret`: made by intake, recognised by lookups. */
export function createDecoys(secret: string, clock: Clock, random: Random, max = 10_000) {
  // Keyed once: every lookup by a token that names a case asks whether its receipt is a decoy's.
  const sign = webDigests.hmacSha256(encoder.encode(secret));
  const mark = (head: string) =>
    base32(sign(encoder.encode(`deskie-form:decoy:${head}`))).slice(0, 20 - HEAD_CHARS);
  const held = new Map<string, Held>();
  const receiptOf = new Map<string, string>(); // case number → receipt
  let newestCaseId: number | undefined;

  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const forget = (receipt: string) => {
    const decoy = held.get(receipt);
    if (decoy) receiptOf.delete(decoy.caseNumber);
    held.delete(receipt);
  };
  const fresh = (decoy: Held | undefined) => {
    if (decoy && clock.now() - decoy.createdAt < DAY_MS) return decoy;
    if (decoy) forget(decoy.receipt);
    return undefined;
  };

  return {
    /** A real case Deskie made: decoys are numbered after the newest one seen. */
    noteCase(caseId: number) {
      newestCaseId = Math.max(newestCaseId ?? 0, caseId);
    },
    /** A decoy for a bot's submission to `formId`. */
    make(formId: string, subject: string, email: string): Decoy {
      let receipt: string;
      do {
        const head = `${sortableTime(clock.now())}${randomBase32(HEAD_CHARS - SORTABLE_TIME_CHARS)}`;
        receipt = `sub_${head}${mark(head)}`;
      } while (held.has(receipt)); // two in one millisecond drew alike
      const decoy: Held = {
        receipt,
        formId,
        caseId: (newestCaseId ?? 1000 + Math.floor(random() * 9000)) + 1 + Math.floor(random() * 3),
        caseNumber: `${1 + Math.floor(random() * 9)}${digits(2)}-${digits(6)}`,
        subject,
        createdAt: Math.floor(clock.now() / 1000) * 1000,
        emailHash: sha256Hex(email.trim().toLowerCase()),
      };
      newestCaseId = decoy.caseId;
      held.set(decoy.receipt, decoy);
      receiptOf.set(decoy.caseNumber, decoy.receipt);
      if (held.size > max) forget(held.keys().next().value as string);
      return decoy;
    },
    /** Whether `receipt` is a decoy's (by its mark: wherever and whenever it was made). */
    isDecoy(receipt: string) {
      const head = receipt.slice(4, 4 + HEAD_CHARS);
      return (
        receipt.length === 24 && receipt.startsWith('sub_') && receipt.slice(4 + HEAD_CHARS) === mark(head)
      );
    },
    /**
     * The decoy a lookup token names: as this instance holds it, else — made on another instance
     * or before a restart — as much of it as the token says.
     */
    recall: (receipt: string, formId: string, kase: { id: number; number: string }): Decoy =>
      fresh(held.get(receipt)) ?? {
        receipt,
        formId,
        caseId: kase.id,
        caseNumber: kase.number,
        subject: '',
        createdAt: Math.floor(clock.now() / 1000) * 1000,
      },
    /** The decoy numbered `caseNumber`, filed with `email`, if this instance holds it. */
    byNumber(caseNumber: string, email: string): Decoy | undefined {
      const decoy = fresh(held.get(receiptOf.get(caseNumber) ?? ''));
      return decoy?.emailHash === sha256Hex(email.trim().toLowerCase()) ? decoy : undefined;
    },
  };
}

export type Decoys = ReturnType<typeof createDecoys>;
