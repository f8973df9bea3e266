/**
 * The architecture, enforced: imports point one way through server/'s layers, the app that
 * createApp builds reaches nothing that ties it to one runtime, and the widget takes nothing from
 * the server but the contract and the form's rules. Read from the sources (type-only imports included), so a type that
 * drags a runtime along is caught as well as a call.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * server/'s folders, lowest first. A file may import its own folder and any folder of a lower
 * layer, never one of its own layer or above.
 */
const LAYERS: string[][] = [
  ['rules.ts'],
  ['contract-rules.ts', 'contract-conversation.ts'],
  ['contract.ts'],
  ['core'],
  ['deskie'],
  ['config', 'simulator'],
  ['db'],
  ['rate', 'forms'],
  ['outbox'],
  ['intake', 'lookup'],
  ['http'],
  ['runtimes'],
];
/** What may not be reachable from createApp: the app must run on Node, Lambda and Workers alike. */
const RUNTIME_BOUND = /^(node:|better-sqlite3$|pg$|@cloudflare\/|@hono\/node-server|hono\/aws-lambda)/;

const sourcesUnder = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sourcesUnder(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });

/** Every module a file names: static imports and re-exports (type-only too) and dynamic imports. */
function specifiers(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*'([^']+)'/g)].map(
    (m) => m[1],
  );
  found.push(...[...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]));
  found.push(...[...text.matchAll(/(?:^|\n)import\s+'([^']+)'/g)].map((m) => m[1]));
  return found.filter((s): s is string => s !== undefined);
}

/** The file a relative specifier names, relative to the repository; undefined for a package. */
function target(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = join(dirname(from), specifier.replace(/\?.*$/, ''));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')])
    if (existsSync(join(root, candidate)) && statSync(join(root, candidate)).isFile()) return candidate;
  throw new Error(`${from}: cannot resolve ${specifier}`);
}

/** The layer of a file under server/. */
function layerOf(file: string): { folder: string; layer: number } {
  const folder = relative('server', file).split('/')[0] ?? '';
  const layer = LAYERS.findIndex((names) => names.includes(folder));
  if (layer < 0) throw new Error(`${file}: server/${folder} is in no layer (add it to LAYERS)`);
  return { folder, layer };
}

/** The imports among `edges` (importer → imported, both under server/) that run against the layers. */
const againstLayers = (edges: [string, string][]) =>
  edges
    .filter(([file, to]) => {
      const from = layerOf(file);
      const into = layerOf(to);
      return into.folder !== from.folder && into.layer >= from.layer;
    })
    .map(([file, to]) => `${file} → ${to}`);

/** Every import from one server/ file to another. */
const serverEdges = (files: string[]) =>
  files.flatMap((file) =>
    specifiers(file)
      .map((s) => target(file, s))
      .filter((to): to is string => to?.startsWith('server/') === true)
      .map((to): [string, string] => [file, to]),
  );

/** Every file reachable from `entry` through relative imports, and the packages they name. */
function reach(entry: string) {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of specifiers(file)) {
      const to = target(file, specifier);
      if (to) visit(to);
      else packages.set(specifier, file);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('architecture', () => {
  const server = sourcesUnder('server');

  it('server/ imports point one way, down the layers', () => {
    expect(againstLayers(serverEdges(server))).toEqual([]);
  });

  it('nothing reachable from createApp ties the app to a runtime', () => {
    const { files, packages } = reach('server/http/app.ts');
    expect(files.size).toBeGreaterThan(20);
    const bound = [...packages].filter(([name]) => RUNTIME_BOUND.test(name)).map(([n, f]) => `${f} → ${n}`);
    expect(bound).toEqual([]);
    expect([...files].filter((f) => /^server\/(runtimes|simulator)\//.test(f))).toEqual([]);
  });

  it("the widget takes nothing from the server but the contract and the form's rules", () => {
    const reached = sourcesUnder('widget').flatMap((file) =>
      specifiers(file)
        .map((s) => target(file, s))
        .filter((to): to is string => to !== undefined && !to.startsWith('widget/')),
    );
    expect(new Set(reached)).toEqual(new Set(['server/contract.ts', 'server/rules.ts']));
    // …which may keep parts in files of its own, as long as they import nothing of the server.
    expect(specifiers('server/contract-conversation.ts')).toEqual(['zod/mini']);
  });

  it('refuses an import that runs back up, or sideways to a folder of the same layer', () => {
    expect(
      againstLayers([
        ['server/deskie/client.ts', 'server/rate/governor.ts'],
        ['server/intake/intake.ts', 'server/lookup/lookup.ts'],
        ['server/intake/intake.ts', 'server/outbox/store.ts'],
        ['server/outbox/store.ts', 'server/outbox/types.ts'],
      ]),
    ).toEqual([
      'server/deskie/client.ts → server/rate/governor.ts',
      'server/intake/intake.ts → server/lookup/lookup.ts',
    ]);
  });
});
