/**
 * What the answers add to the case Deskie receives: where it lands (group, assignee, labels,
 * priority, language), the hidden values the page set, the request type and the consent given.
 * Routing reads only checked answers, so a field that was not shown routes nothing.
 */
import type { FormConfig } from '../config/schema';
import type { ValidValues } from '../contract';
import type { CasePriority } from '../deskie/schemas';
import { placeFields } from '../forms/adaptive';
import { localize } from '../forms/i18n';
import { CONSENT_KEY, chosenType } from '../rules';

/** Where a case lands in Deskie, as the create call names it. */
export interface Routed {
  group_id?: number;
  staff_id?: number;
  labels: number[];
  priority?: CasePriority;
  language_id?: number;
  /** The chosen type's subject, for a request without one. */
  subject?: string;
}

/**
 * The case's settings for these answers: the form's `case`, then the chosen request type's, then
 * each chosen option's in display order — a later one overrides group, assignee, priority and
 * language; labels add up.
 */
export function routeCase(config: FormConfig, values: ValidValues, locale: string): Routed {
  const fallback = config.locales[0] ?? 'en';
  const routed: Routed = {
    labels: [...config.case.labels],
    group_id: config.case.groupId,
    staff_id: config.case.staffId,
    priority: config.case.priority,
    language_id: config.case.language?.[locale],
  };
  const type = chosenType(config, values);
  const routes = [
    type?.case,
    ...placeFields(config).map(
      ({ field }) => field.options?.find((o) => o.value === values[field.key])?.route,
    ),
  ];
  for (const route of routes) {
    if (!route) continue;
    routed.group_id = route.groupId ?? routed.group_id;
    routed.staff_id = route.staffId ?? routed.staff_id;
    routed.priority = route.priority ?? routed.priority;
    routed.language_id = route.languageId ?? routed.language_id;
    routed.labels = [...new Set([...routed.labels, ...(route.labels ?? [])])];
  }
  const subject = localize(type?.case?.subject, locale, fallback);
  return subject ? { ...routed, subject } : routed;
}

/** The hidden values bound for custom fields, by field. */
export function hiddenCustomFields(
  config: FormConfig,
  values: ValidValues,
): Record<string, string | boolean> {
  const custom: Record<string, string | boolean> = {};
  for (const h of config.hidden) {
    const value = values[h.key];
    if (h.into !== 'context' && value !== undefined) custom[h.into] = value;
  }
  return custom;
}

/**
 * The context lines the answers add for the agent: the request type (in the form's first
 * language), hidden values bound for the context, and the consent given — when, and to which
 * policy — as the record of it. Values are one line each already (`oneLine`).
 */
export function answerLines(
  config: FormConfig,
  values: ValidValues,
  locale: string,
  at: { now: number; oneLine: (text: string) => string },
): string[] {
  const lines: string[] = [];
  const fallback = config.locales[0] ?? 'en';
  const type = chosenType(config, values);
  if (type) lines.push(`Request type: ${localize(type.label, fallback, fallback) ?? type.value}`);
  for (const h of config.hidden) {
    const value = values[h.key];
    if (h.into === 'context' && typeof value === 'string')
      lines.push(`${h.label ?? h.key}: ${at.oneLine(value)}`);
  }
  const consent = config.consent;
  if (consent && values[CONSENT_KEY] === true) {
    const url = localize(consent.url, locale, fallback);
    const when = new Date(at.now).toISOString();
    lines.push(`Consent: given ${when} to ${url} (version ${consent.version})`);
  }
  return lines;
}
