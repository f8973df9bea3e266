/** A signed-in customer's requests ("My requests", see lookup/history.ts): HTTP in, one call, HTTP out. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { requestsRequest, requestsResponse } from '../../contract';
import { ApiError } from '../../core/errors';
import { findForm } from '../../forms/definition';
import { respondJson } from '../answer';
import { refusalIn } from '../body-cap';
import type { AppDeps, AppEnv } from '../deps';
import { errors, json } from './openapi';

export function requestsRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.post(
    '/forms/:id/requests',
    describeRoute({
      summary: "A signed-in customer's requests, newest first, a page at a time",
      requestBody: { content: json(requestsRequest) },
      responses: {
        200: { description: "The customer's requests on this page", content: json(requestsResponse) },
        400: errors('Malformed body'),
        401: errors('The identity token is forged, altered or expired (IDENTITY_INVALID, IDENTITY_EXPIRED)'),
        429: errors('Too many lookups'),
        503: errors('Deskie cannot be reached'),
      },
    }),
    async (c) => {
      const form = findForm(deps.config, c.req.param('id'));
      const body = await c.req.json().catch((error: unknown) => {
        const refused = refusalIn(error);
        if (refused) throw refused;
      });
      const parsed = requestsRequest.safeParse(body);
      if (!parsed.success) throw new ApiError('BAD_REQUEST', 'Send {"identityToken", "page"?}.');
      const locale = parsed.data.locale ?? c.req.header('accept-language');
      const answer = await deps.lookup.requests(form, parsed.data, locale, c.req.raw.signal);
      return respondJson(c, answer, 200);
    },
  );
  return app;
}
