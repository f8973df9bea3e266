/** Liveness, readiness (readiness.ts), and the widget bundle. */
import { type Context, Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { ApiError } from '../../core/errors';
import { sha256Hex } from '../../core/hash';
import { acceptedEncodings, ENCODINGS, type Encoding } from '../compression';
import type { AppDeps, AppEnv } from '../deps';
import { widgetHeaders } from '../widget-headers';
import { readinessRoutes } from './readiness';

export function systemRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/healthz', describeRoute({ summary: 'Liveness: the process answers' }), (c) =>
    c.json({ status: 'ok' }),
  );
  app.route('/', readinessRoutes(deps));

  type Asset = { bytes: Uint8Array<ArrayBuffer>; etag: string; encoding: Encoding | undefined };
  const assets = new Map<string, Promise<Asset | undefined>>();
  /** One representation of a widget file, read once; undefined when it does not exist. */
  const load = (path: string, encoding: Encoding | undefined) => {
    const suffix = ENCODINGS.find((e) => e.name === encoding)?.suffix ?? '';
    let asset = assets.get(path + suffix);
    if (!asset) {
      asset = (async () => {
        const bytes = await deps.widgetAsset?.(path + suffix);
        if (!bytes) return undefined;
        const copy = new Uint8Array(bytes);
        return { bytes: copy, etag: `"${sha256Hex(copy).slice(0, 32)}"`, encoding };
      })();
      assets.set(path + suffix, asset);
    }
    return asset;
  };

  /**
   * The widget: the loader and the form's chunks, with the headers of widget-headers.ts, in the
   * encoding the client prefers of those built beside the file (else as it is).
   */
  const serveAsset = async (c: Context<AppEnv>, path: string, immutable: boolean) => {
    let asset: Asset | undefined;
    const wanted = acceptedEncodings(
      c.req.header('accept-encoding'),
      ENCODINGS.map((e) => e.name),
    );
    for (const encoding of [...wanted, undefined]) {
      asset = await load(path, encoding);
      if (asset) break;
    }
    if (!asset) {
      if (path === 'deskie-form.js')
        throw new ApiError('NOT_FOUND', 'The widget is not built. Run "npm run build".');
      throw new ApiError('NOT_FOUND', 'No such widget file.');
    }
    for (const [name, value] of Object.entries(widgetHeaders(immutable))) c.header(name, value);
    c.header('Vary', 'Accept-Encoding');
    c.header('ETag', asset.etag);
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
    if (asset.encoding) c.header('Content-Encoding', asset.encoding);
    c.header('Content-Length', String(asset.bytes.byteLength));
    return c.body(asset.bytes);
  };

  app.get('/deskie-form.js', describeRoute({ summary: 'The widget loader (embed with a script tag)' }), (c) =>
    serveAsset(c, 'deskie-form.js', false),
  );
  app.get(
    '/deskie-form/:file{[A-Za-z0-9_-]+\\.js}',
    describeRoute({ summary: 'A chunk of the widget (the form, a locale), named by its content hash' }),
    (c) => serveAsset(c, `deskie-form/${c.req.param('file')}`, true),
  );

  return app;
}
