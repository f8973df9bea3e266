/** The form definition and the submission endpoint. */
import { Hono } from 'hono';
import { describeRoute, resolver } from 'hono-openapi';
import {
  errorBody,
  formResponse,
  type SubmissionResponse,
  submissionBody,
  submissionResponse,
} from '../../contract';
import { ApiError } from '../../core/errors';
import { redactEmail } from '../../core/log';
import { findForm, HONEYPOT } from '../../forms/definition';
import { checkAttachments } from '../../intake/attachments';
import { buildCase } from '../../intake/case';
import { fingerprintOf, newSubmissionId, readIdempotencyKey } from '../../intake/idempotency';
import { deliver } from '../../outbox/deliver';
import type { AppEnv, Deps } from '../deps';

const FORM_TOKEN_MAX_AGE_MS = 24 * 3600_000;
const json = (schema: Parameters<typeof resolver>[0]) => ({
  'application/json': { schema: resolver(schema) },
});
const errors = (description: string) => ({ description, content: json(errorBody) });

/** Reads a JSON body, or a multipart body's `payload` part and `attachments` files. */
async function readSubmission(request: Request): Promise<{ body: unknown; files: File[] }> {
  const type = request.headers.get('content-type') ?? '';
  if (type.startsWith('application/json')) {
    const body = await request.json().catch(() => {
      throw new ApiError('BAD_REQUEST', 'The body is not valid JSON.');
    });
    return { body, files: [] };
  }
  if (type.startsWith('multipart/form-data')) {
    const form = await request.formData().catch(() => {
      throw new ApiError('BAD_REQUEST', 'The multipart body could not be read.');
    });
    const payload = form.get('payload');
    if (typeof payload !== 'string')
      throw new ApiError('BAD_REQUEST', 'A multipart submission needs a "payload" part with the JSON body.');
    let body: unknown;
    try {
      body = JSON.parse(payload);
    } catch {
      throw new ApiError('BAD_REQUEST', 'The "payload" part is not valid JSON.');
    }
    const files = form.getAll('attachments').filter((f): f is File => typeof f !== 'string');
    return { body, files };
  }
  throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Send application/json or multipart/form-data.');
}

/** A case number shaped like Deskie's, for answers to bots. */
const fakeCaseNumber = (random: () => number) => {
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  return `${1 + Math.floor(random() * 9)}${digits(2)}-${digits(6)}`;
};

