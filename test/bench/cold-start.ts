/**
 * Cold start: from spawning `node` to the first answer a client gets (GET /healthz, 200), for the
 * bundled server `npm start` runs, for the same server through the TypeScript transpiler, and for a
 * bare node:http server — the baseline, measured in the same run. Median of five, runs interleaved.
 * Each is a restart of a deployment (the way instances usually start: a deploy, a crash, one more
 * instance): its outbox already exists, so the schema is checked, not created.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawGet } from './served';

const RUNS = 5;

/** Milliseconds from spawn to the first 200 from /healthz, with the outbox at `database`. */
async function coldStart(args: string[], database: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, PORT: '0', DESKIE_FORM_DATABASE: database },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk;
        const found = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
        if (found?.[1]) resolve(found[1]);
      });
      child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    });
    // Listening comes before the backend is built: ask until it answers for real.
    while ((await rawGet(`${url}/healthz`, 'identity')).status !== 200);
    return performance.now() - started;
  } finally {
    child.kill('SIGKILL');
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export async function benchColdStart(): Promise<Record<string, number>> {
  const bare = join(mkdtempSync(join(tmpdir(), 'deskie-bare-')), 'bare.mjs');
  writeFileSync(
    bare,
    `import { createServer } from 'node:http';
const server = createServer((req, res) => res.end('{"status":"ok"}'));
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('on http://127.0.0.1:' + server.address().port));`,
  );
  const database = join(mkdtempSync(join(tmpdir(), 'deskie-cold-')), 'outbox.sqlite');
  const bundle = ['build/server/node.mjs'];
  await coldStart(bundle, database); // the deployment's first start: the outbox is created
  const times = { bundle: [] as number[], tsx: [] as number[], bare: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    times.bare.push(await coldStart([bare], database));
    times.bundle.push(await coldStart(bundle, database));
    times.tsx.push(await coldStart(['--import', 'tsx', 'server/runtimes/node.ts'], database));
  }
  const [bundled, tsx, baseline] = [median(times.bundle), median(times.tsx), median(times.bare)];
  return {
    'server.cold_start_ms': Math.round(bundled),
    'server.cold_start_tsx_ms': Math.round(tsx),
    'server.cold_start_baseline_ms': Math.round(baseline),
    'server.cold_start_ratio': Number((bundled / baseline).toFixed(2)),
  };
}
