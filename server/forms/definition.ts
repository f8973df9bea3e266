/**
 * Turns a configured form into the public definition the widget renders: texts in one locale,
 * custom fields typed and optioned from the account's Deskie definitions (cached), nothing secret.
 */

import type { Config, FieldConfig, FormConfig } from '../config/schema';
import { createValidator, type PublicField, type PublicForm } from '../contract';
import type { Clock } from '../core/clock';
import { ApiError } from '../core/errors';
import { sha256Hex } from '../core/hash';
import type { DeskieClient } from '../deskie/client';
import type { DeskieCustomField } from '../deskie/schemas';
import { placeFields, policyOf, publicConsent, publicHidden, publicTypes } from './adaptive';
import { builtIn, direction, localize, pickLocale } from './i18n';

/** The name of the honeypot input; bots fill in anything that looks like a website field. */
export const HONEYPOT = 'website';

/** The account's custom-field definitions, fetched at most once per `ttlMs` (stale ones serve while Deskie is down). */
export function createFieldCatalog(client: DeskieClient, ttlMs: number, clock: Clock) {
  let cached: { at: number; fields: Map<number, DeskieCustomField> } | undefined;
  let pending: Promise<Map<number, DeskieCustomField>> | undefined;
  return async (): Promise<Map<number, DeskieCustomField>> => {
    if (cached && clock.now() - cached.at < ttlMs) return cached.fields;
    pending ??= client
      .listCustomFields()
      .then((list) => {
        cached = { at: clock.now(), fields: new Map(list.map((f) => [f.field_id, f])) };
        return cached.fields;
      })
      .finally(() => {
        pending = undefined;
      });
    try {
      return await pending;
    } catch (error) {
      if (cached) return cached.fields;
      throw error;
    }
  };
}
export type FieldCatalog = ReturnType<typeof createFieldCatalog>;

export const findForm = (config: Config, id: string): FormConfig => {
  const form = config.forms.find((f) => f.id === id);
  if (!form) throw new ApiError('FORM_NOT_FOUND', `There is no form "${id}".`);
  return form;
};

const fieldId = (key: string) => Number(key.slice(3));
const STANDARD_TYPES = { name: 'text', email: 'email', subject: 'text', message: 'textarea' } as const;
const STANDARD_MAX = { name: 200, email: 254, subject: 250, message: 20_000 } as const;

/** A resolved form and its compiled rules. Shared between requests: do not mutate. */
export interface ResolvedForm {
  form: PublicForm;
  validate: ReturnType<typeof createValidator>;
  /** The definition's entity tag: computed once per form, locale and field definitions. */
  etag: string;
  /** The definition as JSON, serialized once with its tag. */
  json: string;
}

/**
 * Resolves forms through `catalog`, keeping each form × locale until the catalog hands out new
 * field definitions, so a request costs neither a rebuild nor a recompile of the rules.
 */
export function createFormResolver(catalog: FieldCatalog) {
  const cache = new Map<
    FormConfig,
    Map<string, { from: Map<number, DeskieCustomField> | undefined; resolved: ResolvedForm }>
  >();
  /** Whether a form needs Deskie's field definitions: a walk over its fields, done once per form. */
  const asksDeskie = new WeakMap<FormConfig, boolean>();
  return async (config: FormConfig, wanted: string | undefined): Promise<ResolvedForm> => {
    const locale = pickLocale(wanted, config.locales);
    if (!asksDeskie.has(config)) asksDeskie.set(config, needsDeskie(config));
    const fields = asksDeskie.get(config) ? await loadFields(catalog) : undefined;
    const byLocale = cache.get(config) ?? new Map();
    cache.set(config, byLocale);
    const known = byLocale.get(locale);
    if (known && known.from === fields) return known.resolved;
    const form = buildForm(config, locale, fields ?? new Map());
    const json = JSON.stringify(form);
    const resolved = {
      form,
      validate: createValidator(form),
      etag: `"${sha256Hex(json).slice(0, 32)}"`,
      json,
    };
    byLocale.set(locale, { from: fields, resolved });
    return resolved;
  };
}
export type FormResolver = ReturnType<typeof createFormResolver>;

