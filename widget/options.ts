/**
 * Widget options, from the script tag's data-* attributes or DeskieForm.init({...}). A bad option
 * is reported once on the console as `[deskie-form] …` and never thrown into the host page.
 */
import * as z from 'zod/mini';

const hexColor = z.string().check(z.regex(/^#[0-9a-fA-F]{3,8}$/));

export const optionsSchema = z.object({
  /** The form's id on the backend (required). */
  form: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/)),
  /** The backend's origin; default: the origin the script was loaded from. */
  endpoint: z.optional(z.url()),
  mode: z._default(z.enum(['launcher', 'inline']), 'launcher'),
  /** For inline mode: where to render (a CSS selector). */
  target: z.optional(z.string()),
  locale: z.optional(z.string().check(z.regex(/^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$/))),
  theme: z._default(z.enum(['light', 'dark', 'auto']), 'auto'),
  accent: z.optional(hexColor),
  position: z._default(z.enum(['bottom-right', 'bottom-left']), 'bottom-right'),
  launcherText: z.optional(z.string().check(z.maxLength(60))),
  /** Initial field values: name, email, subject, message or cf_<id>. */
  prefill: z._default(z.record(z.string(), z.union([z.string(), z.boolean()])), {}),
  /** Extra facts for the agent (e.g. plan or user id), sent with the page's context. */
  context: z._default(z.record(z.string(), z.string()), {}),
  /** CSP nonce for the fallback <style> element. */
  nonce: z.optional(z.string()),
});

export type WidgetOptions = z.infer<typeof optionsSchema>;

/** Reads the data-* attributes of the script tag: `data-prefill-email`, `data-context-plan`, … */
export function optionsFromDataset(dataset: DOMStringMap): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const prefill: Record<string, string> = {};
  const context: Record<string, string> = {};
  for (const [key, value] of Object.entries(dataset)) {
    if (value === undefined) continue;
    if (key.startsWith('prefill') && key.length > 7) prefill[fieldKey(key.slice(7))] = value;
    else if (key.startsWith('context') && key.length > 7) context[fieldKey(key.slice(7))] = value;
    else raw[key] = value;
  }
  return { ...raw, prefill, context };
}

/** `Email` → `email`, `Cf_9` → `cf_9` (dataset keys are camel-cased). */
const fieldKey = (key: string) => key.charAt(0).toLowerCase() + key.slice(1);

/** Validated options, or undefined after one console error naming the problem. */
export function parseOptions(raw: unknown, defaults: { endpoint?: string } = {}): WidgetOptions | undefined {
  const result = optionsSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    console.error(
      `[deskie-form] invalid option "${issue?.path.join('.') || 'form'}": ${issue?.message ?? 'invalid'}`,
    );
    return undefined;
  }
  return { ...result.data, endpoint: result.data.endpoint ?? defaults.endpoint };
}
