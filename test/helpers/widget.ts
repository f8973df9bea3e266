/**
 * For widget tests in a simulated browser: the backend in demo mode as a separate Node process
 * (built-in simulator, any origin allowed, no fill-time check), inspected and driven through
 * node:http — the simulated browser's own XHR and fetch stay the visitor's.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { parseList } from '../../server/deskie/schemas';
import { DEMO_CONFIG } from './backend';
import { startEntry } from './process';

/** A JSON call to the demo's simulator with its Basic credentials. */
function simulator(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/_deskie${path}`,
      {
        method,
        auth: 'demo@example.com:demo-key',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve(text ? JSON.parse(text) : undefined));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** A case or message as the simulator's API shows it: the keys tests read, the rest kept as is. */
export const simCase = z.looseObject({ case_id: z.number(), case_number: z.string() });
export const simMessage = z.looseObject({});
export type SimCase = z.infer<typeof simCase>;

/** The backend in demo mode; `config` is merged over the demo form (and `top` over the config). */
export async function demoBackend(form: Record<string, unknown> = {}, top: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'deskie-widget-'));
  const config = join(dir, 'forms.json');
  writeFileSync(
    config,
    JSON.stringify({
      ...DEMO_CONFIG,
      forms: [{ ...DEMO_CONFIG.forms[0], minFillSeconds: 0, ...form }],
      allowedOrigins: ['*'],
      limits: {
        submissions: { limit: 1000, windowSeconds: 60 },
        lookups: { limit: 1000, windowSeconds: 60 },
      },
      ...top,
    }),
  );
  const app = startEntry('server/runtimes/node.ts', {
    PORT: '0',
    DESKIE_FORM_CONFIG: config,
    DESKIE_FORM_DATABASE: join(dir, 'outbox.sqlite'),
  });
  const [, url] = await app.waitFor(/deskie-form on (http:\/\/127\.0\.0\.1:\d+)/);
  const base = url ?? '';
  const sim = (method: string, path: string, body?: unknown) => simulator(base, method, path, body);
  return {
    url: base,
    /** The cases the simulator holds, oldest first. */
    async cases(): Promise<SimCase[]> {
      return parseList(await sim('GET', '/api/cases.json?sort=created_at_asc'), 'case', simCase).items;
    },
    /** A case's messages, oldest first. */
    async messages(caseId: number) {
      return parseList(await sim('GET', `/api/cases/${caseId}/messages.json`), 'message', simMessage).items;
    },
    /** An agent's public reply, an internal note, a new status — what support does in Deskie. */
    reply: (caseId: number, content: string) =>
      sim('POST', `/api/cases/${caseId}/messages.json`, { message: { staff_id: 1, content } }),
    note: (caseId: number, content: string) =>
      sim('POST', `/api/cases/${caseId}/note.json`, { note: { staff_id: 1, content } }),
    setStatus: (caseId: number, status: string) =>
      sim('PUT', `/api/cases/${caseId}.json`, { case: { status } }),
    faults: (patch: Record<string, unknown>) => sim('PUT', '/_sim/faults', patch),
    resetCases: () => sim('POST', '/_sim/reset'),
  };
}
