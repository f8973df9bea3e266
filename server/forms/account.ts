/**
 * The config against the Deskie account it files into: every custom field, option, group, agent,
 * label and language it names must exist there, or cases would be refused (or land nowhere). Run by
 * `npm run forms -- check` and by the Node server at start; each problem names the key to fix and
 * says what the account has instead, by name.
 */
import { keyPath, placedFields } from '../config/check-rules';
import { type Config, ConfigError, type FormConfig } from '../config/schema';
import type { Logger } from '../core/log';
import type { DeskieClient } from '../deskie/client';
import type {
  DeskieCustomField,
  DeskieGroup,
  DeskieLabel,
  DeskieLanguage,
  DeskieStaff,
} from '../deskie/schemas';
import type { Condition } from '../rules';

/** What the config is checked against: the account's settings. */
export interface Account {
  customFields: DeskieCustomField[];
  groups: DeskieGroup[];
  labels: DeskieLabel[];
  languages: DeskieLanguage[];
  staff: DeskieStaff[];
}

/** Reads the account's settings (five small lists, one after another at Deskie's pace). */
export async function readAccount(client: DeskieClient): Promise<Account> {
  const customFields = await client.listCustomFields();
  const groups = await client.listGroups();
  const labels = await client.listLabels();
  const languages = await client.listLanguages();
  const staff = await client.listStaff();
  return { customFields, groups, labels, languages, staff };
}

/** One thing to fix: an error stops the start (cases would fail); a warning is logged. */
export interface AccountProblem {
  severity: 'error' | 'warning';
  /** `forms[0].fields[3].key: …` */
  line: string;
}

type Path = (string | number)[];
type Route = { groupId?: number; staffId?: number; labels?: number[]; languageId?: number };

const optionsOf = (f: DeskieCustomField) => (typeof f.field_data === 'object' ? f.field_data : {});
const listed = (entries: [number | string, string][]) =>
  entries.map(([id, name]) => `${id} ${name}`).join(', ');

/** Problems of the account's settings a form names: routes, labels, languages. */
function routeProblems(form: FormConfig, base: Path, account: Account): AccountProblem[] {
  const out: AccountProblem[] = [];
  const problem = (severity: AccountProblem['severity'], path: Path, message: string) =>
    out.push({ severity, line: `${keyPath([...base, ...path])}: ${message}` });
  const groups = listed(account.groups.filter((g) => g.active).map((g) => [g.group_id, g.group_title]));
  const check = (path: Path, route: Route, languages: [Path, number][]) => {
    const group = account.groups.find((g) => g.group_id === route.groupId);
    if (route.groupId !== undefined && !group?.active)
      problem(
        'error',
        [...path, 'groupId'],
        `${route.groupId} is ${group ? 'an inactive group' : 'not a group'} in Deskie (groups: ${groups})`,
      );
    const agent = account.staff.find((s) => s.staff_id === route.staffId);
    if (route.staffId !== undefined && !agent?.active)
      problem(
        'error',
        [...path, 'staffId'],
        `${route.staffId} is ${agent ? `${agent.staff_full_name}, inactive` : 'no agent'} in Deskie (agents: ${listed(account.staff.filter((s) => s.active).map((s) => [s.staff_id, s.staff_full_name]))})`,
      );
    (route.labels ?? []).forEach((id, i) => {
      if (!account.labels.some((l) => l.label_id === id))
        problem(
          'error',
          [...path, 'labels', i],
          `${id} is not a label in Deskie (labels: ${listed(account.labels.map((l) => [l.label_id, l.label_title]))})`,
        );
    });
    for (const [at, id] of languages) {
      const language = account.languages.find((l) => l.language_id === id);
      if (!language)
        problem(
          'error',
          at,
          `${id} is not a language in Deskie (${listed(account.languages.map((l) => [l.language_id, l.title]))})`,
        );
      else if (!language.active) problem('warning', at, `${id} (${language.title}) is inactive in Deskie`);
    }
  };
  const formLanguages = Object.entries(form.case.language ?? {}).map(([tag, id]): [Path, number] => [
    ['case', 'language', tag],
    id,
  ]);
  check(['case'], form.case, formLanguages);
  form.types?.options.forEach((type, i) => {
    const path = ['types', 'options', i, 'case'];
    const id = type.case?.languageId;
    check(path, type.case ?? {}, id === undefined ? [] : [[[...path, 'languageId'], id]]);
  });
  for (const { field, path } of placedFields(form))
    field.options?.forEach((o, i) => {
      const at = [...path, 'options', i, 'route'];
      const id = o.route?.languageId;
      if (o.route) check(at, o.route, id === undefined ? [] : [[[...at, 'languageId'], id]]);
    });
  return out;
}

