import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { DEMO_CONFIG } from './backend';

export interface Started {
  child: ChildProcess;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first match of `pattern` in the output, or rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Stops a child: SIGTERM, and SIGKILL if it has not exited within 5 s (a hung shutdown is a bug, not a leftover). */
async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await gone;
  clearTimeout(timer);
}

// Registered once per test file, at load: a hook registered inside a running test would be lost,
// and the processes tests start mid-test (restarts) would outlive the run.
afterAll(() => Promise.all([...running].map(stop)));

/** Starts a TypeScript entry with Node (as `npm start` does); it is stopped after the test file. */
export const startEntry = (entry: string, env: Record<string, string>): Started =>
  startCommand(process.execPath, ['--import', 'tsx', entry], env);

/** Starts `command` with `args` and `env` added to this one's; it is stopped after the test file. */
export function startCommand(command: string, args: string[], env: Record<string, string>): Started {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  running.add(child);
  child.once('exit', () => running.delete(child));
  return {
    child,
    output: () => text,
    exited,
    waitFor: (pattern, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern);
          if (!match) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(match);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${text}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
  };
}

/**
 * Environment for `server/runtimes/node.ts` against a Deskie (simulator) at `url`: a config file written
 * to a temp folder (the demo form without the fill-time check, `config` merged over it), a signing
 * secret, and an outbox (`database`, default a fresh SQLite file).
 */
export function backendEnv(
  url: string,
  options: { config?: Record<string, unknown>; database?: string; email?: string; key?: string } = {},
): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'deskie-backend-'));
  const path = join(dir, 'forms.json');
  const forms = [{ ...DEMO_CONFIG.forms[0], minFillSeconds: 0 }];
  // A create that got no answer is looked for in Deskie after a second here (30 s in production):
  // the simulator answers at once, and tests should not wait out a real Deskie's slowness.
  const delivery = { reconcileAfterSeconds: 1 };
  writeFileSync(path, JSON.stringify({ ...DEMO_CONFIG, forms, delivery, ...options.config }));
  return {
    PORT: '0',
    DESKIE_URL: url,
    DESKIE_STAFF_EMAIL: options.email ?? 'demo@example.com',
    DESKIE_API_KEY: options.key ?? 'demo-key',
    DESKIE_FORM_SECRET: 'process-test-secret-process-test-secret',
    DESKIE_FORM_CONFIG: path,
    DESKIE_FORM_DATABASE: options.database ?? join(dir, 'outbox.sqlite'),
  };
}
