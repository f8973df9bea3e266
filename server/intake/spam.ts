/**
 * Bots: a form filled faster than a person could, or with the honeypot input filled in. They get an
 * answer shaped like a filed request — a case number and a signed lookup token — so they learn
 * nothing, and no case is filed.
 */
import type { FormConfig } from '../config/schema';
import type { SubmissionBody, SubmissionResponse } from '../contract';
import type { Random } from '../core/clock';
import type { Tokens } from '../core/tokens';
import { HONEYPOT } from '../forms/definition';
import { newSubmissionId } from './idempotency';

/** Why a submission looks like a bot's, or undefined when it looks like a person's. */
export function spamReason(form: FormConfig, body: SubmissionBody, ageMs: number) {
  const honeypot = body.values[HONEYPOT];
  if ((typeof honeypot === 'string' && honeypot !== '') || honeypot === true) return 'honeypot';
  if (ageMs < form.minFillSeconds * 1000) return 'too fast';
  return undefined;
}

/** A case number shaped like Deskie's. */
const fakeCaseNumber = (random: Random) => {
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  return `${1 + Math.floor(random() * 9)}${digits(2)}-${digits(6)}`;
};

/** The answer a bot gets: what a filed request's would look like. */
export const fakeAnswer = (formId: string, tokens: Tokens, random: Random): SubmissionResponse => ({
  status: 'created',
  caseNumber: fakeCaseNumber(random),
  lookupToken: tokens.lookup.issue({ formId, receipt: newSubmissionId() }),
});
