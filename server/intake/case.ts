/** From a checked submission to the Deskie case it files: fields, labels, language and a context block. */
import type { FormConfig } from '../config/schema';
import type { PublicForm, SubmissionBody, ValidValues } from '../contract';
import { ApiError } from '../core/errors';
import type { Identity } from '../core/identity';
import type { NewCase } from '../deskie/schemas';
import type { ResolvedForm } from '../forms/definition';
import { localize } from '../forms/i18n';
import { referenceLine } from '../outbox/deliver';
import { answerLines, hiddenCustomFields, routeCase } from './routing';

/** Request facts the visitor's browser did not write itself. */
export interface RequestFacts {
  userAgent?: string;
  /** When the submission was accepted (the consent's time). Default: now. */
  now?: number;
}

/** Control characters: each is one UTF-16 unit, so replacing them leaves every other character whole. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f]/g;
const oneLine = (text: string, max = 2048) => text.replace(CONTROL, ' ').trim().slice(0, max);
const httpUrl = (text: string | undefined) => {
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? oneLine(url.href) : undefined;
  } catch {
    return undefined;
  }
};

/** The lines under the message that tell the agent where the request came from. */
export function contextBlock(
  config: FormConfig,
  body: Pick<SubmissionBody, 'context'>,
  locale: string,
  facts: RequestFacts,
): string[] {
  const lines: string[] = [];
  for (const item of config.context) {
    if (item === 'pageUrl') {
      const page = httpUrl(body.context?.pageUrl);
      if (page) lines.push(`Page: ${page}`);
    } else if (item === 'referrer') {
      const referrer = httpUrl(body.context?.referrer);
      if (referrer) lines.push(`Referrer: ${referrer}`);
    } else if (item === 'locale') {
      lines.push(`Locale: ${oneLine(body.context?.locale ?? locale, 35)}`);
    } else if (item === 'extra') {
      for (const [key, value] of Object.entries(body.context?.extra ?? {}))
        lines.push(`Context ${key}: ${oneLine(value, 500)}`);
    } else if (facts.userAgent) {
      lines.push(`Browser: ${oneLine(facts.userAgent, 512)}`);
    }
  }
  return lines;
}

/** A case's subject: the visitor's, else the form's configured one, else the form's title. */
export const caseSubject = (config: FormConfig, subject: string | undefined, locale: string, title: string) =>
  oneLine(subject ?? localize(config.case.subject, locale, config.locales[0] ?? 'en') ?? title, 250);

/** The Deskie case for a valid submission. Content is plain text only: nothing the visitor wrote is sent as HTML. */
export function buildCase(
  config: FormConfig,
  form: PublicForm,
  values: ValidValues,
  body: Pick<SubmissionBody, 'context'>,
  facts: RequestFacts,
  /** The submission's id: written into the case so a lost answer can be reconciled. */
  reference: string,
  /** A signed-in customer, as the site vouches: their email, name and id are the case's. */
  identity?: Identity,
): NewCase {
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const answers = answerLines(config, values, form.locale, { now: facts.now ?? Date.now(), oneLine });
  const context = [...contextBlock(config, body, form.locale, facts), ...answers, referenceLine(reference)];
  const content = [text('message') ?? '', '', '—', ...context].join('\n');
  const custom: Record<string, string | boolean> = hiddenCustomFields(config, values);
  for (const field of form.fields) {
    const value = values[field.key];
    if (field.key.startsWith('cf_') && value !== undefined) custom[field.key] = value;
  }
  const route = routeCase(config, values, form.locale);
  const name = identity?.name ?? text('name');
  // Added one by one rather than spread in: each spread of a small object costs V8 an object and a
  // copy (see http/secure-headers.ts `apiHeaders`), and a case is built for every submission.
  const kase: NewCase = {
    user_email: identity?.email ?? text('email') ?? '',
    subject: caseSubject(config, text('subject') ?? route.subject, form.locale, form.title),
    content,
  };
  if (name) kase.user_full_name = name;
  if (identity?.externalId) kase.user_custom_id = identity.externalId;
  if (route.language_id) kase.language_id = route.language_id;
  if (route.group_id) kase.group_id = route.group_id;
  if (route.staff_id) kase.staff_id = route.staff_id;
  if (route.priority) kase.priority = route.priority;
  if (route.labels.length > 0) kase.labels = route.labels;
  if (Object.keys(custom).length > 0) kase.custom_fields = custom;
  return kase;
}

/**
 * The answers as the form's rules take them, and the case they file; throws VALIDATION_FAILED
 * with each refused field. Intake files what this returns; the demo's preview only shows it.
 */
export function checkedCase(
  config: FormConfig,
  resolved: Pick<ResolvedForm, 'form' | 'validate'>,
  body: Pick<SubmissionBody, 'values' | 'context'>,
  facts: RequestFacts,
  reference: string,
  identity?: Identity,
): { values: ValidValues; kase: NewCase } {
  // A signed-in customer is who the site says, whatever the form's fields say.
  const given = identity
    ? { ...body.values, email: identity.email, ...(identity.name ? { name: identity.name } : {}) }
    : body.values;
  const checked = resolved.validate(given);
  if (!checked.ok)
    throw new ApiError('VALIDATION_FAILED', 'Some fields need attention.', { fields: checked.fields });
  const kase = buildCase(config, resolved.form, checked.values, body, facts, reference, identity);
  return { values: checked.values, kase };
}
