/**
 * A starter config written from the account (`npm run forms -- init`): one form with every active
 * custom field — its type and options by name — and the account's groups, agents, labels and
 * languages in comments beside the keys that take their ids, so that nobody copies ids by hand.
 * JSON with comments: the config loader reads it as JSON5.
 */
import type { Account } from './account';

/** A value on one line, spaced as a person writes it: `{ "key": "cf_5" }`, `["en", "ru"]`. */
const json = (value: unknown) =>
  JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ').replace(/\[ /g, '[').replace(/ \]/g, ']');

/** Items one per line, commas between them, a comment after each where it has one. */
function lines(indent: string, items: { text: string; note?: string }[]): string[] {
  return items.map(({ text, note }, i) => {
    const comma = i < items.length - 1 ? ',' : '';
    return `${indent}${text}${comma}${note ? ` // ${note}` : ''}`;
  });
}

/** The form's locales and their Deskie languages, where a language's code is a language tag. */
function localesOf(account: Account): Record<string, number> {
  const tags: Record<string, number> = {};
  for (const l of account.languages)
    if (l.active && /^[a-z]{2}$/i.test(l.code)) tags[l.code.toLowerCase()] ??= l.language_id;
  if (Object.keys(tags).length === 0) return { en: account.languages[0]?.language_id ?? 1 };
  // English first, when there is English: the first locale is the form's default.
  const { en, ...rest } = tags;
  return en === undefined ? rest : { en, ...rest };
}

/** The form's fields: the standard ones and every active custom field, by name. */
function fieldLines(account: Account): string[] {
  const items: { text: string; note?: string }[] = [
    { text: json({ key: 'name' }) },
    { text: json({ key: 'email' }) },
    { text: json({ key: 'subject', required: true }) },
  ];
  for (const f of account.customFields.filter((c) => c.active)) {
    const level = f.field_level === 'user' ? ', kept on the requester' : '';
    const options = typeof f.field_data === 'object' ? Object.entries(f.field_data) : [];
    if (f.field_type !== 'select' || options.length === 0) {
      items.push({
        text: json({ key: `cf_${f.field_id}`, label: f.title }),
        note: `${f.field_type}${level}`,
      });
      continue;
    }
    const optionLines = lines(
      '            ',
      options.map(([value, label]) => ({ text: json({ value, label }) })),
    );
    items.push({
      text: `{\n          "key": ${json(`cf_${f.field_id}`)},\n          "label": ${json(f.title)},\n          "options": [\n${optionLines.join('\n')}\n          ]\n        }`,
      note: `select${level}`,
    });
  }
  items.push({ text: json({ key: 'message' }) });
  return lines('        ', items);
}

/** The starter config for `account`; `source` says where it was read. */
export function starterConfig(account: Account, source: string): string {
  const locales = localesOf(account);
  const names = <T>(list: T[], id: (t: T) => number, name: (t: T) => string) =>
    list.map((t) => `${id(t)} ${name(t)}`).join(', ') || 'none';
  const groups = names(
    account.groups.filter((g) => g.active),
    (g) => g.group_id,
    (g) => g.group_title,
  );
  const agents = names(
    account.staff.filter((s) => s.active),
    (s) => s.staff_id,
    (s) => s.staff_full_name,
  );
  const labels = names(
    account.labels,
    (l) => l.label_id,
    (l) => l.label_title,
  );
  const languages = names(
    account.languages,
    (l) => l.language_id,
    (l) => `${l.title}${l.active ? '' : ' (inactive)'}`,
  );
  const inactive = account.customFields.filter((c) => !c.active);
  return [
    `// deskie-form config, written by \`npm run forms -- init\` from ${source}.`,
    '// Every key, with examples (request types, conditions, routing, hidden values, consent):',
    '// docs/configuration.md. Check it against the account: `npm run forms -- check <this file>`.',
    ...(inactive.length > 0
      ? [`// Inactive in Deskie, left out: ${inactive.map((c) => `cf_${c.field_id} ${c.title}`).join(', ')}.`]
      : []),
    '{',
    '  "forms": [',
    '    {',
    '      "id": "support",',
    `      "locales": ${json(Object.keys(locales))},`,
    '      "title": "Contact support",',
    '      // In display order; delete what the form should not ask. "required": true to insist.',
    '      "fields": [',
    ...fieldLines(account),
    '      ],',
    '      "case": {',
    `        // Groups: ${groups}`,
    '        // "groupId": 0,',
    `        // Agents: ${agents}`,
    '        // "staffId": 0,',
    `        // Labels: ${labels}`,
    '        "labels": [],',
    `        // Deskie languages: ${languages}`,
    `        "language": ${json(locales)}`,
    '      },',
    '      "attachments": { "maxFiles": 3 }',
    '    }',
    '  ],',
    '  // The sites that embed the form, e.g. "https://shop.example".',
    '  "allowedOrigins": []',
    '}',
    '',
  ].join('\n');
}
