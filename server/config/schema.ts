/**
 * The owner's configuration: one JSON file (forms, origins, limits) validated at start-up. Secrets
 * never live here; they come from env vars (server/config/env.ts). A mistake stops start-up with one line
 * per problem naming the key, e.g. `forms[0].fields[2].key: …`.
 */
import * as z from 'zod';
import { caseStatuses } from '../contract';
import { formRuleProblems, typesGiveSubject } from './check-rules';
import {
  attachmentsConfig,
  conditionConfig,
  consentConfig,
  hiddenConfig,
  optionConfig,
  typesConfig,
} from './form-rules';
import { limitsConfig } from './limits';
import { locale, localized } from './localized';
import { notifyConfig } from './notify';

export type { Localized } from './localized';

const standardKeys = ['name', 'email', 'subject', 'message'] as const;

const fieldConfig = z.strictObject({
  /** `name`, `email`, `subject`, `message`, or a Deskie custom field `cf_<id>`. */
  key: z
    .string()
    .regex(/^(name|email|subject|message|cf_[1-9]\d*)$/, 'must be name, email, subject, message or cf_<id>'),
  /** For custom fields: overrides the type imported from Deskie. */
  type: z.enum(['text', 'textarea', 'select', 'checkbox', 'date']).optional(),
  label: localized.optional(),
  help: localized.optional(),
  placeholder: localized.optional(),
  /** Default: true for email and message, false otherwise. */
  required: z.boolean().optional(),
  maxLength: z.number().int().min(1).max(100_000).optional(),
  /** For selects: which Deskie option keys to offer, in this order, with these labels. Default: all, Deskie's labels. */
  options: z.array(optionConfig).min(1).optional(),
  /** Shown (and required) only while this holds. */
  showIf: conditionConfig.optional(),
});
export type FieldConfig = z.infer<typeof fieldConfig>;

export const contextItems = ['pageUrl', 'referrer', 'locale', 'userAgent', 'extra'] as const;

const formConfig = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes'),
    /** Locales the form speaks; the first is the default. */
    locales: z.array(locale).min(1).default(['en']),
    title: localized,
    intro: localized.optional(),
    fields: z.array(fieldConfig).min(1),
    /** How the created case is filed in Deskie. */
    case: z
      .strictObject({
        labels: z.array(z.number().int().positive()).default([]),
        groupId: z.number().int().positive().optional(),
        /** Deskie staff id of the agent every case is assigned to. */
        staffId: z.number().int().positive().optional(),
        priority: z.enum(['low', 'normal', 'high', 'critical']).optional(),
        /** Deskie `language_id` per form locale (ids differ between accounts). */
        language: z.record(locale, z.number().int().positive()).optional(),
        /** Subject when the form has no subject field. */
        subject: localized.optional(),
      })
      .default({ labels: [] }),
    /** Omit for a form without attachments. Sizes in bytes, within Deskie's 25 MB / 50 MB. */
    attachments: attachmentsConfig.optional(),
    /** "What is it about?": a first choice that switches the rest of the form. */
    types: typesConfig(fieldConfig).optional(),
    /** Values the page may set (`data-hidden-<key>`, prefill, URL query parameters). */
    hidden: z.array(hiddenConfig).default([]),
    /** A required checkbox with a link to the owner's policy. */
    consent: consentConfig.optional(),
    /** Customer-facing words per status (`queued` before Deskie has the case); defaults exist for en and ru. */
    statusLabels: z.partialRecord(z.enum(['queued', ...caseStatuses]), localized).default({}),
    /** Whether status lookups show support's public replies. */
    showReplies: z.boolean().default(true),
    /** A visitor's replies: to a closed case, reopen it (the message is added, the case set open) or refuse. */
    replies: z
      .strictObject({ closed: z.enum(['reopen', 'refuse']).default('reopen') })
      .default({ closed: 'reopen' }),
    /** What the case's context block tells the agent. */
    context: z.array(z.enum(contextItems)).default([...contextItems]),
    /** Submissions sooner than this after the form was shown are treated as bots. */
    minFillSeconds: z.number().min(0).max(600).default(3),
    captcha: z
      .strictObject({
        provider: z.enum(['turnstile', 'hcaptcha']),
        siteKey: z.string().min(1),
        /** The provider's script from elsewhere (a proxy, a self-hosted copy). Default: the provider's. */
        script: z.url({ protocol: /^https?$/ }).optional(),
      })
      .optional(),
  })
  .superRefine((form, ctx) => {
    const keys = form.fields.map((f) => f.key);
    keys.forEach((key, i) => {
      if (keys.indexOf(key) !== i)
        ctx.addIssue({ code: 'custom', path: ['fields', i, 'key'], message: `"${key}" appears twice` });
    });
    for (const needed of ['email', 'message'] as const) {
      const i = keys.indexOf(needed);
      if (i < 0)
        ctx.addIssue({
          code: 'custom',
          path: ['fields'],
          message: `needs a "${needed}" field: Deskie requires it`,
        });
      else if (form.fields[i]?.required === false)
        ctx.addIssue({
          code: 'custom',
          path: ['fields', i, 'required'],
          message: `"${needed}" must be required: Deskie requires it`,
        });
    }
    form.fields.forEach((f, i) => {
      const standard = (standardKeys as readonly string[]).includes(f.key);
      if (standard && (f.type || f.options))
        ctx.addIssue({
          code: 'custom',
          path: ['fields', i],
          message: 'type and options apply to custom fields only',
        });
      if (f.options && f.type && f.type !== 'select')
        ctx.addIssue({
          code: 'custom',
          path: ['fields', i, 'options'],
          message: 'options apply to select fields only',
        });
    });
    const a = form.attachments;
    if (a && a.maxFileBytes > a.maxTotalBytes)
      ctx.addIssue({
        code: 'custom',
        path: ['attachments', 'maxFileBytes'],
        message: 'must not exceed maxTotalBytes',
      });
    for (const { path, message } of formRuleProblems(form)) ctx.addIssue({ code: 'custom', path, message });
    if (!keys.includes('subject') && !form.case.subject && !typesGiveSubject(form))
      ctx.addIssue({
        code: 'custom',
        path: ['case', 'subject'],
        message: 'is needed when the form has no subject field',
      });
  });
