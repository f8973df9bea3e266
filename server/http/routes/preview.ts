/**
 * The demo's config preview: the case a form would file for some answers, shown and not sent.
 * Only the demo mounts it (runtimes/node-backend.ts), beside its simulator — with a real account it
 * does not exist. It runs what intake runs once the form token, bots and captcha are past: the
 * same rules and the same builder (intake/case.ts), so what it shows is what Deskie would receive.
 * Nothing is stored, no token is asked for or spent, Deskie is not called.
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { Config } from '../../config/schema';
import { submissionBody } from '../../contract';
import type { Clock } from '../../core/clock';
import { ApiError } from '../../core/errors';
import { type FormResolver, findForm } from '../../forms/definition';
import { localize } from '../../forms/i18n';
import { checkedCase } from '../../intake/case';
import { PAYLOAD_BYTES } from '../body';
import { bodyCap, refusalIn } from '../body-cap';
import type { AppEnv } from '../deps';

/** A preview's body: a submission's answers and page context, in a locale of the form's. */
export const previewBody = z.object({
  values: submissionBody.shape.values,
  locale: submissionBody.shape.locale,
  context: submissionBody.shape.context,
});

/**
 * Where the case names its submission (`Reference: …`, for reconciling a lost answer): a preview
 * is never stored, so it has no id, and says so rather than make one up.
 */
export const PREVIEW_REFERENCE = 'sub_preview';

export interface PreviewDeps {
  config: Config;
  /** The backend's own resolver: the definitions and rules the widget gets. */
  forms: FormResolver;
  /** The consent's time. */
  clock: Clock;
}

/**
 * GET /forms: the config's forms. POST /forms/:id with `{values, locale}`: `{ok: true, deskie}`,
 * the create call's body, or `{ok: false, error}` with the fields the form would refuse.
 */
export function previewRoutes({ config, forms, clock }: PreviewDeps) {
  const app = new Hono<AppEnv>();
  app.get('/forms', (c) =>
    c.json({
      forms: config.forms.map((form) => ({
        id: form.id,
        title: localize(form.title, form.locales[0] ?? 'en', form.locales[0] ?? 'en') ?? form.id,
        locales: form.locales,
      })),
    }),
  );
  // A body the size a submission's JSON may be: every field at its longest fits.
  app.post('/forms/:id', bodyCap(PAYLOAD_BYTES), async (c) => {
    const form = findForm(config, c.req.param('id'));
    const body = await c.req.json().catch((error: unknown) => {
      throw refusalIn(error) ?? new ApiError('BAD_REQUEST', 'The body is not valid JSON.');
    });
    const parsed = previewBody.safeParse(body);
    if (!parsed.success) throw new ApiError('BAD_REQUEST', 'Send {"values", "locale"?, "context"?}.');
    const resolved = await forms(form, parsed.data.locale);
    const facts = { userAgent: c.req.header('user-agent'), now: clock.now() };
    c.header('Cache-Control', 'no-store');
    try {
      const { kase } = checkedCase(form, resolved, parsed.data, facts, PREVIEW_REFERENCE);
      // The create call's JSON body, as deskie/client.ts sends it (with files it is multipart).
      return c.json({ ok: true, locale: resolved.form.locale, deskie: { case: kase } });
    } catch (error) {
      // Answers not valid yet are what a preview shows, not a request that failed: the form's own
      // field errors, answered 200 — a 422 would be a console error at every keystroke.
      if (error instanceof ApiError && error.code === 'VALIDATION_FAILED')
        return c.json({ ok: false, locale: resolved.form.locale, ...error.toJSON() });
      throw error;
    }
  });
  for (const path of ['/forms', '/forms/:id'])
    app.all(path, (c) => {
      throw new ApiError('METHOD_NOT_ALLOWED', `${c.req.method} is not allowed here.`);
    });
  return app;
}
