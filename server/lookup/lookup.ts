/**
 * Status lookup without an account: by the lookup token a submission returned, or by case number
 * plus the email that filed it. Every miss — unknown case, wrong email, bad token — is the same
 * NOT_FOUND, and guesses are limited per case number, so nobody can enumerate cases.
 */
import type { Store } from 'hono-rate-limiter';
import type { FormConfig } from '../config/schema';
import type { StatusRequest, StatusResponse } from '../contract';
import type { Clock } from '../core/clock';
import { ApiError } from '../core/errors';
import type { Tokens } from '../core/tokens';
import type { DeskieClient } from '../deskie/client';
import { DeskieError } from '../deskie/errors';
import type { DeskieCase } from '../deskie/schemas';
import { statusLabel } from '../forms/definition';
import type { OutboxStore, Submission } from '../outbox/types';
import { secondsUntil } from '../rate/limits';

const EMAIL = /^[^\s@^]+@[^\s@^]+\.[^\s@^]+$/;
const CASE_NUMBER = /^\d{1,10}-\d{1,10}$/;
const PAGES = 10; // a customer with more than 1 000 cases is looked up by token

export interface LookupDeps {
  deskie: DeskieClient;
  outbox: OutboxStore;
  tokens: Tokens;
  clock: Clock;
  /** Failed lookups per case number (whoever tries), ready for the window of `failureLimit`. */
  failures: Store;
  failureLimit: { limit: number; windowSeconds: number };
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

export type Lookup = ReturnType<typeof createLookup>;

/** Lookups for one deployment. */
export function createLookup(deps: LookupDeps) {
  const { deskie, outbox, tokens, clock, failures, failureLimit } = deps;

  /** What `token` grants: a case, a still-queued submission, or nothing. */
  const byToken = async (token: string, formId: string): Promise<DeskieCase | Submission | undefined> => {
    const claim = tokens.lookup.read(token);
    if (!claim || claim.formId !== formId) return undefined;
    let kase = claim.case;
    if (!kase) {
      const queued = await outbox.get(claim.receipt);
      if (!queued || queued.form_id !== formId) return undefined;
      if (queued.status !== 'delivered' || queued.case_id === null || queued.case_number === null)
        return queued;
      kase = { id: queued.case_id, number: queued.case_number };
    }
    const found = await deskie.getCase(kase.id);
    return found.case_number === kase.number ? found : undefined;
  };

  /** The case numbered `number` among the cases filed with exactly `email`, or undefined. */
  const byNumber = async (number: string, email: string) => {
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
  };

  /** byNumber, counting misses per case number and refusing once a number has had too many. */
  const byNumberLimited = async (number: string, email: string) => {
    const seen = await failures.get?.(number);
    if (seen && seen.totalHits >= failureLimit.limit)
      throw new ApiError('RATE_LIMITED', 'Too many attempts for this request number. Please try later.', {
        retryAfter: secondsUntil(seen.resetTime, clock.now(), failureLimit.windowSeconds),
      });
    const kase = await byNumber(number, email.toLowerCase());
    if (!kase) await failures.increment(number);
    return kase;
  };

  /** Support's public replies, oldest first: never internal notes, never who wrote them. */
  const replies = async (kase: DeskieCase) => {
    // The newest 100 messages, shown oldest first.
    const { items } = await fromDeskie(deskie.listMessages(kase.case_id, { limit: 100, order: 'desc' }));
    return items
      .reverse()
      .filter((m) => !m.note && m.staff_id > 0)
      .map((m) => ({
        author: 'Support' as const,
        text: m.content || plain(m.content_html ?? ''),
        createdAt: iso(m.created_at),
      }));
  };

  return {
    /** What the visitor may see of the request `request` names; throws NOT_FOUND for every miss. */
    async find(
      form: FormConfig,
      request: StatusRequest,
      locale: string | undefined,
    ): Promise<StatusResponse> {
      const found = await fromDeskie(
        'token' in request
          ? byToken(request.token, form.id)
          : byNumberLimited(request.caseNumber, request.email),
      );
      if (found && 'form_id' in found) return queuedAnswer(form, found, locale);
      if (!found || found.deleted || found.spam) throw notFound();
      return {
        caseNumber: found.case_number,
        subject: found.subject,
        status: found.status,
        statusLabel: statusLabel(form, found.status, locale),
        createdAt: iso(found.created_at),
        updatedAt: iso(found.updated_at),
        ...(form.showReplies ? { replies: await replies(found) } : {}),
      };
    },
  };
}
