/** The form definition and the submission endpoint: HTTP in, one intake call, HTTP out. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { formResponse, submissionBody, submissionResponse } from '../../contract';
import { findForm, type ResolvedForm } from '../../forms/definition';
import { readIdempotencyKey } from '../../intake/idempotency';
import { respond, respondJson, vary } from '../answer';
import { readSubmission } from '../body';
import { acceptedEncodings } from '../compression';
import type { AppDeps, AppEnv } from '../deps';
import { freshHeadGzip } from '../fresh-gzip';
import { errors, json } from './openapi';

/** Answers this large or larger are gzipped for a client that takes it. */
const GZIP_FROM = 1024;

export function formRoutes(deps: AppDeps) {
  const { config, forms, tokens, clock, intake, gzip } = deps;
  /**
   * Per definition, its gzip made once: the token leads the JSON, and only it is new per answer
   * (fresh-gzip.ts). Undefined where this runtime leaves compression to the platform, or too small.
   */
  const zipped = new WeakMap<ResolvedForm, ReturnType<typeof freshHeadGzip>>();
  const zipperOf = (resolved: ResolvedForm) => {
    if (!zipped.has(resolved))
      zipped.set(
        resolved,
        deps.compressJson && gzip && resolved.json.length >= GZIP_FROM
          ? freshHeadGzip(gzip, `${resolved.json}}`)
          : undefined,
      );
    return zipped.get(resolved);
  };
  const app = new Hono<AppEnv>();

  app.get(
    '/forms/:id',
    describeRoute({
      summary: 'The public definition of a form, in the best locale for ?locale= or Accept-Language',
      responses: {
        200: { description: 'The form and a fresh form token', content: json(formResponse) },
        404: errors('No such form'),
      },
    }),
    async (c) => {
      const form = findForm(config, c.req.param('id'));
      const resolved = await forms(form, c.req.query('locale') ?? c.req.header('accept-language'));
      const { etag } = resolved;
      const formToken = tokens.form.issue({ formId: form.id, issuedAt: clock.now() });
      vary(c, 'Accept-Language');
      // The definition is cacheable; the token is fresh on every answer, 304s included.
      // (Each answer's headers in one literal: see secure-headers.ts `apiHeaders`.)
      // Compressed answers carry the tag weak (W/…): it names the same definition either way.
      if (c.req.header('if-none-match')?.replace(/^W\//, '') === etag)
        return respond(c, null, 304, { ETag: etag, 'Cache-Control': 'no-cache', 'Form-Token': formToken });
      // The token first: the definition after it was serialized (and compressed) once, with its tag.
      const head = `{"formToken":${JSON.stringify(formToken)},"form":`;
      const zipper = zipperOf(resolved);
      if (!zipper || acceptedEncodings(c.req.header('accept-encoding'), ['gzip']).length === 0)
        return respond(c, `${head}${resolved.json}}`, 200, {
          ETag: etag,
          'Cache-Control': 'no-cache',
          'Form-Token': formToken,
          'Content-Type': 'application/json',
        });
      vary(c, 'Accept-Encoding');
      return respond(c, zipper(head), 200, {
        ETag: `W/${etag}`,
        'Cache-Control': 'no-cache',
        'Form-Token': formToken,
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      });
    },
  );

  app.post(
    '/forms/:id/submissions',
    describeRoute({
      summary: 'File a request: JSON, or multipart with a "payload" JSON part and "attachments" files',
      parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } }],
      requestBody: { content: json(submissionBody) },
      responses: {
        201: { description: 'Stored and delivered: the case exists', content: json(submissionResponse) },
        202: {
          description: 'Stored; delivered to Deskie as soon as its rate limit allows',
          content: json(submissionResponse),
        },
        400: errors('Malformed body, bad form token or captcha'),
        409: errors('Idempotency-Key reused for other content'),
        413: errors('Too large'),
        415: errors('Unsupported body or attachment type'),
        422: errors('Invalid values (see error.fields) or too many files'),
        429: errors('Too many submissions from this address'),
        503: errors('The request could not be stored: retry with the same Idempotency-Key'),
      },
    }),
    async (c) => {
      const form = findForm(config, c.req.param('id'));
      const key = readIdempotencyKey(c.req.header('idempotency-key'));
      const { body, files } = await readSubmission(c.req.raw, form);
      const client = { ip: deps.clientIp(c), userAgent: c.req.header('user-agent') };
      const answer = await intake.accept(form, body, files, key, client);
      if (answer.status === 202) deps.onQueued(c);
      return respondJson(c, answer.body, answer.status);
    },
  );

  return app;
}
