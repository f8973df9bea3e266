/**
 * Status lookup without an account: by the lookup token a submission returned, or by case number
 * plus the email that filed it. Every miss — unknown case, wrong email, bad token — is the same
 * NOT_FOUND, and guesses are limited per case number, so nobody can enumerate cases.
 */
import type { Store } from 'hono-rate-limiter';
import type { FormConfig } from '../config/schema';
import type { StatusRequest, StatusResponse } from '../contract';
import type { Clock } from '../core/clock';
import type { Decoy, Decoys } from '../core/decoys';
import { ApiError } from '../core/errors';
import type { IdentityVerifier } from '../core/identity';
import type { Tokens } from '../core/tokens';
import type { DeskieClient } from '../deskie/client';
import type { DeskieCase } from '../deskie/schemas';
import { statusLabel } from '../forms/definition';
import { type OutboxStore, payloadSubject, type Submission } from '../outbox/types';
import { countHit, secondsUntil } from '../rate/limits';
import type { CaseCache, Seen } from './cache';
import { fromDeskie, notFound } from './errors';
import { openFile } from './files';
import { createHistory } from './history';
import { iso, type PublicMessage, publicReplies, readReplies } from './replies';

const EMAIL = /^[^\s@^]+@[^\s@^]+\.[^\s@^]+$/;
const CASE_NUMBER = /^\d{1,10}-\d{1,10}$/;
const PAGES = 10; // a customer with more than 1 000 cases is looked up by token

export interface LookupDeps {
  /**
   * A Deskie client for one visitor's lookup, ended with the visitor's request (`signal`): its
   * calls use the lookup lane of the rate budget, `cost` (default 2: the case and its replies)
   * taken whole at the first, and give up soon rather than queue; `done` ends its use of the budget.
   */
  deskie: (signal: AbortSignal | undefined, cost?: number) => { client: DeskieClient; done(): void };
  clock: Clock;
  /** Checks a signed-in customer's identity; undefined when the site signs nobody in. */
  identity: IdentityVerifier | undefined;
  /** How long a page of a customer's requests answers again ("My requests"). */
  historyCacheMs: number;
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

/** What a visitor sees of a request still waiting in the outbox. */
function queuedAnswer(form: FormConfig, row: Submission, locale: string | undefined): StatusResponse {
  const at = new Date(row.created_at).toISOString();
  return {
    receipt: row.id,
    subject: row.payload ? payloadSubject(row.payload) : '',
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

/** What a visitor sees of a case in Deskie; `shown` turns its public messages into what is shown. */
const caseAnswer = (
  form: FormConfig,
  seen: Seen,
  locale: string | undefined,
  shown: (messages: PublicMessage[]) => Pick<StatusResponse, 'replies' | 'thread'>,
): StatusResponse => ({
  caseNumber: seen.kase.case_number,
  subject: seen.kase.subject,
  status: seen.kase.status,
  statusLabel: statusLabel(form, seen.kase.status, locale),
  createdAt: iso(seen.kase.created_at),
  updatedAt: iso(seen.kase.updated_at),
  ...(form.showReplies ? shown(seen.replies ?? []) : {}),
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
    ...(form.showReplies ? { replies: [], thread: [] } : {}),
  };
};

/** The case as Deskie has it (from the cache when seen lately), with replies when the form shows them. */
async function see(
  cache: CaseCache,
  deskie: DeskieClient,
  form: FormConfig,
  kase: DeskieCase | { id: number; number: string },
  withReplies = form.showReplies,
) {
  const id = 'case_id' in kase ? kase.case_id : kase.id;
  const mark = cache.mark();
  const cached = cache.get(id);
  // A case just listed is fresher than one kept; one named by a token is read only when not kept.
  const found = 'case_id' in kase ? kase : (cached?.kase ?? (await deskie.getCase(kase.id)));
  if (!('case_id' in kase) && found.case_number !== kase.number) return undefined;
  if (found.deleted || found.spam) return undefined;
  const replies = cached?.replies ?? (withReplies ? await readReplies(deskie, found.case_id) : undefined);
  const seen = { kase: found, ...(replies ? { replies } : {}) };
  // Kept only whole (a lookup that finds it kept must not miss the replies it shows), and only
  // when read now: a lookup answered from the cache must not make what it holds last longer.
  if (!cached && (replies || !form.showReplies)) cache.put(seen, mark);
  return seen;
}

export type Lookup = ReturnType<typeof createLookup>;

/** Lookups for one deployment. */
export function createLookup(deps: LookupDeps) {
  const { outbox, tokens, cache, failures, failureLimit, decoys, clock } = deps;
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

  /**
   * What `request` names — a case as Deskie has it (with its replies when `withReplies`), a request
   * still queued, a decoy — or undefined for every miss.
   */
  const reach = async (
    form: FormConfig,
    request: StatusRequest,
    signal: AbortSignal | undefined,
    withReplies: boolean,
  ) => {
    const { client: deskie, done } = deps.deskie(signal, withReplies ? 2 : 1);
    const named = async () => {
      const found =
        'token' in request
          ? await byToken(request.token, form.id)
          : await byNumberLimited(deskie, request.caseNumber, request.email);
      if (!found || 'form_id' in found || 'decoy' in found) return found;
      return see(cache, deskie, form, found, withReplies);
    };
    return fromDeskie(named()).finally(done);
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
      const seen = await reach(form, request, signal, form.showReplies);
      if (seen && 'decoy' in seen) return decoyAnswer(form, seen.decoy, locale);
      if (seen && 'form_id' in seen) return queuedAnswer(form, seen, locale);
      if (!seen) throw notFound();
      const at = { formId: form.id, caseId: seen.kase.case_id };
      return caseAnswer(form, seen, locale, (replies) => publicReplies(tokens, clock, at, replies));
    },
    /**
     * The case a visitor's reply goes to, let in as a lookup is (the same misses, the same limits),
     * without reading its replies: a bot's decoy by its number; CASE_PENDING while the request waits
     * in the outbox (it has no case yet).
     */
    async authorize(
      form: FormConfig,
      request: StatusRequest,
      signal?: AbortSignal,
    ): Promise<DeskieCase | { decoy: string }> {
      const found = await reach(form, request, signal, false);
      if (!found) throw notFound();
      if ('decoy' in found) return { decoy: found.decoy.caseNumber };
      if ('form_id' in found)
        throw new ApiError(
          'CASE_PENDING',
          'Your request is still on its way to support: reply once it has a number.',
        );
      return found.kase;
    },
    /** A signed-in customer's requests, a page at a time (history.ts). */
    requests: createHistory(deps),
    /** A file of support's reply, by the link a status answer gave (files.ts). */
    file: (form: FormConfig, link: string, signal?: AbortSignal) => openFile(deps, form, link, signal),
    /** Forgets what was seen of a case the backend has just changed. */
    forget: (caseId: number) => cache.forget(caseId),
  };
}
