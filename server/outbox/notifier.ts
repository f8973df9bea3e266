/**
 * Telling the owner of every dead letter: a signed POST to their webhook, once per death. The
 * visitor was told "received", so a submission Deskie refused for good must not wait unseen until
 * someone lists the outbox — nothing lost must also mean nothing forgotten.
 *
 * The debt is in the row (notices.ts), so it outlives a crash. Each attempt first moves the row's
 * due time to its retry time, then sends: a sender that dies mid-send leaves a notice that comes
 * due again by itself, with no lease to expire. A crash after the receiver's 2xx but before it is
 * recorded sends the notice twice; `id` names the death, so a receiver can drop the repeat.
 *
 * The body says which submission died, when and why — never who sent it or what they wrote: the
 * webhook may be a chat channel, and personal data stays in the outbox (privacy.md).
 */
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import type { OutboxStore, Submission } from './types';

/** The event the webhook receives; also the `Deskie-Form-Event` header. */
export const DEAD_LETTER_EVENT = 'submission.dead_lettered';

export interface NotifierOptions {
  store: OutboxStore;
  clock: Clock;
  log: Logger;
  /** The owner's webhook (config `notify.url`). */
  url: string;
  /** Signs every notice (DESKIE_FORM_NOTIFY_SECRET); the receiver checks with the same. */
  secret: string;
  /** How long the receiver has to answer one notice. Default 10 000 ms. */
  timeoutMs?: number;
  /** Makes the signal that ends one attempt after `ms`. Default `AbortSignal.timeout`; tests pass one they fire. */
  timeoutSignal?: (ms: number) => AbortSignal;
  /** Between attempts: doubling from `baseMs` (default 30 000) up to `maxMs` (default 3 600 000). */
  backoff?: { baseMs: number; maxMs: number };
  /** After a death this old, a failed attempt is the last (logged as an error). Default 24 h. */
  giveUpAfterMs?: number;
  /** Longest sleep of the Node loop (notices of other instances' deaths are found at this pace). Default 60 000 ms. */
  pollMs?: number;
}

export interface Notifier {
  /** Sends every notice due now, one after another, and resolves with how many were accepted. */
  sendDue(signal?: AbortSignal): Promise<number>;
  /** Node: keeps sending notices as they come due. */
  start(): void;
  /** A death was just recorded: stop sleeping. */
  wake(): void;
  /** Ends the loop; an attempt cut short is owed again at its retry time. */
  stop(): Promise<void>;
}

/** What the webhook receives for one death: no name, email, message or file name. */
export const noticeBody = (row: Submission, deadAt: number) => ({
  type: DEAD_LETTER_EVENT,
  /** One per death: a retried submission that dies again is another event. */
  id: `${row.id}.${deadAt}`,
  submission: row.id,
  form: row.form_id,
  acceptedAt: new Date(row.created_at).toISOString(),
  deadAt: new Date(deadAt).toISOString(),
  reason: row.last_error,
  attempts: row.attempts,
});

const encoder = new TextEncoder();
const hex = (bytes: ArrayBuffer) =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The `Deskie-Form-Signature` of `body` sent at `timestamp` (Unix seconds): `v1=` and the hex
 * HMAC-SHA256, keyed with `secret`, of `${timestamp}.${body}`. Web Crypto, as on every runtime;
 * one signature per dead letter costs nothing worth a synchronous library.
 */
