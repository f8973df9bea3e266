/** From a checked submission to the Deskie case it files: fields, labels, language and a context block. */
import type { FormConfig } from '../config/schema';
import type { PublicForm, SubmissionBody, ValidValues } from '../contract';
import type { Identity } from '../core/identity';
import type { NewCase } from '../deskie/schemas';
import { localize } from '../forms/i18n';
import { referenceLine } from '../outbox/deliver';

/** Request facts the visitor's browser did not write itself. */
export interface RequestFacts {
  userAgent?: string;
}

const oneLine = (text: string, max = 2048) =>
  [...text]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || ch === '\u007f' ? ' ' : ch))
    .join('')
    .trim()
    .slice(0, max);
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
  body: SubmissionBody,
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
  body: SubmissionBody,
  facts: RequestFacts,
  /** The submission's id: written into the case so a lost answer can be reconciled. */
  reference: string,
  /** A signed-in customer, as the site vouches: their email, name and id are the case's. */
  identity?: Identity,
): NewCase {
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const context = [...contextBlock(config, body, form.locale, facts), referenceLine(reference)];
  const content = [text('message') ?? '', '', '—', ...context].join('\n');
  const custom: Record<string, string | boolean> = {};
  for (const field of form.fields) {
    const value = values[field.key];
    if (field.key.startsWith('cf_') && value !== undefined) custom[field.key] = value;
  }
  const languageId = config.case.language?.[form.locale];
  const name = identity?.name ?? text('name');
  return {
    user_email: identity?.email ?? text('email') ?? '',
    ...(name ? { user_full_name: name } : {}),
    ...(identity?.externalId ? { user_custom_id: identity.externalId } : {}),
    subject: caseSubject(config, text('subject'), form.locale, form.title),
    content,
    ...(languageId ? { language_id: languageId } : {}),
    ...(config.case.groupId ? { group_id: config.case.groupId } : {}),
    ...(config.case.priority ? { priority: config.case.priority } : {}),
    ...(config.case.labels.length > 0 ? { labels: config.case.labels } : {}),
    ...(Object.keys(custom).length > 0 ? { custom_fields: custom } : {}),
  };
}
