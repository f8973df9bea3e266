/**
 * Bots: a form filled faster than a person could, or with the honeypot input filled in. They get an
 * answer shaped like a filed request — a case number and a signed lookup token for a decoy
 * (decoys.ts) that lookups answer like a fresh case — so they learn nothing, and no case is filed.
 */
import type { FormConfig } from '../config/schema';
import type { SubmissionBody, SubmissionResponse } from '../contract';
import type { Decoys } from '../core/decoys';
import type { Tokens } from '../core/tokens';
import { HONEYPOT } from '../forms/definition';
import { localize } from '../forms/i18n';
import { caseSubject } from './case';

/** Why a submission looks like a bot's, or undefined when it looks like a person's. */
export function spamReason(form: FormConfig, body: SubmissionBody, ageMs: number) {
  const honeypot = body.values[HONEYPOT];
  if ((typeof honeypot === 'string' && honeypot !== '') || honeypot === true) return 'honeypot';
  if (ageMs < form.minFillSeconds * 1000) return 'too fast';
  return undefined;
}

/** The answer a bot gets: what a filed request's would look like, its decoy remembered for lookups. */
export function fakeAnswer(
  form: FormConfig,
  body: SubmissionBody,
  tokens: Tokens,
  decoys: Decoys,
): SubmissionResponse {
  const text = (key: string) =>
    typeof body.values[key] === 'string' ? (body.values[key] as string) : undefined;
  const fallback = form.locales[0] ?? 'en';
  const locale = body.locale && form.locales.includes(body.locale) ? body.locale : fallback;
  const title = localize(form.title, locale, fallback) ?? form.id;
  const decoy = decoys.make(form.id, caseSubject(form, text('subject'), locale, title), text('email') ?? '');
  return {
    status: 'created',
    caseNumber: decoy.caseNumber,
    lookupToken: tokens.lookup.issue({
      formId: form.id,
      receipt: decoy.receipt,
      case: { id: decoy.caseId, number: decoy.caseNumber },
    }),
  };
}