export async function signNotice(secret: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return `v1=${hex(await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${body}`)))}`;
}

/** Creates the notifier of one instance. */
export function createNotifier(options: NotifierOptions): Notifier {
  const { store, clock, log, url, secret, timeoutMs = 10_000 } = options;
  const timeoutSignal = options.timeoutSignal ?? ((ms: number) => AbortSignal.timeout(ms));
  const { baseMs, maxMs } = options.backoff ?? { baseMs: 30_000, maxMs: 3600_000 };
  const giveUpAfterMs = options.giveUpAfterMs ?? 24 * 3600_000;

  /** Posts one notice; undefined when the receiver accepted it (2xx), else why not. */
  const post = async (row: Submission, deadAt: number, signal?: AbortSignal): Promise<string | undefined> => {
    const body = JSON.stringify(noticeBody(row, deadAt));
    const timestamp = Math.floor(clock.now() / 1000);
    const ends = timeoutSignal(timeoutMs);
    try {
      const answer = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'deskie-form',
          'deskie-form-event': DEAD_LETTER_EVENT,
          'deskie-form-timestamp': String(timestamp),
          'deskie-form-signature': await signNotice(secret, timestamp, body),
        },
        body,
        // A redirect is not an answer: following it would send the notice somewhere not configured.
        redirect: 'manual',
        signal: signal ? AbortSignal.any([ends, signal]) : ends,
      });
      await answer.body?.cancel().catch(() => undefined);
      return answer.ok ? undefined : `HTTP ${answer.status}`;
    } catch (error) {
      return error instanceof DOMException && error.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : String((error as { cause?: unknown })?.cause ?? error);
    }
  };

  /** One attempt at the notice of `row`; true when the webhook accepted it. */
  const attempt = async (row: Submission, signal?: AbortSignal): Promise<boolean> => {
    const dueAt = row.notify_at;
    if (dueAt === null) return false;
    const deadAt = row.dead_at ?? dueAt;
    const tries = row.notify_attempts + 1;
    const retryAt = clock.now() + Math.max(Math.min(maxMs, baseMs * 2 ** (tries - 1)), timeoutMs + 5_000);
    if (!(await store.claimNotice(row.id, dueAt, retryAt))) return false; // another instance has it
    const failed = await post(row, deadAt, signal);
    // Stopped mid-send: the notice is owed again at its retry time, as after a crash.
    if (failed !== undefined && signal?.aborted) return false;
    const fields = { id: row.id, form: row.form_id, attempt: tries };
    if (failed === undefined) {
      await store.settleNotice(row.id, deadAt, clock.now());
      log('info', 'dead letter notified', fields);
      return true;
    }
    if (clock.now() - deadAt >= giveUpAfterMs) {
      await store.settleNotice(row.id, deadAt, null);
      log('error', 'dead letter notification given up', { ...fields, error: failed });
    } else log('warn', 'dead letter notification failed', { ...fields, error: failed, retryAt });
    return false;
  };

  const sendDue = async (signal?: AbortSignal) => {
    let sent = 0;
    // Each attempt moves its row into the future, so this ends when nothing due is left.
    for (;;) {
      const due = await store.dueNotices(clock.now(), 20);
      if (due.length === 0) return sent;
      for (const row of due) {
        if (signal?.aborted) return sent;
        if (await attempt(row, signal)) sent += 1;
      }
    }
  };

  return { sendDue, ...loopOf(sendDue, options) };
}

/** The Node loop around `sendDue`: sleeps until the next notice is due (or `pollMs`), woken by a death. */
function loopOf(
  sendDue: Notifier['sendDue'],
  { store, clock, log, pollMs = 60_000 }: NotifierOptions,
): Pick<Notifier, 'start' | 'wake' | 'stop'> {
  let running = false;
  let loop: Promise<void> = Promise.resolve();
  let nap = new AbortController();
  let stopping = new AbortController();
  const wake = () => {
    // Only a running loop sleeps. Without one (Workers, Lambda: the scheduled run sends), there
    // is nothing to wake — and on Workers, aborting a controller an earlier request made fails.
    if (!running) return;
    const sleeping = nap;
    nap = new AbortController();
    sleeping.abort();
  };
  return {
    wake,
    start() {
      if (running) return;
      running = true;
      stopping = new AbortController();
      nap = new AbortController();
      loop = (async () => {
        while (running) {
          await sendDue(stopping.signal).catch((error: unknown) =>
            log('error', 'dead letter notifier error', { error: String(error) }),
          );
          if (!running) break;
          const next = await store.nextNoticeAt().catch(() => null);
          const wait = next === null ? pollMs : Math.min(pollMs, Math.max(0, next - clock.now()));
          await clock.sleep(wait, nap.signal);
        }
      })();
    },
    async stop() {
      if (!running) return;
      stopping.abort();
      wake();
      running = false;
      await loop;
    },
  };
}
