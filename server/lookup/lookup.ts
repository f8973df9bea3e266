/**
 * Status lookup without an account: by the lookup token a submission returned, or by case number
 * plus the email that filed it. Every miss — unknown case, wrong email, bad token — is the same
 * NOT_FOUND, and guesses are limited per case number, so nobody can enumerate cases.
 */
import type { Store } from 'hono-rate-limiter';
import type { FormConfig } from '../config/schema';
import type { StatusRequest, StatusResponse } from '../contract';
import type { Decoy, Decoys } from '../core/decoys';
import { ApiError } from '../core/errors';
import type { Tokens } from '../core/tokens';
import type { DeskieClient } from '../deskie/client';
import { DeskieError } from '../deskie/errors';
import type { DeskieCase } from '../deskie/schemas';
import { statusLabel } from '../forms/definition';
import type { OutboxStore, Submission } from '../outbox/types';
import { countHit, secondsUntil } from '../rate/limits';
import type { CaseCache, Seen } from './cache';

const EMAIL = /^[^\s@^]+@[^\s@^]+\.[^\s@^]+$/;
const CASE_NUMBER = /^\d{1,10}-\d{1,10}$/;
const PAGES = 10; // a customer with more than 1 000 cases is looked up by token

export interface LookupDeps {
  /**
   * A Deskie client for one visitor's lookup, ended with the visitor's request (`signal`): its
   * calls use the lookup lane of the rate budget and give up soon rather than queue; `done` ends
   * its use of the budget.
   */
  deskie: (signal: AbortSignal | undefined) => { client: DeskieClient; done(): void };
  /** Cases and replies seen lately. */
  cache: CaseCache;
  outbox: OutboxStore;
  tokens: Tokens;
  /** Failed lookups per case number (whoever tries), ready for the window of `failureLimit`. */
  failures: Store;
  failureLimit: { limit: number; windowSeconds: number };
  /** What bots were shown: looked up, a decoy answers as a fresh case. */
  decoys: Decoys;
}

const notFound = () => new ApiError('NOT_FOUND', 'No request matches these details.');

/**
 * What a visitor is told when a Deskie read failed. Nothing of Deskie's own answer is passed on:
 * it may name the account or staff. Throttling says when to come back.
 */
export function fromDeskieError(error: DeskieError): ApiError {
  const retryAfter =
    error.code === 'DESKIE_RATE_LIMITED' ? Math.max(1, Math.ceil((error.retryAfterMs ?? 60_000) / 1000)) : 30;
  return new ApiError(
    'DESKIE_UNAVAILABLE',
    'The help desk cannot be reached right now. Please try again shortly.',
    { retryAfter },
  );
}

/** A Deskie call whose failure the visitor hears of as a miss (not found) or as Deskie being away. */
async function fromDeskie<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof DeskieError && error.code === 'DESKIE_NOT_FOUND') throw notFound();
    if (error instanceof DeskieError) throw fromDeskieError(error);
    throw error;
  }
}

/** RFC 2822 (Deskie) → ISO 8601; the input when it cannot be read. */
const iso = (date: string) => {
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? date : new Date(ms).toISOString();
};
const plain = (html: string) =>
  html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .trim();

/** What a visitor sees of a request still waiting in the outbox. */
function queuedAnswer(form: FormConfig, row: Submission, locale: string | undefined): StatusResponse {
  const at = new Date(row.created_at).toISOString();
  return {
    receipt: row.id,
    subject: row.payload?.case.subject ?? '',
    status: 'queued',
    statusLabel: statusLabel(form, 'queued', locale),
    createdAt: at,
    updatedAt: at,
  };
}

/** The case numbered `number` among the cases filed with exactly `email`, or undefined. */
async function byNumber(deskie: DeskieClient, number: string, email: string) {
  if (!CASE_NUMBER.test(number) || !EMAIL.test(email)) return undefined;
  for (let page = 1; page <= PAGES; page++) {
    const { items, totalCount } = await deskie.listCases({
      user_email: email,
      page,
      limit: 100,
      sort: 'created_at_desc',
    });
    const found = items.find((k) => k.case_number === number);
    if (found || page * 100 >= totalCount || items.length === 0) return found;
  }
  return undefined;
}

/** Support's public replies, oldest first: never internal notes, never who wrote them. */
async function readReplies(deskie: DeskieClient, kase: DeskieCase) {
  // The newest 100 messages, shown oldest first.
  const { items } = await deskie.listMessages(kase.case_id, { limit: 100, order: 'desc' });
  return items
    .reverse()
    .filter((m) => !m.note && m.staff_id > 0)
    .map((m) => ({
      author: 'Support' as const,
      text: m.content || plain(m.content_html ?? ''),
      createdAt: iso(m.created_at),
    }));
}

