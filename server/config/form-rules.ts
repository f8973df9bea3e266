/**
 * The config's parts for adaptive forms: conditions on fields, request types, routing by answer,
 * hidden values from the page, consent. schema.ts puts them into a form; check-rules.ts checks how
 * they fit together; docs/configuration.md explains each with an example.
 */
import * as z from 'zod';
import { MAX_FILE_BYTES, MAX_TOTAL_BYTES } from '../deskie/limits';
import { casePriorities } from '../deskie/schemas';
import type { Condition } from '../rules';
import { locale, localized } from './localized';

const conditionShape =
  'must be {"field", "equals" | "oneOf" | "checked": true | "notEmpty": true} or {"allOf" | "anyOf": [conditions]}';

/** When a field is shown: `{"field": "cf_9", "equals": "2"}`, `{"anyOf": [...]}`, … (server/rules.ts). */
export const conditionConfig: z.ZodType<Condition> = z.lazy(() =>
  z.union(
    [
      z.strictObject({ field: z.string().min(1), equals: z.string().min(1) }),
      z.strictObject({ field: z.string().min(1), oneOf: z.array(z.string().min(1)).min(1) }),
      z.strictObject({ field: z.string().min(1), checked: z.literal(true) }),
      z.strictObject({ field: z.string().min(1), notEmpty: z.literal(true) }),
      z.strictObject({ allOf: z.array(conditionConfig).min(1) }),
      z.strictObject({ anyOf: z.array(conditionConfig).min(1) }),
    ],
    { error: conditionShape },
  ),
);

const id = z.number().int().positive();

/** Where an answer sends the case in Deskie; each part overrides the form's (labels add up). */
export const routeConfig = z.strictObject({
  /** Deskie group id. */
  groupId: id.optional(),
  /** Deskie staff id: the agent the case is assigned to. */
  staffId: id.optional(),
  /** Deskie label ids, added to the form's. */
  labels: z.array(id).min(1).optional(),
  priority: z.enum(casePriorities).optional(),
  /** Deskie `language_id`, whatever the form's locale. */
  languageId: id.optional(),
});
export type RouteConfig = z.infer<typeof routeConfig>;

/** A select's option as offered: its Deskie key, its label, and where it sends the case. */
export const optionConfig = z.strictObject({
  value: z.string().min(1),
  label: localized.optional(),
  route: routeConfig.optional(),
});

const mime = z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, 'must be a MIME type such as "image/png"');

/** The files a form (or a request type) takes. Sizes in bytes, within Deskie's 25 MB / 50 MB. */
export const attachmentsConfig = z.strictObject({
  maxFiles: z.number().int().min(1).max(20).default(5),
  maxFileBytes: z
    .number()
    .int()
    .min(1)
    .max(MAX_FILE_BYTES)
    .default(10 * 1024 * 1024),
  maxTotalBytes: z
    .number()
    .int()
    .min(1)
    .max(MAX_TOTAL_BYTES)
    .default(25 * 1024 * 1024),
  types: z
    .array(mime)
    .min(1)
    .default(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain']),
});

/**
 * The request types of a form ("What is it about?"), with the form's own field schema: each type
 * has a label, its own texts, fields, files and case settings.
 */
export const typesConfig = <F extends z.ZodType>(field: F) =>
  z.strictObject({
    /** The question. Default: "What is it about?" in the locale. */
    label: localized.optional(),
    help: localized.optional(),
    options: z
      .array(
        z.strictObject({
          /** Sent as the `type` value, and what `data-type` / `DeskieForm.open({type})` name. */
          value: z
            .string()
            .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be lower-case letters, digits, "-" and "_"'),
          label: localized,
          /** The form's title and intro while this type is chosen. Default: the form's. */
          title: localized.optional(),
          intro: localized.optional(),
          /** This type's own fields, shown just before the message while it is chosen. */
          fields: z.array(field).default([]),
          /** This type's files; `false` for none. Default: the form's. */
          attachments: z.union([z.literal(false), attachmentsConfig]).optional(),
          /** How its cases are filed, over the form's `case`. */
          case: routeConfig.extend({ subject: localized.optional() }).optional(),
        }),
      )
      .min(1),
  });

/** A value the page may set, never shown: allow-listed, checked like a field, sent where it says. */
export const hiddenConfig = z.strictObject({
  /** The name the page sets it by: `data-hidden-<key>`, `DeskieForm.prefill({<key>: …})`. */
  key: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower-case letters, digits and "_", starting with a letter')
    .refine(
      (k) => !/^(name|email|subject|message|type|consent|cf_\d+)$/.test(k),
      'is the name of a field: pick another',
    ),
  /** A URL query parameter of the page it is read from (`utm_source`). Default: none. */
  query: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,60}$/, 'must be a query parameter name')
    .optional(),
  /** A Deskie custom field `cf_<id>`, or `"context"`: a line of the case's context block. */
  into: z
    .string()
    .regex(/^(context|cf_[1-9]\d*)$/, 'must be "context" or cf_<id>')
    .default('context'),
  /** The context line's name for the agent. Default: the key. */
  label: z.string().min(1).max(60).optional(),
  /** For a custom field: overrides the type imported from Deskie. */
  type: z.enum(['text', 'textarea', 'select', 'checkbox', 'date']).optional(),
  maxLength: z.number().int().min(1).max(2000).optional(),
});
export type HiddenConfig = z.infer<typeof hiddenConfig>;

const httpsUrl = z.url({ protocol: /^https?$/ });

/** A required checkbox; the case records that consent was given, when, and to which policy. */
export const consentConfig = z.strictObject({
  /** Default: "I agree that my data is used to answer this request." in the locale. */
  label: localized.optional(),
  /** The link's words. Default: "Privacy policy" in the locale. */
  linkText: localized.optional(),
  /** The owner's policy, one for all locales or per locale. */
  url: z.union([httpsUrl, z.record(locale, httpsUrl)]),
  /** The policy's version (a date, a number), recorded with each consent. */
  version: z.string().min(1).max(40),
});
export type ConsentConfig = z.infer<typeof consentConfig>;