export type FormConfig = z.infer<typeof formConfig>;

export const configSchema = z
  .strictObject({
    forms: z.array(formConfig).min(1),
    /** Origins allowed to embed the forms (`https://shop.example`), or `"*"` for any. */
    allowedOrigins: z
      .array(z.union([z.literal('*'), z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin)]))
      .default([]),
    deskie: z
      .strictObject({
        plan: z.enum(['basic', 'standard', 'pro']).default('basic'),
        agents: z.number().int().min(1).default(1),
        /** Overrides plan × agents. */
        rpm: z.number().int().min(2).optional(),
        /** Fraction of the account's rate budget this backend may use. */
        share: z.number().gt(0).max(1).default(0.8),
        timeoutSeconds: z.number().min(1).max(120).default(15),
        /** How long imported custom-field definitions are cached. */
        fieldCacheSeconds: z.number().int().min(0).default(600),
        /** Length of Deskie's rate window. Leave at 60 000; only a simulator compresses its minute. */
        windowMs: z.number().int().min(100).default(60_000),
        /**
         * Node: check the config against the account once listening (a few reads of the budget),
         * and stop on what Deskie would refuse. Off: run `npm run forms -- check` yourself.
         */
        checkAtStart: z.boolean().default(true),
      })
      .default({
        plan: 'basic',
        agents: 1,
        share: 0.8,
        timeoutSeconds: 15,
        fieldCacheSeconds: 600,
        windowMs: 60_000,
        checkAtStart: true,
      }),
    /** The outbox's delivery workers. */
    delivery: z
      .strictObject({
        /** Deliveries at once per instance. */
        concurrency: z.number().int().min(1).max(32).default(2),
        /** How long a delivery's lease lasts without a heartbeat (a dead instance's work is taken over after it). */
        leaseSeconds: z.number().min(1).max(3600).default(60),
        /**
         * How long to wait before looking in Deskie for a case whose create got no answer (a
         * timeout, a dropped connection, a crash mid-send): Deskie may still be making it.
         */
        reconcileAfterSeconds: z.number().min(0).max(3600).default(30),
      })
      .default({ concurrency: 2, leaseSeconds: 60, reconcileAfterSeconds: 30 }),
    /** How status lookups use Deskie's budget: they must never starve the cases. */
    lookups: z
      .strictObject({
        /** The most of the rate budget lookups may use in a window; deliveries always have the rest. */
        budgetShare: z.number().gt(0).max(1).default(0.5),
        /** How long a lookup waits for budget before the visitor is told to come back (503). */
        waitSeconds: z.number().min(0).max(60).default(3),
        /** How long a case and its replies, once read, answer further lookups of it. */
        cacheSeconds: z.number().min(0).max(3600).default(30),
      })
      .default({ budgetShare: 0.5, waitSeconds: 3, cacheSeconds: 30 }),
    /** How long the outbox keeps a visitor's message and files (docs/privacy.md). */
    retention: z
      .strictObject({
        /** Days after delivery (the case exists in Deskie; a repeat still gets its answer without them). */
        deliveredDays: z.number().min(0).max(3650).default(7),
        /** Days after acceptance that a dead letter stays retryable. */
        deadDays: z.number().min(0).max(3650).default(30),
      })
      .default({ deliveredDays: 7, deadDays: 30 }),
    limits: limitsConfig,
    /**
     * The owner's webhook, told of every dead letter with a signed POST (its secret:
     * DESKIE_FORM_NOTIFY_SECRET). Omit for none: the log line and readiness still say it.
     */
    notify: notifyConfig.optional(),
    /**
     * Behind proxies you run, the client's address is the one the nearest of them recorded in
     * X-Forwarded-For: `true` for one proxy, or how many stand in front (a CDN and a balancer: 2).
     */
    trustProxy: z.union([z.boolean(), z.number().int().min(1).max(10)]).default(false),
  })
  .superRefine((config, ctx) => {
    const ids = config.forms.map((f) => f.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i)
        ctx.addIssue({ code: 'custom', path: ['forms', i, 'id'], message: `"${id}" appears twice` });
    });
  });

export type Config = z.infer<typeof configSchema>;

/** A configuration that cannot be used; `problems` has one `path: message` line each. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Gathers the problems of several checks, so that one start (or deploy) names them all: `check`
 * runs one and keeps its ConfigError's problems (anything else is thrown on); `keep` does the same
 * for an error already caught (a rejected promise).
 */
export function gatherProblems() {
  const problems: string[] = [];
  const keep = (error: unknown): undefined => {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
    return undefined;
  };
  return {
    problems,
    keep,
    check<T>(run: () => T): T | undefined {
      try {
        return run();
      } catch (error) {
        return keep(error);
      }
    },
  };
}

const pathText = (path: PropertyKey[]) =>
  path.reduce<string>(
    (s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)),
    '',
  ) || '(root)';

/** Validates a decoded config file; throws ConfigError naming every bad key. */
export function parseConfig(raw: unknown): Config {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${pathText(i.path)}: ${i.message}`));
}
