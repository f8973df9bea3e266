/**
 * The contract's schemas (zod/mini) for a form's rules beyond its fields: conditions, request
 * types, files, hidden values, consent. contract.ts puts them in the form definition and exports
 * them; server/rules.ts applies them.
 */
import * as z from 'zod/mini';
import { type Condition, fieldTypes } from './rules';

/** When a field is shown (server/rules.ts): on another answer, or on all (any) of several conditions. */
export const condition: z.ZodMiniType<Condition> = z.lazy(() =>
  z.union([
    z.object({ field: z.string(), equals: z.string() }),
    z.object({ field: z.string(), oneOf: z.array(z.string()) }),
    z.object({ field: z.string(), checked: z.literal(true) }),
    z.object({ field: z.string(), notEmpty: z.literal(true) }),
    z.object({ allOf: z.array(condition) }),
    z.object({ anyOf: z.array(condition) }),
  ]),
);
// Named in the OpenAPI document (it refers to itself, so it is a component there).
z.globalRegistry.add(condition, { id: 'Condition' });

/** A value the page sets (`data-hidden-<key>`, `prefill`, a URL query parameter), never shown. */
export const hiddenField = z.object({
  key: z.string(),
  type: z.enum(fieldTypes),
  maxLength: z.optional(z.number()),
  /** For selects: the allowed values. */
  options: z.optional(z.array(z.object({ value: z.string() }))),
  /** The URL query parameter it is read from, if any (`utm_source`). */
  query: z.optional(z.string()),
});
export type HiddenField = z.infer<typeof hiddenField>;

/** A required checkbox: `label` then a link to the owner's policy. Sent as `consent: true`. */
export const consentRule = z.object({
  label: z.string(),
  linkText: z.string(),
  url: z.string(),
  /** The policy's version the case records with the consent. */
  version: z.string(),
});

export const attachmentPolicy = z.object({
  maxFiles: z.number(),
  maxFileBytes: z.number(),
  maxTotalBytes: z.number(),
  /** MIME types accepted (e.g. `image/png`), for the file picker and the pre-upload check. */
  accept: z.array(z.string()),
});
export type AttachmentPolicy = z.infer<typeof attachmentPolicy>;

/** One answer to "What is it about?": it switches the form's texts, fields and files. */
export const requestType = z.object({
  /** Sent as the `type` value; fields of this type show while it is chosen. */
  value: z.string(),
  label: z.string(),
  /** The form's title and intro while this type is chosen. */
  title: z.optional(z.string()),
  intro: z.optional(z.string()),
  /** This type's files: a policy, or null for none. Absent: the form's. */
  attachments: z.optional(z.nullable(attachmentPolicy)),
});
export type RequestType = z.infer<typeof requestType>;
