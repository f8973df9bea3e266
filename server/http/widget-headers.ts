/**
 * The headers of the widget's files, one list for every way they are served: by the app (Node,
 * Lambda) and by Cloudflare's static assets in front of the Worker (as a `_headers` file the
 * build writes into dist/). The loader keeps a stable address, so browsers revalidate it after 5
 * minutes; the chunks carry their content hash in their names and are kept for good. Any site may
 * load them — they hold nothing secret — and the chunks are ES modules, fetched with CORS.
 */
export function widgetHeaders(immutable: boolean): Record<string, string> {
  return {
    'Content-Type': 'text/javascript; charset=utf-8',
    'Cache-Control': immutable
      ? 'public, max-age=31536000, immutable'
      : 'public, max-age=300, stale-while-revalidate=86400',
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'X-Content-Type-Options': 'nosniff',
  };
}

/** The same rules in the `_headers` format of Cloudflare's static assets. */
export function assetHeadersFile(): string {
  const block = (path: string, headers: Record<string, string>) =>
    [path, ...Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`)].join('\n');
  return `${block('/deskie-form.js', widgetHeaders(false))}\n${block('/deskie-form/*', widgetHeaders(true))}\n`;
}
