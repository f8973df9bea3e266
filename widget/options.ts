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
  /** Initial field values: name, email, subject, message or cf_<id>. */
  prefill: Record<string, string | boolean>;
  /** Extra facts for the agent (e.g. plan or user id), sent with the page's context. */
  context: Record<string, string>;
  /** Per-string overrides of the widget's words, by key (see docs/widget.md). */
  strings: Record<string, string>;
  /** CSP nonce for the fallback <style> element. */
  nonce?: string;
  /** A signed-in customer's identity, signed by the site's server (docs/identity.md). */
  userToken?: string;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const oneOf = (...allowed: string[]) =>
  [(v: unknown) => allowed.includes(v as string), allowed.join(' or ')] as const;
const matches = (pattern: RegExp) => (v: unknown) => isString(v) && pattern.test(v);
const recordOf = (item: (v: unknown) => boolean, max: number) => (v: unknown) =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.keys(v).length <= max &&
  Object.values(v).every(item);

/** Each option's check, and what it must be (for the console message). */
export const checks: Record<keyof WidgetOptions, readonly [(v: unknown) => boolean, string]> = {
  form: [matches(/^[a-z0-9][a-z0-9-]{0,62}$/), 'a form id'],
  endpoint: [matches(/^https?:\/\/[^\s?#]+$/), 'an http(s) URL'],
  mode: oneOf('launcher', 'inline'),
  target: [isString, 'a CSS selector'],
  locale: [matches(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/), 'a language tag'],
  theme: oneOf('light', 'dark', 'auto'),
  accent: [matches(/^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i), 'a hex colour'],
  position: oneOf('bottom-right', 'bottom-left'),
  launcherText: [matches(/^.{1,60}$/), '1 to 60 characters'],
  prefill: [recordOf((v) => isString(v) || typeof v === 'boolean', 50), 'texts or booleans'],
  context: [recordOf(matches(/^.{0,500}$/s), 20), '≤ 20 texts of ≤ 500 characters'],
  strings: [recordOf(isString, 200), 'texts'],
  nonce: [isString, 'a nonce'],
  userToken: [isString, 'a token'],
};

/** Reads the data-* attributes of the script tag: `data-prefill-email`, `data-context-plan`, `data-string-send`, … */
export function optionsFromDataset(dataset: DOMStringMap): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const groups: Record<string, Record<string, string>> = { prefill: {}, context: {}, strings: {} };
  for (const [key, value] of Object.entries(dataset)) {
    const group = /^(prefill|context|string)(.+)$/.exec(key);
    if (value === undefined) continue;
    if (group?.[1] && group[2]) {
      // dataset keys are camel-cased: `prefillCf_9` → `cf_9`.
      const name = group[2].charAt(0).toLowerCase() + group[2].slice(1);
      (groups[group[1] === 'string' ? 'strings' : group[1]] as Record<string, string>)[name] = value;
    } else if (key in checks) raw[key] = value; // other data-* (e.g. a CDN's own) are not ours
  }
  return { ...raw, ...groups };
}

/** Validated options with defaults, or undefined after one console error naming the problem. */
export function parseOptions(raw: unknown, defaults: { endpoint?: string } = {}): WidgetOptions | undefined {
  const given = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const options: Record<string, unknown> = {
    mode: 'launcher',
    theme: 'auto',
    position: 'bottom-right',
    prefill: {},
    context: {},
    strings: {},
    endpoint: defaults.endpoint,
  };
  for (const name of ['form', ...Object.keys(given)]) {
    const value = given[name];
    const check = checks[name as keyof WidgetOptions];
    if (value === undefined && name !== 'form') continue;
    if (!check?.[0](value)) {
      console.error(
        `[deskie-form] ${check ? 'invalid' : 'unknown'} option "${name}": expected ${check?.[1] ?? Object.keys(checks).join(', ')}, got`,
        value,
      );
      return undefined;
    }
    options[name] = value;
  }
  return options as unknown as WidgetOptions;
}
