/** A visitor's reply to their case (intake/reply.ts), let in as a lookup is: HTTP in, two calls, HTTP out. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { replyRequest, replyResponse } from '../../contract';
import { ApiError } from '../../core/errors';
import { findForm } from '../../forms/definition';
import { readIdempotencyKey } from '../../intake/idempotency';
import { respondJson } from '../answer';
import { readSubmission } from '../body';
import type { AppDeps, AppEnv } from '../deps';
import { errors, json } from './openapi';

export function replyRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.post(
    '/forms/:id/replies',
    describeRoute({
      summary:
        'Reply to a request, as its customer: JSON, or multipart with a "payload" JSON part and "attachments" files',
      parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } }],
      requestBody: { content: json(replyRequest) },
      responses: {
        201: { description: 'The message is in the case', content: json(replyResponse) },
        202: {
          description: 'Stored; it reaches the case as soon as Deskie allows',
          content: json(replyResponse),
        },
        400: errors('Malformed body'),
        404: errors('No request matches (always the same answer)'),
        409: errors(
          'The case is closed and the form takes no replies to it, the request has no case yet, or the key was used for other content',
        ),
        413: errors('Too large'),
        415: errors('Unsupported body or attachment type'),
        422: errors('No text, or too many files'),
        429: errors('Too many requests from this address, or guesses at this case'),
        503: errors(
          'The reply could not be stored, or Deskie cannot be reached: retry with the same Idempotency-Key',
        ),
      },
    }),
    async (c) => {
      const form = findForm(deps.config, c.req.param('id'));
      const key = readIdempotencyKey(c.req.header('idempotency-key'));
      const { body, files } = await readSubmission(c.req.raw, form);
      const parsed = replyRequest.safeParse(body);
      if (!parsed.success)
        throw new ApiError('BAD_REQUEST', 'Send {"token","text"} or {"caseNumber","email","text"}.');
      const kase = await deps.lookup.authorize(form, parsed.data, c.req.raw.signal);
      // A bot's decoy takes its reply as a case would: the answer tells it nothing.
      if ('decoy' in kase) return respondJson(c, { status: 'sent' as const, caseNumber: kase.decoy }, 201);
      const locale = c.req.header('accept-language');
      const answer = await deps.replies.accept(form, kase, { request: parsed.data, files, key, locale });
      // The case changed (a message, maybe its status): the next lookup reads it afresh.
      deps.lookup.forget(kase.case_id);
      if (answer.status === 202) deps.onQueued(c);
      return respondJson(c, answer.body, answer.status);
    },
  );
  return app;
}