/** Whether the config leaves something of a custom field (type, label, option labels) to Deskie. */
const needsDeskie = (form: FormConfig) =>
  placeFields(form).some(
    ({ field: f }) =>
      f.key.startsWith('cf_') &&
      (!f.type || !f.label || (f.type === 'select' && !f.options?.every((o) => o.label))),
  ) || form.hidden.some((h) => h.into !== 'context' && (!h.type || h.type === 'select'));

async function loadFields(catalog: FieldCatalog) {
  try {
    return await catalog();
  } catch {
    throw new ApiError(
      'NOT_READY',
      'The form cannot be shown right now: its fields could not be loaded from Deskie.',
      {
        retryAfter: 30,
      },
    );
  }
}

type Text = (value: Parameters<typeof localize>[0]) => string | undefined;

/** One configured field in `locale`; undefined for a custom field Deskie marks inactive. */
function buildField(
  f: FieldConfig,
  text: Text,
  locale: string,
  deskieFields: Map<number, DeskieCustomField>,
): PublicField | undefined {
  if (f.key === 'name' || f.key === 'email' || f.key === 'subject' || f.key === 'message')
    return {
      key: f.key,
      type: STANDARD_TYPES[f.key],
      label: text(f.label) ?? builtIn(f.key, locale),
      help: text(f.help),
      placeholder: text(f.placeholder),
      required: f.required ?? (f.key === 'email' || f.key === 'message'),
      maxLength: Math.min(f.maxLength ?? STANDARD_MAX[f.key], STANDARD_MAX[f.key]),
    };
  const deskie = deskieFields.get(fieldId(f.key));
  // Deskie lists inactive fields too; a form hides them (deskie-api.md §4).
  if (deskie && !deskie.active) return undefined;
  const type = f.type ?? deskie?.field_type;
  if (!type)
    throw new ApiError(
      'NOT_READY',
      `Field ${f.key} is not defined in Deskie and has no "type" in the config.`,
    );
  const deskieOptions = deskie && typeof deskie.field_data === 'object' ? deskie.field_data : {};
  const options =
    type === 'select'
      ? (f.options ?? Object.keys(deskieOptions).map((value) => ({ value, label: undefined }))).map((o) => ({
          value: o.value,
          label: text(o.label) ?? deskieOptions[o.value] ?? o.value,
        }))
      : undefined;
  return {
    key: f.key,
    type,
    label: text(f.label) ?? deskie?.title ?? f.key,
    help: text(f.help),
    placeholder: text(f.placeholder),
    required: f.required ?? false,
    maxLength:
      type === 'text' || type === 'textarea' ? (f.maxLength ?? (type === 'text' ? 200 : 5_000)) : undefined,
    options,
  };
}

/** The public definition of `form` in `locale`, with Deskie's custom-field definitions. */
function buildForm(
  form: FormConfig,
  locale: string,
  deskieFields: Map<number, DeskieCustomField>,
): PublicForm {
  const fallback = form.locales[0] ?? 'en';
  const text: Text = (value) => localize(value, locale, fallback);
  const fields = placeFields(form).flatMap(({ field, showIf }) => {
    const built = buildField(field, text, locale, deskieFields);
    return built ? [showIf ? { ...built, showIf } : built] : [];
  });
  const types = publicTypes(form, locale, text);
  const consent = publicConsent(form, locale, text);
  return {
    id: form.id,
    locale,
    dir: direction(locale),
    title: text(form.title) ?? form.id,
    intro: text(form.intro),
    fields,
    attachments: form.attachments ? policyOf(form.attachments) : null,
    honeypot: HONEYPOT,
    captcha: form.captcha,
    showReplies: form.showReplies,
    minFillSeconds: form.minFillSeconds,
    ...(types ? { types } : {}),
    ...(form.hidden.length > 0 ? { hidden: publicHidden(form, deskieFields) } : {}),
    ...(consent ? { consent } : {}),
  };
}

/** The customer-facing words for a Deskie status in `locale`. */
export function statusLabel(form: FormConfig, status: string, wanted: string | undefined): string {
  const locale = pickLocale(wanted, form.locales);
  const configured = localize(
    form.statusLabels[status as keyof FormConfig['statusLabels']],
    locale,
    form.locales[0] ?? 'en',
  );
  if (configured) return configured;
  return status === 'open' || status === 'waiting' || status === 'closed' || status === 'queued'
    ? builtIn(status, locale)
    : status;
}
