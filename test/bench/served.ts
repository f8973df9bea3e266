/**
 * Bytes as a real HTTP response delivers them: the built widget served by the backend on
 * 127.0.0.1 and fetched with node:http (which, unlike fetch, does not decode), per encoding a
 * browser may ask for. Used by `npm run bench` and by the budget test in `npm test`.
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { parseConfig } from '../../server/config/schema';
import { openSqlite } from '../../server/db/sqlite';
import { createBackend, storageIn } from '../../server/runtimes/backend';
import { createSimulator } from '../../server/simulator/app';

/** What a browser sends: brotli first (Chromium, Firefox, Safari), gzip, or neither. */
export const ACCEPT = { br: 'gzip, deflate, br', gzip: 'gzip, deflate', identity: 'identity' } as const;
export type Served = Record<keyof typeof ACCEPT, number>;

/** The body bytes of one GET, as they came over the wire, and the encoding the server chose. */
export function rawGet(url: string, acceptEncoding: string) {
  return new Promise<{ bytes: number; encoding: string | undefined; status: number }>((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.byteLength;
      });
      res.on('end', () =>
        resolve({ bytes, encoding: res.headers['content-encoding'], status: res.statusCode ?? 0 }),
      );
    })
      .on('error', reject)
      .end();
  });
}

const listen = (fetch: (request: Request) => Response | Promise<Response>) =>
  new Promise<{ server: ServerType; url: string }>((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ server, url: `http://127.0.0.1:${info.port}` }),
    );
  });

/**
 * Serves the widget built in `outDir` through the backend's own routes, with the simulator as
 * Deskie (the form definition reads custom fields from it); `close` when done.
 */
export async function serveWidget(outDir: string, config: unknown) {
  const parsed = parseConfig(config);
  const deskie = await listen(createSimulator().app.fetch);
  const { app } = createBackend({
    config: parsed,
    account: { baseUrl: deskie.url, staffEmail: 'demo@example.com', apiKey: 'demo-key' },
    secret: 'served-bytes-secret-served-bytes-secret',
    storage: storageIn(await openSqlite(':memory:'), parsed, () => {}),
    log: () => {},
    instanceId: 'served',
    clientIp: () => '127.0.0.1',
    widgetAsset: (path) => readFile(join(outDir, path)).catch(() => undefined),
  });
  const { server, url } = await listen(app.fetch);
  /** The bytes `path` is delivered in, per encoding asked for; each must come in the one asked for. */
  const sizes = async (path: string, encodings = Object.keys(ACCEPT) as (keyof typeof ACCEPT)[]) => {
    const result: Partial<Served> = {};
    for (const name of encodings) {
      const answer = await rawGet(`${url}${path}`, ACCEPT[name]);
      if (answer.status !== 200 || (answer.encoding ?? 'identity') !== name)
        throw new Error(`${path} for ${ACCEPT[name]}: ${answer.status}, ${answer.encoding ?? 'identity'}`);
      result[name] = answer.bytes;
    }
    return result as Served;
  };
  const close = async () => {
    for (const s of [server, deskie.server]) await new Promise<void>((done) => s.close(() => done()));
  };
  return { url, sizes, close };
}
