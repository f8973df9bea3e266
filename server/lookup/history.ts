/**
 * "My requests": every case Deskie has for a signed-in customer, newest first, a page at a time.
 * The email comes from the identity the owner's site signed (core/identity.ts), never from what a
 * visitor typed, and is matched exactly (`^email^`). One page costs one read in the lookup lane,
 * and is kept as long as a case read is (`lookups.cacheSeconds`): a visitor paging back and forth,
 * or reopening the panel, costs Deskie nothing more.
 */
import type { FormConfig } from '../config/schema';
import type { RequestsRequest, RequestsResponse } from '../contract';
import { ApiError } from '../core/errors';
import type { DeskieCase, DeskiePage } from '../deskie/schemas';
import { statusLabel } from '../forms/definition';
import { fromDeskie } from './errors';
import type { LookupDeps } from './lookup';
import { iso } from './replies';

/** Requests per page. */
export const PAGE_SIZE = 20;
const MAX_ENTRIES = 1_000;

/** The lookup token of a case found for its customer (not filed here, or filed on another device). */
const receiptOf = (kase: DeskieCase) => `case_${kase.case_id}`;

export function createHistory(deps: LookupDeps) {
  const pages = new Map<string, { at: number; page: DeskiePage<DeskieCase> }>();
  const ttlMs = deps.historyCacheMs;

  /** One page of the customer's cases, from the cache when read lately. */
  const read = async (email: string, page: number, signal: AbortSignal | undefined) => {
    const key = `${email}\n${page}`;
    const kept = pages.get(key);
    if (kept && deps.clock.now() - kept.at < ttlMs) return kept.page;
    const { client, done } = deps.deskie(signal, 1);
    const found = await fromDeskie(
      client.listCases({ user_email: email, page, limit: PAGE_SIZE, sort: 'created_at_desc' }),
    ).finally(done);
    pages.delete(key);
    if (ttlMs > 0) pages.set(key, { at: deps.clock.now(), page: found });
    if (pages.size > MAX_ENTRIES) pages.delete(pages.keys().next().value as string);
    return found;
  };

  /** The requests of the customer `request.identityToken` vouches for; throws IDENTITY_* when it does not. */
  return async (
    form: FormConfig,
    request: RequestsRequest,
    locale: string | undefined,
    signal?: AbortSignal,
  ): Promise<RequestsResponse> => {
    if (!deps.identity)
      throw new ApiError('IDENTITY_INVALID', 'The sign-in could not be verified: this site signs nobody in.');
    const who = deps.identity(request.identityToken);
    const page = request.page ?? 1;
    const { items, totalCount } = await read(who.email, page, signal);
    const requests = items
      .filter((k) => !k.deleted && !k.spam)
      .map((k) => ({
        caseNumber: k.case_number,
        subject: k.subject,
        status: k.status,
        statusLabel: statusLabel(form, k.status, locale),
        createdAt: iso(k.created_at),
        updatedAt: iso(k.updated_at),
        lookupToken: deps.tokens.lookup.issue({
          formId: form.id,
          receipt: receiptOf(k),
          case: { id: k.case_id, number: k.case_number },
        }),
      }));
    return {
      customer: { email: who.email, ...(who.name ? { name: who.name } : {}) },
      requests,
      page,
      pageSize: PAGE_SIZE,
      total: totalCount,
    };
  };
}
