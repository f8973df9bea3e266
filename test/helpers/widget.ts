/**
 * For widget tests in a simulated browser: the backend in demo mode as a separate Node process
 * (built-in simulator, any origin allowed, no fill-time check), inspected through node:http —
 * the simulated browser's own fetch stays the visitor's.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CONFIG } from './backend';
import { startEntry } from './process';

/** A JSON call to the demo's simulator with its Basic credentials. */
function simulator(base: string, method: string, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/_deskie${path}`, { method, auth: 'demo@example.com:demo-key' }, (res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve(text ? JSON.parse(text) : undefined));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function demoBackend() {
  const dir = mkdtempSync(join(tmpdir(), 'deskie-widget-'));
  const config = join(dir, 'forms.json');
  writeFileSync(
    config,
    JSON.stringify({
      ...DEMO_CONFIG,
      forms: [{ ...DEMO_CONFIG.forms[0], minFillSeconds: 0 }],
      allowedOrigins: ['*'],
    }),
  );
  const app = startEntry('server/node.ts', {
    PORT: '0',
    DESKIE_FORM_CONFIG: config,
    DESKIE_FORM_DATABASE: join(dir, 'outbox.sqlite'),
  });
  const [, url] = await app.waitFor(/deskie-form on (http:\/\/127\.0\.0\.1:\d+)/);
  const base = url ?? '';
  return {
    url: base,
    /** The cases the simulator holds, oldest first. */
    async cases() {
      const list = (await simulator(base, 'GET', '/api/cases.json?sort=created_at_asc')) as Record<
        string,
        { case: Record<string, unknown> }
      >;
      return Object.entries(list)
        .filter(([key]) => key !== 'total_count')
        .map(([, entry]) => entry.case);
    },
    resetCases: () => simulator(base, 'POST', '/_sim/reset'),
  };
}
