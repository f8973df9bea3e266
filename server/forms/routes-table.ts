/**
 * "What lands where": a form's routing in one table, by name (`npm run forms -- routes`). One row
 * for every request, then one per request type and per option that routes, in the order intake
 * applies them (intake/routing.ts): a later row overrides group, agent, priority and language;
 * labels add up.
 */

import type { RouteConfig } from '../config/form-rules';
import type { FormConfig } from '../config/schema';
import type { Account } from './account';
import { placeFields } from './adaptive';
import { localize } from './i18n';

type Row = [when: string, group: string, agent: string, labels: string, priority: string, language: string];

const HEADER: Row = ['when', 'group', 'agent', 'labels', 'priority', 'language'];

/** The rows of `form`'s routing, names from `account` where it is given. */
export function routeRows(form: FormConfig, account?: Account): Row[] {
  const fallback = form.locales[0] ?? 'en';
  const text = (value: Parameters<typeof localize>[0]) => localize(value, fallback, fallback);
  const named = (id: number | undefined, list: { id: number; name: string }[] | undefined) =>
    id === undefined
      ? ''
      : `${id}${list?.find((e) => e.id === id) ? ` ${list.find((e) => e.id === id)?.name}` : ''}`;
  const groups = account?.groups.map((g) => ({ id: g.group_id, name: g.group_title }));
  const agents = account?.staff.map((s) => ({ id: s.staff_id, name: s.staff_full_name }));
  const labels = account?.labels.map((l) => ({ id: l.label_id, name: l.label_title }));
  const languages = account?.languages.map((l) => ({ id: l.language_id, name: l.title }));
  const row = (when: string, r: RouteConfig, language: string, add = '+ '): Row => [
    when,
    named(r.groupId, groups),
    named(r.staffId, agents),
    (r.labels ?? []).map((id) => `${add}${named(id, labels)}`).join(', '),
    r.priority ?? '',
    language,
  ];
  const locales = Object.entries(form.case.language ?? {})
    .map(([tag, id]) => `${tag}: ${named(id, languages)}`)
    .join(', ');
  const rows: Row[] = [row('every request', form.case, locales, '')];
  for (const type of form.types?.options ?? [])
    if (type.case)
      rows.push(
        row(`type = ${type.value} (${text(type.label)})`, type.case, named(type.case.languageId, languages)),
      );
  for (const { field } of placeFields(form))
    for (const o of field.options ?? [])
      if (o.route)
        rows.push(
          row(
            `${field.key}${field.label ? ` (${text(field.label)})` : ''} = ${o.value}${o.label ? ` ${text(o.label)}` : ''}`,
            o.route,
            named(o.route.languageId, languages),
          ),
        );
  return rows;
}

/** The table as text lines, columns padded. */
export function routeTable(form: FormConfig, account?: Account): string[] {
  const rows = [HEADER, ...routeRows(form, account)].map((r) => r.map((cell) => cell || '—'));
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}
