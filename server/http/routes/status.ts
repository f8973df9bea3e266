/**
 * Status lookup without an account: by the lookup token a submission returned, or by case number
 * plus the email that filed it. Every miss — unknown case, wrong email, bad token — is the same
 * 404, and guesses are limited per address and per case number, so nobody can enumerate cases.
 */
import { Hono } from 'hono';
import { describeRoute, resolver } from 'hono-openapi';
import type { FormConfig } from '../../config/schema';
import { errorBody, type StatusResponse, statusRequest, statusResponse } from '../../contract';
import { ApiError, fromDeskieError } from '../../core/errors';
import { DeskieError } from '../../deskie/errors';
import type { DeskieCase } from '../../deskie/schemas';
import { findForm, statusLabel } from '../../forms/definition';
import type { Payload } from '../../outbox/deliver';
import type { Submission } from '../../outbox/store';
import type { AppEnv, Deps } from '../deps';

const json = (schema: Parameters<typeof resolver>[0]) => ({
  'application/json': { schema: resolver(schema) },
});
const notFound = () => new ApiError('NOT_FOUND', 'No request matches these details.');
const EMAIL = /^[^\s@^]+@[^\s@^]+\.[^\s@^]+$/;
const CASE_NUMBER = /^\d{1,10}-\d{1,10}$/;
const PAGES = 10; // a customer with more than 1 000 cases is looked up by token

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
  const payload = JSON.parse(row.payload) as Payload;
  const at = new Date(row.created_at).toISOString();
  return {
    receipt: row.id,
    subject: payload.case.subject,
    status: 'queued',
    statusLabel: statusLabel(form, 'queued', locale),
    createdAt: at,
    updatedAt: at,
  };
}

export function statusRoutes(deps: Deps) {
  const { config, deskie, signer } = deps;
  const { limit, windowSeconds } = config.limits.lookupFailuresPerCase;
  const failures = deps.limiterStore('lookup-failures', windowSeconds * 1000);

  /** What `token` grants: a case, a still-queued submission, or nothing. */
  const byToken = async (token: string, formId: string): Promise<DeskieCase | Submission | undefined> => {
    const claim = await signer.verify('lookup', token);
    if (!claim || claim.f !== formId) return undefined;
    let caseId = typeof claim.c === 'number' ? claim.c : undefined;
    let caseNumber = claim.n;
    if (caseId === undefined && typeof claim.r === 'string') {
      const queued = await deps.delivery.store.get(claim.r);
      if (!queued || queued.form_id !== formId) return undefined;
      if (queued.status !== 'delivered' || queued.case_id === null) return queued;
      caseId = queued.case_id;
      caseNumber = queued.case_number;
    }
    if (caseId === undefined) return undefined;
    const kase = await deskie.getCase(caseId);
    return kase.case_number === caseNumber ? kase : undefined;
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

  const app = new Hono<AppEnv>();
  app.post(
    '/forms/:id/status',
    describeRoute({
      summary: 'Look up a request by lookup token, or by case number and email',
      requestBody: { content: json(statusRequest) },
      responses: {
        200: { description: 'What the customer may see of the case', content: json(statusResponse) },
        404: { description: 'No request matches (always the same answer)', content: json(errorBody) },
        429: { description: 'Too many lookups', content: json(errorBody) },
      },
    }),
    async (c) => {
      const form = findForm(config, c.req.param('id'));
      const parsed = statusRequest.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) throw new ApiError('BAD_REQUEST', 'Send {"token"} or {"caseNumber","email"}.');
      const request = parsed.data;
      let kase: DeskieCase | undefined;
      const locale = request.locale ?? c.req.header('accept-language');
      try {
        if ('token' in request) {
          const found = await byToken(request.token, form.id);
          if (found && 'form_id' in found) {
            c.header('Cache-Control', 'no-store');
            return c.json(queuedAnswer(form, found, locale));
          }
          kase = found;
        } else {
          const number = request.caseNumber;
          const seen = await failures.get?.(number);
          if (seen && seen.totalHits >= limit) {
            const wait = seen.resetTime
              ? Math.ceil((seen.resetTime.getTime() - deps.clock.now()) / 1000)
              : windowSeconds;
            throw new ApiError(
              'RATE_LIMITED',
              'Too many attempts for this request number. Please try later.',
              {
                retryAfter: Math.max(1, wait),
              },
            );
          }
          kase = await byNumber(number, request.email.toLowerCase());
          if (!kase) await failures.increment(number);
        }
      } catch (error) {
        if (error instanceof DeskieError && error.code === 'DESKIE_NOT_FOUND') throw notFound();
        if (error instanceof DeskieError) throw fromDeskieError(error);
        throw error;
      }
      if (!kase || kase.deleted || kase.spam) throw notFound();

      const answer: StatusResponse = {
        caseNumber: kase.case_number,
        subject: kase.subject,
        status: kase.status,
        statusLabel: statusLabel(form, kase.status, locale),
        createdAt: iso(kase.created_at),
        updatedAt: iso(kase.updated_at),
      };
      if (form.showReplies) {
        // The newest 100 messages, shown oldest first.
        const { items } = await deskie
          .listMessages(kase.case_id, { limit: 100, order: 'desc' })
          .catch((error: unknown) => {
            throw error instanceof DeskieError ? fromDeskieError(error) : error;
          });
        items.reverse();
        // Only agents' public replies: never internal notes, never who wrote them.
        answer.replies = items
          .filter((m) => !m.note && m.staff_id > 0)
          .map((m) => ({
            author: 'Support' as const,
            text: m.content || plain(m.content_html ?? ''),
            createdAt: iso(m.created_at),
          }));
      }
      c.header('Cache-Control', 'no-store');
      return c.json(answer);
    },
  );
  return app;
}