/** Problems of one custom field a form names (a field or a hidden value's target). */
function customFieldProblems(
  key: string,
  at: Path,
  wanted: { type?: string; options?: { value: string }[] },
  fields: Map<string, DeskieCustomField>,
): [AccountProblem['severity'], Path, string][] {
  const deskie = fields.get(key);
  if (!deskie) return [['error', at, `${key} is not a custom field in this Deskie account`]];
  const name = `Deskie's "${deskie.title}" (${key})`;
  if (!deskie.active) return [['warning', at, `${name} is inactive: the form leaves it out`]];
  const out: [AccountProblem['severity'], Path, string][] = [];
  if (wanted.type && wanted.type !== deskie.field_type)
    out.push([
      'error',
      [...at.slice(0, -1), 'type'],
      `${name} is a ${deskie.field_type}, not ${wanted.type}`,
    ]);
  const options = optionsOf(deskie);
  wanted.options?.forEach((o, i) => {
    if (deskie.field_type === 'select' && !(o.value in options))
      out.push([
        'error',
        [...at.slice(0, -1), 'options', i, 'value'],
        `"${o.value}" is not an option of ${name}: ${listed(Object.entries(options))}`,
      ]);
  });
  return out;
}

/** Problems of conditions on custom fields whose type or options only Deskie knows. */
function conditionAccountProblems(
  form: FormConfig,
  fields: Map<string, DeskieCustomField>,
): [Path, string][] {
  const out: [Path, string][] = [];
  const placed = placedFields(form);
  const walk = (c: Condition, path: Path) => {
    if ('allOf' in c || 'anyOf' in c) {
      const [kind, list] = 'allOf' in c ? ['allOf', c.allOf] : ['anyOf', c.anyOf];
      list.forEach((d, i) => {
        walk(d, [...path, kind, i]);
      });
      return;
    }
    const config = placed.find((p) => p.field.key === c.field)?.field;
    const deskie = fields.get(c.field);
    if (!config || !deskie || config.type || config.options) return;
    const name = `Deskie's "${deskie.title}" (${c.field})`;
    if ('checked' in c && deskie.field_type !== 'checkbox')
      out.push([[...path, 'checked'], `${name} is not a checkbox`]);
    const wanted = 'equals' in c ? [c.equals] : 'oneOf' in c ? c.oneOf : [];
    const options = optionsOf(deskie);
    const missing = wanted.find((v) => deskie.field_type === 'select' && !(v in options));
    if (missing !== undefined)
      out.push([
        [...path, 'equals' in c ? 'equals' : 'oneOf'],
        `"${missing}" is not an option of ${name}: ${listed(Object.entries(options))}`,
      ]);
  };
  for (const { field, path } of placed) if (field.showIf) walk(field.showIf, [...path, 'showIf']);
  return out;
}

/** Every problem of `config` against `account`, in the order of the config. */
export function accountProblems(config: Config, account: Account): AccountProblem[] {
  const fields = new Map(account.customFields.map((f) => [`cf_${f.field_id}`, f]));
  return config.forms.flatMap((form, f) => {
    const base: Path = ['forms', f];
    const found: [AccountProblem['severity'], Path, string][] = [];
    for (const { field, path } of placedFields(form))
      if (field.key.startsWith('cf_'))
        found.push(...customFieldProblems(field.key, [...path, 'key'], field, fields));
    form.hidden.forEach((h, i) => {
      if (h.into !== 'context')
        found.push(...customFieldProblems(h.into, ['hidden', i, 'into'], { type: h.type }, fields));
    });
    for (const [path, message] of conditionAccountProblems(form, fields))
      found.push(['error', path, message]);
    return [
      ...found.map(([severity, path, message]) => ({
        severity,
        line: `${keyPath([...base, ...path])}: ${message}`,
      })),
      ...routeProblems(form, base, account),
    ];
  });
}

/**
 * The start's check of `config` against the account: a problem that would make Deskie refuse cases
 * stops the start (ConfigError, one line each); a warning is logged. When the account cannot be read
 * (Deskie down, a network fault, a wrong key) the start goes on, saying so: readiness tells the rest.
 */
export async function checkAccountAtStart(config: Config, client: DeskieClient, log: Logger): Promise<void> {
  let account: Account;
  try {
    account = await readAccount(client);
  } catch (error) {
    log('warn', 'config not checked against Deskie: the account could not be read', { error: String(error) });
    return;
  }
  const found = accountProblems(config, account);
  for (const p of found.filter((p) => p.severity === 'warning')) log('warn', 'config', { problem: p.line });
  const errors = found.filter((p) => p.severity === 'error').map((p) => p.line);
  if (errors.length > 0) throw new ConfigError(errors);
}
