/**
 * Widget options, from the script tag's data-* attributes or DeskieForm.init({...}). Checked by
 * hand (this runs in the loader, before the form is wanted, where every byte counts). A bad
 * option is reported once on the console as `[deskie-form] …` and never thrown into the host page.
 */

export interface WidgetOptions {
  /** The form's id on the backend (required). */
  form: string;
  /** The backend's origin; default: the origin the script was loaded from. */
  endpoint?: string;
  /** `launcher` (a floating button opening a dialog; default) or `inline`. */
  mode: 'launcher' | 'inline';
  /** For inline mode: where to render (a CSS selector). */
  target?: string;
  /** A BCP 47 tag; default: `<html lang>`, else the browser's language. */
  locale?: string;
  /** `light`, `dark` or `auto` (default: follows the visitor's system). */
  theme: 'light' | 'dark' | 'auto';
  /** A hex colour for buttons and focus rings. */
  accent?: string;
  /** Where the launcher floats: `bottom-right` (default) or `bottom-left`. */
  position: 'bottom-right' | 'bottom-left';
  /** The launcher's words; default: "Contact us" in the locale. */
  launcherText?: string;
  /** A request type, selected at first (the answer named `type`: parseOptions puts it in `prefill`). */
  type?: string;
  /** Initial field values: name, email, subject, message, cf_<id>, type or a hidden value's key. */
  prefill: Record<string, string | boolean>;
  /** Extra facts for the agent (e.g. plan or user id), sent with the page's context. */
  context: Record<string, string>;
  /** Values the page sets without the visitor seeing them, by key (the form's `hidden[]` decides which count). */
  hidden: Record<string, string>;
  /** Per-string overrides of the widget's words, by key (see docs/widget.md). */
  strings: Record<string, string>;
  /** CSP nonce for the fallback <style> element. */
  nonce?: string;
  /** A signed-in customer's identity, signed by the site's server (docs/identity.md). */
  userToken?: string;
}

/** Says what went wrong on the console, once, instead of throwing into the host page. */
export const report = (what: string, value: unknown): undefined =>
  void console.error(`[deskie-form] ${what}:`, value);

const isString = (v: unknown): v is string => typeof v === 'string';
const oneOf =
  (...allowed: string[]) =>
  (v: unknown) =>
    allowed.includes(v as string);
const matches = (pattern: RegExp) => (v: unknown) => isString(v) && pattern.test(v);
const recordOf = (item: (v: unknown) => boolean, max: number) => (v: unknown) =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.keys(v).length <= max &&
  Object.values(v).every(item);
const texts = recordOf(matches(/^.{0,500}$/s), 20);

/** Each option's check (what each must be: the options table in docs/widget.md). */
export const checks: Record<keyof WidgetOptions, (v: unknown) => boolean> = {
  form: matches(/^[a-z\d][a-z\d-]{0,62}$/),
  endpoint: matches(/^https?:\/\/[^\s?#]+$/),
  mode: oneOf('launcher', 'inline'),
  target: isString,
  locale: matches(/^[a-z]{2,3}(-[a-z\d]{2,8})*$/i),
  theme: oneOf('light', 'dark', 'auto'),
  accent: matches(/^#([\da-f]{3,4}|([\da-f]{2}){3,4})$/i),
  position: oneOf('bottom-right', 'bottom-left'),
  launcherText: matches(/^.{1,60}$/),
  type: isString,
  prefill: recordOf((v) => isString(v) || typeof v === 'boolean', 50),
  context: texts,
  hidden: texts,
  strings: recordOf(isString, 200),
  nonce: isString,
  userToken: isString,
};

/**
 * Reads the data-* attributes of the script tag: `data-prefill-email`, `data-context-plan`,
 * `data-hidden-utm_source`, `data-string-send`, …
 */
export function optionsFromDataset(dataset: DOMStringMap): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const groups: Record<string, Record<string, string>> = {};
  for (const [key, value] of Object.entries(dataset)) {
    const [, group, rest] = /^(prefill|context|hidden|string)(.+)$/.exec(key) ?? [];
    if (value === undefined) continue;
    if (group && rest) {
      const name = group === 'string' ? 'strings' : group;
      groups[name] ??= {};
      const values = groups[name];
      // dataset keys are camel-cased: `prefillCf_9` → `cf_9`.
      values[(rest[0] as string).toLowerCase() + rest.slice(1)] = value;
    } else if (key in checks) raw[key] = value; // other data-* (e.g. a CDN's own) are not ours
  }
  return { ...raw, ...groups };
}

type Values = Record<string, string | boolean>;

/**
 * `given` without its undefined values, when each of the others passes its option's check; else
 * undefined, after one console error naming the first that does not.
 */
export function checked(given: Record<string, unknown>): Partial<WidgetOptions> | undefined {
  const options: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) {
    const check = checks[name as keyof WidgetOptions];
    if (value === undefined) continue;
    if (!check?.(value)) return report(`${name in checks ? 'invalid' : 'unknown'} option "${name}"`, value);
    options[name] = value;
  }
  return options;
}

/** The values to fill in: `prefill`, and a request type as the answer named `type`. */
export const valuesOf = ({ prefill, type }: { prefill?: Values; type?: string }): Values => ({
  ...prefill,
  ...(type && { type }),
});

/** Validated options with defaults, or undefined after one console error naming the problem. */
export function parseOptions(raw: unknown, defaults: { endpoint?: string } = {}): WidgetOptions | undefined {
  const given = { ...(raw as object) } as Record<string, unknown>;
  // The form is required: missing, it is reported as any bad option.
  const options = checked({ ...given, form: given.form ?? null });
  if (!options) return undefined;
  const fallback = {
    mode: 'launcher',
    theme: 'auto',
    position: 'bottom-right',
    context: {},
    hidden: {},
    strings: {},
  };
  return {
    ...fallback,
    endpoint: defaults.endpoint,
    ...options,
    prefill: valuesOf(options),
  } as WidgetOptions;
}