export function formRoutes(deps: Deps) {
  const { config, signer, clock, log } = deps;
  const outbox = deps.delivery.store;
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
      const formConfig = findForm(config, c.req.param('id'));
      const { form } = await deps.forms(formConfig, c.req.query('locale') ?? c.req.header('accept-language'));
      const formToken = await signer.sign('form', { f: form.id, t: clock.now() });
      // The definition is cacheable; the token is fresh on every answer, 304s included.
      const etag = `"${fingerprintOf(form).slice(0, 32)}"`;
      c.header('ETag', etag);
      c.header('Cache-Control', 'no-cache');
      c.header('Vary', 'Accept-Language');
      c.header('Form-Token', formToken);
      if (c.req.header('if-none-match') === etag) return c.body(null, 304);
      return c.json({ form, formToken });
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
        400: errors('Malformed body, bad form token or captcha'),
        409: errors('Idempotency-Key reused for other content'),
        413: errors('Too large'),
        415: errors('Unsupported body or attachment type'),
        422: errors('Invalid values (see error.fields) or too many files'),
        429: errors('Too many submissions from this address'),
        202: {
          description: 'Stored; delivered to Deskie as soon as its rate limit allows',
          content: json(submissionResponse),
        },
        503: errors('The request could not be stored: retry with the same Idempotency-Key'),
      },
    }),
    async (c) => {
      const formConfig = findForm(config, c.req.param('id'));
      const key = readIdempotencyKey(c.req.header('idempotency-key'));
      const { body: raw, files } = await readSubmission(c.req.raw);
      const parsed = submissionBody.safeParse(raw);
      if (!parsed.success)
        throw new ApiError('BAD_REQUEST', 'The body does not have the shape of a submission.');
      const body = parsed.data;

      const token = await signer.verify('form', body.formToken);
      const age = clock.now() - Number(token?.t);
      if (!token || token.f !== formConfig.id || !(age >= -60_000 && age <= FORM_TOKEN_MAX_AGE_MS))
        throw new ApiError('FORM_TOKEN_INVALID', 'The form has expired. Please reload it and send again.');

      // A bot gets an answer that looks like success, and no case.
      const honeypot = body.values[HONEYPOT];
      const tooFast = age < formConfig.minFillSeconds * 1000;
      if ((typeof honeypot === 'string' && honeypot !== '') || honeypot === true || tooFast) {
        log('warn', 'submission treated as spam', {
          form: formConfig.id,
          reason: tooFast ? 'too fast' : 'honeypot',
        });
        const fake = [...crypto.getRandomValues(new Uint8Array(48))]
          .map((b) => b.toString(16).padStart(2, '0'))
          .join('');
        return c.json(
          {
            status: 'created',
            caseNumber: fakeCaseNumber(deps.random),
            lookupToken: `${fake.slice(0, 40)}.${fake.slice(40)}`,
          } satisfies SubmissionResponse,
          201,
        );
      }

      if (formConfig.captcha) {
        const passed =
          body.captchaToken && deps.captcha ? await deps.captcha(body.captchaToken, deps.clientIp(c)) : false;
        if (!passed) throw new ApiError('CAPTCHA_FAILED', 'Please complete the captcha and send again.');
      }

      const { form, validate } = await deps.forms(formConfig, body.locale ?? body.context?.locale);
      const checked = validate(body.values);
      if (!checked.ok)
        throw new ApiError('VALIDATION_FAILED', 'Some fields need attention.', { fields: checked.fields });
      const uploads = await checkAttachments(files, form.attachments);
      const fingerprint = fingerprintOf({
        form: form.id,
        values: checked.values,
        files: uploads.map((u) => [u.name, u.data.byteLength]),
      });
      const id = newSubmissionId();
      const input = buildCase(
        formConfig,
        form,
        checked.values,
        body,
        { userAgent: c.req.header('user-agent') },
        id,
      );

      // Durable before anything else: from here on the request cannot be lost.
      const { row, created } = await outbox
        .accept(
          {
            id,
            formId: form.id,
            idempotencyKey: key ?? null,
            fingerprint,
            payload: JSON.stringify({ case: input }),
            now: clock.now(),
          },
          uploads,
        )
        .catch((error: unknown) => {
          log('error', 'outbox write failed', { error: String(error) });
          throw new ApiError('NOT_READY', 'Your request could not be saved. Please send it again.', {
            retryAfter: 5,
          });
        });
      if (!created && row.fingerprint !== fingerprint)
        throw new ApiError(
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was used for a different submission.',
        );
      // A repeat while the first is being delivered waits a little for its outcome, to answer alike.
      let state = row;
      for (let waited = 0; !created && state.status === 'delivering' && waited < 3_000; waited += 50) {
        await clock.sleep(50);
        state = (await outbox.get(state.id)) ?? state;
      }
      if (created)
        log('info', 'submission accepted', {
          id,
          form: form.id,
          email: redactEmail(input.user_email),
          files: uploads.length,
        });

      // The fast path: with budget free right now, deliver while the visitor waits.
      const permit = created ? await deps.delivery.governor.tryAcquire(2) : undefined;
      if (permit) {
        const claimed = await outbox.claim(
          deps.delivery.owner,
          clock.now(),
          deps.delivery.leaseMs ?? 120_000,
          id,
        );
        if (claimed) await deliver(deps.delivery, claimed, permit);
        else permit.cancel();
        state = (await outbox.get(id)) ?? row;
      } else if (created) {
        deps.delivery.wake(c);
      }
      if (state.status === 'delivered' && state.case_id !== null && state.case_number !== null) {
        const lookupToken = await signer.sign('lookup', {
          c: state.case_id,
          n: state.case_number,
          f: form.id,
          r: state.id,
        });
        return c.json(
          { status: 'created', caseNumber: state.case_number, lookupToken } satisfies SubmissionResponse,
          201,
        );
      }
      const lookupToken = await signer.sign('lookup', { r: state.id, f: form.id });
      return c.json({ status: 'queued', receipt: state.id, lookupToken } satisfies SubmissionResponse, 202);
    },
  );

  return app;
}
