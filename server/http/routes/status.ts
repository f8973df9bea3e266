/** Status lookup (see lookup/lookup.ts): HTTP in, one lookup call, HTTP out. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { statusRequest, statusResponse } from '../../contract';
import { ApiError } from '../../core/errors';
import { findForm } from '../../forms/definition';
import { respondJson } from '../answer';
import { refusalIn } from '../body-cap';
import type { AppDeps, AppEnv } from '../deps';
import { downloadHeaders } from '../download';
import { errors, json } from './openapi';

export function statusRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.post(
    '/forms/:id/status',
    describeRoute({
      summary: 'Look up a request by lookup token, or by case number and email',
      requestBody: { content: json(statusRequest) },
      responses: {
        200: { description: 'What the customer may see of the case', content: json(statusResponse) },
        404: errors('No request matches (always the same answer)'),
        429: errors('Too many lookups'),
      },
    }),
    async (c) => {
      const form = findForm(deps.config, c.req.param('id'));
      const body = await c.req.json().catch((error: unknown) => {
        const refused = refusalIn(error);
        if (refused) throw refused;
      });
      const parsed = statusRequest.safeParse(body);
      if (!parsed.success) throw new ApiError('BAD_REQUEST', 'Send {"token"} or {"caseNumber","email"}.');
      const locale = parsed.data.locale ?? c.req.header('accept-language');
      // A visitor who leaves gives back their place in the line for Deskie's budget.
      const answer = await deps.lookup.find(form, parsed.data, locale, c.req.raw.signal);
      return respondJson(c, answer, 200);
    },
  );
  app.get(
    '/forms/:id/files/:link',
    describeRoute({
      summary: "Download a file of support's reply, by the link a status answer gave",
      responses: {
        200: {
          description: 'The file, as a download (Content-Disposition: attachment)',
          content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
        },
        404: errors('No such file for this link (always the same answer)'),
        410: errors('The link has expired: look the request up again for a fresh one'),
        429: errors('Too many lookups'),
        503: errors('Deskie cannot be reached'),
      },
    }),
    async (c) => {
      const form = findForm(deps.config, c.req.param('id'));
      const file = await deps.lookup.file(form, c.req.param('link'), c.req.raw.signal);
      return c.body(file.body, 200, downloadHeaders(file.name, file.type, file.length));
    },
  );
  return app;
}
