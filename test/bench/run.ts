/**
 * `npm run bench`: runs every benchmark, writes docs/benchmarks.json (a flat map of metric → number
 * plus the machine and date) and renders docs/benchmarks.md from it.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchDrain } from './drain';
import { benchGovernor } from './governor';
import { benchServer } from './server';
import { benchWidget } from './widget';
import { benchWorker } from './worker';

/** What each metric means, for the rendered page. */
const descriptions: Record<string, string> = {
  'governor.burst_windows_ratio':
    'Rate windows a 30-write burst on a 20 RPM plan takes, ÷ the ideal ceil(2×30/20) = 3. 1.0 is optimal.',
  'governor.burst_makespan_windows':
    'The same burst: first request to last answer, in windows (ideal just over 2).',
  'governor.http_429': '429 answers Deskie (the simulator) gave during that burst. Must be 0.',
  'delivery.drain_makespan_ratio':
    '300 queued submissions drained to a simulated 50 RPM plan (minute compressed to 3 s): makespan ÷ ideal (2 × 300 ÷ 50 = 12 windows). ≤ 1.1 required.',
  'delivery.drain_http_429': '429 answers during that drain. Must be 0.',
  'delivery.accept_rps_sqlite':
    "Submissions per second accepted into the SQLite outbox (fsync on commit) and answered 202 while Deskie's budget is spent: the accept path alone.",
  'delivery.accept_p99_ms_sqlite': '99th-percentile latency of those, ms.',
  'server.accept_rps':
    'Submissions per second on the full path (10 connections, 5 s): validation, outbox, and the Deskie case created in the simulator (unlimited plan, same process: one loopback HTTP round trip each) before the 201.',
  'server.accept_p50_ms': 'Median latency of those submissions, ms.',
  'server.accept_p99_ms': '99th-percentile latency of those submissions, ms.',
  'server.baseline_rps':
    'A plain node:http server parsing the same JSON and answering 201, same load, same run.',
  'server.baseline_p99_ms': '99th-percentile latency of the baseline, ms.',
  'widget.loader_gzip_bytes':
    'The loader, deskie-form.js: all a page downloads until the form is wanted (global API, options, launcher). Gzip level 9; npm test enforces 3 000.',
  'widget.loader_brotli_bytes': 'The same, brotli.',
  'widget.full_gzip_bytes':
    'The form chunk: everything for a submission (with files) and a lookup — Preact, state, validation, every view, English, styles. npm test enforces 16 384.',
  'widget.full_brotli_bytes': 'The same, brotli.',
  'widget.total_gzip_bytes': 'Loader + form chunk: what a visitor who opens the form downloads in all.',
  'widget.locale_ru_gzip_bytes': 'The Russian strings, a chunk loaded only for Russian.',
  'widget.locale_ar_gzip_bytes': 'The Arabic strings, likewise.',
  'worker.bundle_bytes':
    'The Cloudflare Worker as `wrangler deploy` uploads it (server/runtimes/worker.ts and all it imports, minified), bytes.',
  'worker.bundle_gzip_bytes':
    "The same, gzipped (level 9): what counts against Workers' script size limit (3 MB free, 10 MB paid).",
};

const metrics: Record<string, number> = {
  ...(await benchGovernor()),
  ...(await benchDrain()),
  ...(await benchServer()),
  ...(await benchWidget()),
  ...(await benchWorker()),
};
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const date = new Date().toISOString();
writeFileSync('docs/benchmarks.json', `${JSON.stringify({ ...metrics, machine, date }, null, 2)}\n`);

const rows = Object.entries(metrics).map(
  ([name, value]) => `| \`${name}\` | ${value} | ${descriptions[name] ?? ''} |`,
);
writeFileSync(
  'docs/benchmarks.md',
  [
    '# Benchmarks',
    '',
    'Written by `npm run bench` from docs/benchmarks.json; do not edit by hand.',
    '',
    `Machine: ${machine}. Run: ${date}.`,
    '',
    '| metric | value | what it measures |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n'),
);
for (const [name, value] of Object.entries(metrics)) console.log(`${name} = ${value}`);
