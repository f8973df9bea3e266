/**
 * `npm run bench`: runs every benchmark, writes docs/benchmarks.json (a flat map of metric → number
 * plus the machine and date) and renders docs/benchmarks.md from it.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchColdStart } from './cold-start';
import { benchConversation } from './conversation';
import { benchDrain } from './drain';
import { benchGovernor } from './governor';
import { benchMemory } from './memory';
import { benchServer } from './server';
import { benchWidget, LOCALE_FILES } from './widget';
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
  'delivery.drain_makespan_ratio_busy':
    'The same drain while two CPU-bound processes run beside it (a shared machine). ≤ 1.1 required.',
  'delivery.drain_http_429_busy': '429 answers during that drain. Must be 0.',
  'server.baseline_rps':
    'A raw node:http server parsing the JSON body and answering 201, 50 connections (autocannon in its own process; every server run below likewise): the floor every ratio below is over. Each ratio is measured in alternating slices with the echo — four of 2.5 s each, after 2 s of warm-up for both — and is over the echo of its own slices, so that a machine whose speed drifts (a shared host) moves both alike; this rate is the mean of all the echo slices.',
  'server.baseline_p99_ms':
    '99th-percentile latency of the baseline, ms (the worst slice’s, as for every p99 below).',
  'server.hono_echo_ratio':
    'The same echo on Hono and its Node adapter ÷ the baseline: what the framework costs.',
  'server.form_get_rps': 'GET /v1/forms/support as a browser asks it (gzip accepted), same load.',
  'server.form_get_ratio': 'server.form_get_rps ÷ the baseline. Goal ≥ 0.5.',
  'server.form_get_p99_ms': '99th-percentile latency of those GETs, ms.',
  'server.accept_queued_rps':
    "Submissions per second stored in the SQLite outbox (a file, synced before the answer) and answered 202 while Deskie's budget is spent: the accept path alone.",
  'server.accept_queued_ratio': 'server.accept_queued_rps ÷ the baseline. Goal ≥ 0.2.',
  'server.accept_queued_p99_ms': '99th-percentile latency of those submissions, ms. Goal ≤ 50.',
  'server.cpu_us_per_submission':
    'CPU time (user + system) of the backend process per queued submission, µs: what a Workers or Lambda owner pays for one.',
  'server.accept_full_rps':
    'Submissions per second on the full path: stored, then the case created in the simulator (its own process, unlimited plan) before the 201.',
  'server.accept_full_ratio': 'server.accept_full_rps ÷ the baseline.',
  'server.accept_full_p50_ms': 'Median latency of those submissions, ms.',
  'server.accept_full_p99_ms': '99th-percentile latency of those submissions, ms. Goal ≤ 150.',
  'server.cpu_us_per_case_created':
    'CPU time of the backend process per submission answered 201, µs (on Node, Deskie is called through undici request(), as the Node and Lambda runtimes do).',
  'server.cpu_us_refusal_origin': 'CPU per submission refused for its Origin (403), µs.',
  'server.cpu_us_refusal_address': 'CPU per submission refused over the per-address limit (429), µs.',
  'server.cpu_us_refusal_token': 'CPU per submission refused for a forged form token (400), µs.',
  'server.cpu_us_refusal_honeypot':
    'CPU per submission caught by the honeypot (answered like a filing, 201, nothing stored), µs.',
  'server.cpu_us_refusal_oversize': 'CPU per submission refused for its declared size (413), µs.',
  'server.cpu_us_per_refusal': 'The mean of the five refusals above, µs.',
  'server.lookup_p99_ms': 'Status lookups by token (5 connections), alone: 99th-percentile latency, ms.',
  'server.flood_lookup_p99_ms':
    'The same lookups while a flood of 2 000 submissions a second (50 connections) is queued beside them, ms. A lookup never answered during the run counts as the run.',
  'server.flood_submissions_rps': 'Submissions per second the flood actually got answered.',
  'widget.loader_served_br_bytes':
    'The loader, deskie-form.js, as the backend delivers it to a browser that takes brotli (body bytes over HTTP): all a page downloads until the form is wanted. npm test holds it ≤ 3 000 (br and gzip).',
  'widget.loader_served_gzip_bytes': 'The same, to a browser that takes only gzip.',
  'widget.loader_served_identity_bytes':
    'The same, uncompressed (what a client asking for no encoding gets).',
  'widget.form_served_br_bytes':
    'The form chunk — all it takes to file a request: Preact, @preact/signals, state, validation, the form view, English, styles (the answer after sending is its own chunk, fetched before the send) — as delivered with brotli. npm test holds it ≤ 14 500 (and ≤ 16 384 gzipped).',
  'widget.form_served_gzip_bytes': 'The same, gzip.',
  'widget.form_served_identity_bytes': 'The same, uncompressed.',
  'widget.total_served_br_bytes':
    'Loader + form chunk with brotli: what a visitor who opens the form downloads in all.',
  'widget.total_served_gzip_bytes': 'The same with gzip.',
  'widget.locales_index_served_br_bytes':
    'The locales index (widget/strings/locales.ts): which chunk holds a language, fetched with the form definition for any visitor not reading English, brotli.',
  'widget.locales_index_served_gzip_bytes': 'The same, gzip.',
  ...Object.fromEntries(
    LOCALE_FILES.flatMap((name) => [
      [
        `widget.locale_${name}_served_br_bytes`,
        `The ${name} strings, a chunk loaded only for that language, brotli.`,
      ],
      [`widget.locale_${name}_served_gzip_bytes`, 'The same, gzip.'],
    ]),
  ),
  'widget.dialog_served_br_bytes':
    "The launcher's panel (a native modal <dialog>, its focus handling, its styles), a chunk fetched with the form for a launcher only, brotli. npm test holds every chunk fetched on intent ≤ 6 144 gzipped.",
  'widget.dialog_served_gzip_bytes': 'The same, gzip.',
  'widget.lookup_served_br_bytes':
    'Lookups and the status view with their words and styles, fetched when the visitor reaches for "Check a request" or "Check status", brotli.',
  'widget.lookup_served_gzip_bytes': 'The same, gzip.',
  'widget.attach_served_br_bytes':
    'Checking, listing and tracking attached files, fetched when the visitor reaches for "Attach files", drags over the form or pastes a file, brotli.',
  'widget.attach_served_gzip_bytes': 'The same, gzip.',
  'widget.captcha_served_br_bytes': 'The captcha challenge, fetched only for a form that has one, brotli.',
  'widget.captcha_served_gzip_bytes': 'The same, gzip.',
  'widget.done_served_br_bytes':
    'The answer after sending (case number, what next), fetched as the visitor reaches for Send and there before anything is sent, brotli.',
  'widget.done_served_gzip_bytes': 'The same, gzip.',
  'widget.adaptive_served_br_bytes':
    'What only an adaptive form needs (request types, conditions, hidden values, consent), fetched with such a form’s definition, brotli.',
  'widget.adaptive_served_gzip_bytes': 'The same, gzip.',
  'server.form_definition_served_gzip_bytes':
    'GET /v1/forms/support (the demo form, JSON) as delivered to a client that takes gzip (compressed over 1 kB).',
  'server.form_definition_served_identity_bytes': 'The same, uncompressed.',
  'widget.host_cls_inline':
    "Cumulative layout shift of a host page with content below an inline form that the page reserved room for (as docs/widget.md says), first visit, in Chromium: the browser's own layout-shift entries summed as Lighthouse does. Goal ≤ 0.01.",
  'widget.host_cls_inline_return': 'The same page again in the same browser (the loader and chunks cached).',
  'widget.host_cls_inline_unreserved':
    'A page that reserves no room for the inline form, first visit in a fresh browser: the form arriving after the first paint moves what is below it (the widget then tells the page, on the console, the min-height to give).',
  'widget.host_cls_inline_used':
    "The first visit's page after the visitor used the form — sent empty (errors), a file picked, sent, answered: every shift counted, the form's own inside its box included.",
  'widget.host_cls_inline_used_page':
    "The part of that which moved the page's own content: nothing outside the form's box may move. Must be 0.",
  'widget.host_cls_launcher':
    'Layout shift of a page with the launcher, opened, sent and answered. Must be 0.',
  'widget.until_type_inline_br_bytes':
    'Every byte the browser fetched from the backend until a visitor can type in an inline form (loader, form chunk, the form definition, the inline box), each as delivered to a browser that takes brotli.',
  'widget.until_sent_inline_br_bytes':
    'The same until a request with a file attached is answered (the file list chunk added; the upload itself not counted).',
  'widget.until_type_launcher_br_bytes':
    "The same until a visitor can type in the launcher's dialog (loader, form chunk, dialog chunk, definition).",
  'widget.until_sent_launcher_br_bytes': 'The same until a request (no file) is answered.',
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
  'conversation.status_view_units':
    "Deskie's rate units (a read 1, a write 2) one status view by lookup token costs: the case and its messages. Goal ≤ 2.",
  'conversation.status_view_cached_units':
    'The same view again within lookups.cacheSeconds (a reload, another tab): nothing.',
  'conversation.status_view_by_number_units':
    'A view by case number and email within that time: the search for the number (1); the replies come from the cache (2 without it).',
  'conversation.file_download_units':
    "A file of support's reply downloaded right after the status view: the API is not asked (the file itself is fetched from its address, which is no API call).",
  'conversation.file_download_uncached_units':
    'The same once the view is older than lookups.cacheSeconds: one read of the messages.',
  'conversation.reply_open_units':
    "A visitor's reply to an open case right after the status view: the message (a write, 2); the case comes from the cache.",
  'conversation.reply_waiting_units':
    'A reply to a waiting case: the status set back to open (2) and the message (2).',
  'conversation.my_requests_page_units': 'A page of "My requests" (20 cases): one search by the exact email.',
  'conversation.my_requests_page_cached_units': 'The same page again within lookups.cacheSeconds: nothing.',
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
  conversation: benchConversation,
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
