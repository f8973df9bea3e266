/**
 * Cold start: from spawning `node` to the first answer a client gets (GET /healthz, 200), for the
 * bundled server `npm start` runs, for the same server through the TypeScript transpiler, and for a
 * bare node:http server — the baseline, measured in the same run. Median of five, runs interleaved.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawGet } from './served';

const RUNS = 5;

/** Milliseconds from spawn to the first 200 from /healthz. */
async function coldStart(args: string[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'deskie-cold-'));
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, PORT: '0', DESKIE_FORM_DATABASE: join(dir, 'outbox.sqlite') },
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
  const times = { bundle: [] as number[], tsx: [] as number[], bare: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    times.bare.push(await coldStart([bare]));
    times.bundle.push(await coldStart(['build/server/node.mjs']));
    times.tsx.push(await coldStart(['--import', 'tsx', 'server/runtimes/node.ts']));
  }
  const [bundle, tsx, baseline] = [median(times.bundle), median(times.tsx), median(times.bare)];
  return {
    'server.cold_start_ms': Math.round(bundle),
    'server.cold_start_tsx_ms': Math.round(tsx),
    'server.cold_start_baseline_ms': Math.round(baseline),
    'server.cold_start_ratio': Number((bundle / baseline).toFixed(2)),
  };
}