/** What a visitor sees of a case in Deskie. */
const caseAnswer = (form: FormConfig, seen: Seen, locale: string | undefined): StatusResponse => ({
  caseNumber: seen.kase.case_number,
  subject: seen.kase.subject,
  status: seen.kase.status,
  statusLabel: statusLabel(form, seen.kase.status, locale),
  createdAt: iso(seen.kase.created_at),
  updatedAt: iso(seen.kase.updated_at),
  ...(form.showReplies ? { replies: seen.replies ?? [] } : {}),
});

/** What anyone sees of a decoy (intake/decoys.ts): a case just filed, like any other. */
const decoyAnswer = (form: FormConfig, decoy: Decoy, locale: string | undefined): StatusResponse => {
  const at = new Date(decoy.createdAt).toISOString();
  return {
    caseNumber: decoy.caseNumber,
    subject: decoy.subject,
    status: 'open',
    statusLabel: statusLabel(form, 'open', locale),
    createdAt: at,
    updatedAt: at,
    ...(form.showReplies ? { replies: [] } : {}),
  };
};

export type Lookup = ReturnType<typeof createLookup>;

/** Lookups for one deployment. */
export function createLookup(deps: LookupDeps) {
  const { outbox, tokens, cache, failures, failureLimit, decoys } = deps;
  const decoyNumbered = (number: string, email: string) => {
    const decoy = decoys.byNumber(number, email);
    return decoy && { decoy };
  };

  /** What `token` grants: a case (by id and number), a still-queued submission, or nothing. */
  const byToken = async (token: string, formId: string) => {
    const claim = tokens.lookup.read(token);
    if (!claim || claim.formId !== formId) return undefined;
    if (claim.case && decoys.isDecoy(claim.receipt))
      return { decoy: decoys.recall(claim.receipt, formId, claim.case) };
    if (claim.case) return claim.case;
    const queued = await outbox.get(claim.receipt);
    if (!queued || queued.form_id !== formId) return undefined;
    if (queued.status !== 'delivered' || queued.case_id === null || queued.case_number === null)
      return queued;
    return { id: queued.case_id, number: queued.case_number };
  };

  /**
   * byNumber, counting every attempt on a case number before Deskie is asked — atomically, so
   * guesses sent at once are counted as they come — and giving a found one its count back.
   */
  const byNumberLimited = async (deskie: DeskieClient, number: string, email: string) => {
    const hits = await countHit(failures, number);
    if (hits.totalHits > failureLimit.limit)
      throw new ApiError('RATE_LIMITED', 'Too many attempts for this request number. Please try later.', {
        retryAfter: secondsUntil(hits.resetTime, failureLimit.windowSeconds),
      });
    const kase = (await byNumber(deskie, number, email.toLowerCase())) ?? decoyNumbered(number, email);
    if (kase) await failures.decrement(number);
    return kase;
  };

  /** The case as Deskie has it (from the cache when seen lately), with replies when the form shows them. */
  const see = async (
    deskie: DeskieClient,
    form: FormConfig,
    kase: DeskieCase | { id: number; number: string },
  ) => {
    const id = 'case_id' in kase ? kase.case_id : kase.id;
    const cached = cache.get(id);
    // A case just listed is fresher than one kept; one named by a token is read only when not kept.
    const found = 'case_id' in kase ? kase : (cached?.kase ?? (await deskie.getCase(kase.id)));
    if (!('case_id' in kase) && found.case_number !== kase.number) return undefined;
    if (found.deleted || found.spam) return undefined;
    const replies = cached?.replies ?? (form.showReplies ? await readReplies(deskie, found) : undefined);
    const seen = { kase: found, ...(replies ? { replies } : {}) };
    cache.put(seen);
    return seen;
  };

  return {
    /**
     * What the visitor may see of the request `request` names; throws NOT_FOUND for every miss,
     * DESKIE_UNAVAILABLE (with when to come back) when Deskie or its budget cannot serve it soon.
     */
    async find(
      form: FormConfig,
      request: StatusRequest,
      locale: string | undefined,
      signal?: AbortSignal,
    ): Promise<StatusResponse> {
      const { client: deskie, done } = deps.deskie(signal);
      const seen = await fromDeskie(
        (async () => {
          const target =
            'token' in request
              ? await byToken(request.token, form.id)
              : await byNumberLimited(deskie, request.caseNumber, request.email);
          if (!target || 'form_id' in target || 'decoy' in target) return target;
          return see(deskie, form, target);
        })(),
      ).finally(done);
      if (seen && 'decoy' in seen) return decoyAnswer(form, seen.decoy, locale);
      if (seen && 'form_id' in seen) return queuedAnswer(form, seen, locale);
      if (!seen) throw notFound();
      return caseAnswer(form, seen, locale);
    },
    /** Forgets what was seen of a case the backend has just changed. */
    forget: (caseId: number) => cache.forget(caseId),
  };
}
