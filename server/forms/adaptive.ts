/**
 * The adaptive parts of a public definition: the request types, each type's fields placed among
 * the form's with the condition that shows them, the hidden values the page may set, consent.
 * Nothing of the routing: where a case lands is the server's business (intake/routing.ts).
 */
import type { FieldConfig, FormConfig, Localized } from '../config/schema';
import type { AttachmentPolicy, Condition, HiddenField, PublicForm } from '../contract';
import type { DeskieCustomField } from '../deskie/schemas';
import { TYPE_KEY } from '../rules';
import { adaptiveWord } from './adaptive-words';

type Text = (value: Localized | undefined) => string | undefined;

/** A field in display order, with the condition its place adds (its request type). */
export interface PlacedField {
  field: FieldConfig;
  showIf: Condition | undefined;
}

const both = (a: Condition | undefined, b: Condition | undefined): Condition | undefined =>
  a && b ? { allOf: [a, b] } : (a ?? b);

/**
 * The form's fields in display order: its own, with each request type's fields just before the
 * message (the request's body comes last), each shown only while its type is chosen.
 */
export function placeFields(form: FormConfig): PlacedField[] {
  const own = form.fields.map((field) => ({ field, showIf: field.showIf }));
  const typed = (form.types?.options ?? []).flatMap((type) =>
    type.fields.map((field) => ({
      field,
      showIf: both({ field: TYPE_KEY, equals: type.value }, field.showIf),
    })),
  );
  const message = own.findIndex((p) => p.field.key === 'message');
  const at = message < 0 ? own.length : message;
  return [...own.slice(0, at), ...typed, ...own.slice(at)];
}

/** A configured file policy as the widget reads it. */
export const policyOf = (a: NonNullable<FormConfig['attachments']>): AttachmentPolicy => ({
  maxFiles: a.maxFiles,
  maxFileBytes: a.maxFileBytes,
  maxTotalBytes: a.maxTotalBytes,
  accept: a.types,
});

/** The most any request type of the form (or the form itself) takes: the cap while a body streams in. */
export function widestAttachments(form: FormConfig): FormConfig['attachments'] {
  const all = [form.attachments, ...(form.types?.options ?? []).map((t) => t.attachments || undefined)];
  const some = all.filter((a) => a !== undefined);
  const [first] = some;
  if (!first) return undefined;
  return {
    maxFiles: Math.max(...some.map((a) => a.maxFiles)),
    maxFileBytes: Math.max(...some.map((a) => a.maxFileBytes)),
    maxTotalBytes: Math.max(...some.map((a) => a.maxTotalBytes)),
    types: [...new Set(some.flatMap((a) => a.types))],
  };
}

/** The request types in one locale. */
export function publicTypes(form: FormConfig, locale: string, text: Text): PublicForm['types'] {
  if (!form.types) return undefined;
  return {
    label: text(form.types.label) ?? adaptiveWord('requestType', locale),
    help: text(form.types.help),
    options: form.types.options.map((t) => ({
      value: t.value,
      label: text(t.label) ?? t.value,
      title: text(t.title),
      intro: text(t.intro),
      attachments: t.attachments === undefined ? undefined : t.attachments ? policyOf(t.attachments) : null,
    })),
  };
}

/**
 * The values the page may set, each checked as what it fills: a custom field's type and options,
 * or a line of text. A value meant for a custom field Deskie marks inactive is not taken.
 */
export function publicHidden(form: FormConfig, deskieFields: Map<number, DeskieCustomField>): HiddenField[] {
  return form.hidden.flatMap((h): HiddenField[] => {
    const base = { key: h.key, ...(h.query ? { query: h.query } : {}) };
    if (h.into === 'context') return [{ ...base, type: 'text', maxLength: h.maxLength ?? 200 }];
    const deskie = deskieFields.get(Number(h.into.slice(3)));
    if (deskie && !deskie.active) return [];
    const type = h.type ?? deskie?.field_type ?? 'text';
    const options =
      type === 'select' && deskie && typeof deskie.field_data === 'object'
        ? Object.keys(deskie.field_data).map((value) => ({ value }))
        : undefined;
    const textual = type === 'text' || type === 'textarea';
    const maxLength = textual ? (h.maxLength ?? (type === 'text' ? 200 : 5_000)) : undefined;
    return [{ ...base, type, ...(maxLength ? { maxLength } : {}), ...(options ? { options } : {}) }];
  });
}

/** The consent checkbox in one locale. */
export function publicConsent(form: FormConfig, locale: string, text: Text): PublicForm['consent'] {
  const c = form.consent;
  if (!c) return undefined;
  return {
    label: text(c.label) ?? adaptiveWord('consent', locale),
    linkText: text(c.linkText) ?? adaptiveWord('policy', locale),
    url: text(c.url) ?? '',
    version: c.version,
  };
}
