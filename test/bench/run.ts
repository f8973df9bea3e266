/**
 * `npm run bench`: runs every benchmark, writes docs/benchmarks.json (a flat map of metric → number
 * plus the machine and date) and renders docs/benchmarks.md from it.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchColdStart } from './cold-start';
import { benchDrain } from './drain';
import { benchGovernor } from './governor';
import { benchMemory } from './memory';
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
  'widget.loader_served_br_bytes':
    'The loader, deskie-form.js, as the backend delivers it to a browser that takes brotli (body bytes over HTTP): all a page downloads until the form is wanted. npm test holds it ≤ 3 000 (br and gzip).',
  'widget.loader_served_gzip_bytes': 'The same, to a browser that takes only gzip.',
  'widget.loader_served_identity_bytes':
    'The same, uncompressed (what a client asking for no encoding gets).',
  'widget.form_served_br_bytes':
    'The form chunk (Preact, state, validation, every view, English, styles) as delivered with brotli. npm test holds it ≤ 16 384 (br and gzip).',
  'widget.form_served_gzip_bytes': 'The same, gzip.',
  'widget.form_served_identity_bytes': 'The same, uncompressed.',
  'widget.total_served_br_bytes':
    'Loader + form chunk with brotli: what a visitor who opens the form downloads in all.',
  'widget.total_served_gzip_bytes': 'The same with gzip.',
  'widget.locale_ru_served_br_bytes': 'The Russian strings, a chunk loaded only for Russian, brotli.',
  'widget.locale_ar_served_br_bytes': 'The Arabic strings, likewise.',
  'server.form_definition_served_gzip_bytes':
    'GET /v1/forms/support (the demo form, JSON) as delivered to a client that takes gzip (compressed over 1 kB).',
  'server.form_definition_served_identity_bytes': 'The same, uncompressed.',
  'server.cold_start_ms':
    'npm start (the bundled server, build/server/node.mjs, demo mode) restarting on an existing outbox: spawn to the first 200 from /healthz, median of 5.',
  'server.cold_start_tsx_ms':
    'The same server run through the TypeScript transpiler (node --import tsx), as before the bundle.',
  'server.cold_start_baseline_ms': 'A bare node:http server, spawn to first answer, same run: the floor.',
  'server.cold_start_ratio': 'server.cold_start_ms ÷ the baseline. Goal ≤ 3.',
  'server.rss_mb_idle':
    'Resident memory of the bundled server (npm start) with its form read and Deskie reachable (the simulator), MB.',
  'server.rss_mb_after_uploads':
    'The same after it accepted and filed two requests with a 9.9 MB file each (the allocator keeps what it freed: this is what the host pays).',
  'server.rss_mb_after_eight_uploads':
    'After eight such requests: held near the two-upload figure, memory is bounded per request, not growing with their number.',
  'server.rss_mb_after_refused_uploads':
    'After five more uploads of 50 MB each, streamed without a length, refused 413 at the first byte over the form cap.',
  'server.rss_mb_peak': 'The highest resident memory the server reached in that run, MB.',
  'server.rss_mb_baseline_idle': 'A bare node:http server, idle, same run, MB.',
  'server.rss_mb_baseline_after_eight_uploads':
    'The bare server after reading the same eight uploads whole into memory: the least holding a file costs Node.',
  'server.rss_growth_ratio':
    "Growth over idle after eight uploads ÷ the bare server's growth: copies beyond the one a server must hold.",
  'worker.bundle_bytes':
    'The Cloudflare Worker as `wrangler deploy` uploads it (server/runtimes/worker.ts and all it imports, minified), bytes.',
  'worker.bundle_gzip_bytes':
    "The same, gzipped (level 9): what counts against Workers' script size limit (3 MB free, 10 MB paid).",
};

const groups: Record<string, () => Promise<Record<string, number>>> = {
  governor: benchGovernor,
  drain: benchDrain,
  server: benchServer,
  widget: benchWidget,
  'cold-start': benchColdStart,
  memory: benchMemory,
  worker: benchWorker,
};
// `npm run bench -- server drain` runs only those groups and prints them; the docs are written
// only by a whole run, so every figure in them comes from one run.
const chosen = process.argv.slice(2);
for (const name of chosen) if (!groups[name]) throw new Error(`no bench group "${name}"`);
const metrics: Record<string, number> = {};
for (const [name, bench] of Object.entries(groups))
  if (chosen.length === 0 || chosen.includes(name)) Object.assign(metrics, await bench());
if (chosen.length > 0) {
  for (const [name, value] of Object.entries(metrics)) console.log(`${name} = ${value}`);
  process.exit(0);
}
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
