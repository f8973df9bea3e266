/**
 * The agent's side of the demo: a small page listing the simulator's cases with their fields,
 * messages and attachments, where a person can change a status, post a public reply or add an
 * internal note — so someone trying `npm start` sees the whole round trip. Plain HTML forms, no
 * script, the styles in a file of their own (the page runs under a CSP without 'unsafe-inline');
 * every value is escaped by hono/html. Served only by the simulator (demo mode, tests).
 *
 * The console has no login, so any page a person has open could post to it. A post is taken only
 * from the console's own page: sent from its origin (Hono's csrf: Sec-Fetch-Site or Origin) and
 * carrying the token the page was given, which lives as long as the process.
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { ApiError } from '../core/errors';
import { randomHex } from '../core/hash';
import { sameText } from '../core/tokens';
import { MAX_TOTAL_BYTES } from '../deskie/limits';
import type { CaseStatus } from '../deskie/schemas';
import { checkFiles } from './case-input';
import { fileUrl } from './format';
import type { SimCase, SimMessage, SimState } from './state';

const STATUSES: CaseStatus[] = ['open', 'waiting', 'closed'];

const STYLES = `body { font: 15px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1c1e21; }
main { max-width: 48rem; margin: 1.5rem auto; padding: 0 1rem; }
article { background: #fff; border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0; box-shadow: 0 1px 3px #0002; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { font-weight: 600; } dd { margin: 0; }
.messages { padding-inline-start: 1.25rem; }
.meta { margin: 0.5rem 0 0; font-size: 0.85rem; color: #555; }
.note { background: #fff6d6; } .reply { background: #e9f1ff; }
pre { white-space: pre-wrap; font: inherit; margin: 0.25rem 0; }
form { margin: 0.75rem 0; } textarea { display: block; width: 100%; box-sizing: border-box; font: inherit; }
button { font: inherit; margin: 0.25rem 0.5rem 0 0; }
`;

/** The console's refusals, in the one error shape. */
const refuse = (c: Context, code: 'BAD_REQUEST' | 'ORIGIN_NOT_ALLOWED', message: string) => {
  const error = new ApiError(code, message);
  return c.json(error.toJSON(), error.status as 400 | 403);
};

const NOT_FROM_HERE = 'The console takes changes from its own page only: reload it and try again.';

/** Posts carrying the token the console's page was given; Hono's csrf has checked their origin. */
function withToken(token: string): MiddlewareHandler {
  return async (c, next) => {
    const sent = (await c.req.parseBody()).token;
    if (typeof sent !== 'string' || !sameText(sent, token))
      return refuse(c, 'ORIGIN_NOT_ALLOWED', NOT_FROM_HERE);
    await next();
  };
}

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

export function consoleRoutes(state: SimState) {
  const app = new Hono();
  const base = (url: string) => new URL(url).pathname.replace(/\/(cases\/.*)?$/, '');
  const { seed } = state;
  const token = randomHex(16);
  const tokenField = html`<input type="hidden" name="token" value="${token}">`;
  // Room for the files of a reply (Deskie's 50 MB) before the token is even read.
  app.post(
    '/cases/*',
    bodyLimit({
      maxSize: MAX_TOTAL_BYTES + 1024 * 1024,
      onError: (c) => refuse(c, 'BAD_REQUEST', 'The files are larger than Deskie takes (50 MB).'),
    }),
    csrf(),
    withToken(token),
  );
  // Hono's csrf refuses with an exception; it is answered like the token's refusal.
  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status === 403)
      return refuse(c, 'ORIGIN_NOT_ALLOWED', NOT_FROM_HERE);
    throw error;
  });
  app.get('/console.css', (c) => c.body(STYLES, 200, { 'content-type': 'text/css; charset=utf-8' }));

  const author = (m: SimMessage) =>
    m.note
      ? `Internal note · ${seed.staff.find((s) => s.staff_id === m.staff_id)?.staff_full_name ?? 'agent'}`
      : m.staff_id > 0
        ? `Public reply · ${seed.staff.find((s) => s.staff_id === m.staff_id)?.staff_full_name ?? 'agent'}`
        : 'Customer';

  const fieldRows = (kase: SimCase) =>
    Object.entries(kase.custom_fields).map(([key, value]) => {
      const field = seed.customFields.find((f) => `cf_${f.field_id}` === key);
      const shown = typeof value === 'boolean' ? (value ? 'yes' : 'no') : (field?.options?.[value] ?? value);
      return html`<dt>${field?.title ?? key}</dt><dd>${shown}</dd>`;
    });

  const caseView = (kase: SimCase, at: string) => {
    const user = state.users.find((u) => u.user_id === kase.user_id);
    const language = seed.languages.find((l) => l.language_id === kase.language_id)?.title ?? '—';
    const labels = kase.labels.map((id) => seed.labels.find((l) => l.label_id === id)?.label_title ?? id);
    const group = seed.groups.find((g) => g.group_id === kase.group_id)?.group_title ?? '—';
    return html`<article aria-labelledby="case-${kase.case_id}">
      <h2 id="case-${kase.case_id}">${kase.case_number} — ${kase.subject}</h2>
      <dl>
        <dt>From</dt><dd>${user?.user_full_name ? `${user.user_full_name} ` : ''}&lt;${kase.recipient}&gt;</dd>
        <dt>Status</dt><dd data-status>${kase.status}</dd>
        <dt>Language</dt><dd>${language}</dd>
        <dt>Group</dt><dd>${group}</dd>
        <dt>Labels</dt><dd>${labels.join(', ') || '—'}</dd>
        ${fieldRows(kase)}
      </dl>
      <h3>Messages</h3>
      <ol class="messages">
        ${state.messagesOf(kase).map(
          (m) => html`<li class="${m.note ? 'note' : m.staff_id > 0 ? 'reply' : 'customer'}">
            <p class="meta">${author(m)} · ${when(m.created_at)}</p>
            <pre>${m.content}</pre>
            ${
              m.attachments.length > 0
                ? html`<ul>${m.attachments.map(
                    (f) =>
                      html`<li><a href="${fileUrl(at.replace(/\/console$/, ''), f)}">${f.file_name}</a> (${f.mime_type}, ${f.data.byteLength} bytes)</li>`,
                  )}</ul>`
                : ''
            }
          </li>`,
        )}
      </ol>
      <form method="post" action="${at}/cases/${kase.case_id}/status">
        ${tokenField}
        <label>Status
          <select name="status">${STATUSES.map(
            (s) => html`<option value="${s}" ${s === kase.status ? 'selected' : ''}>${s}</option>`,
          )}</select>
        </label>
        <button>Save status</button>
      </form>
      <form method="post" action="${at}/cases/${kase.case_id}/messages" enctype="multipart/form-data">
        ${tokenField}
        <label>Reply or note<textarea name="content" rows="3" required></textarea></label>
        <label>Files <input type="file" name="attachments" multiple></label>
        <button name="kind" value="reply">Send public reply</button>
        <button name="kind" value="note">Add internal note</button>
      </form>
    </article>`;
  };

  app.get('/', (c) => {
    const at = base(c.req.url);
    const cases = state.cases.filter((k) => !k.deleted).reverse();
    return c.html(html`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Deskie simulator — agent console</title>
  <link rel="stylesheet" href="${at}/console.css">
</head>
<body>
  <main>
    <h1>Agent console</h1>
    <p>The simulator's cases, newest first: what support would see in Deskie. Change a status,
      reply in public (the visitor sees it when they check the request) or add an internal note
      (they never do). <a href="${at}">Refresh</a></p>
    ${cases.length === 0 ? html`<p>No cases yet — file a request from the demo page.</p>` : cases.map((k) => caseView(k, at))}
  </main>
</body>
</html>`);
  });

  app.post('/cases/:id/status', async (c) => {
    const kase = state.findCase(c.req.param('id'));
    const status = (await c.req.parseBody()).status;
    if (!kase || !STATUSES.includes(status as CaseStatus))
      return refuse(c, 'BAD_REQUEST', 'No such case or status.');
    kase.status = status as CaseStatus;
    state.touch(kase);
    return c.redirect(base(c.req.url), 303);
  });

  // A reply or note with files, as an agent attaches them in Deskie: the API's limits apply.
  app.post('/cases/:id/messages', async (c) => {
    const kase = state.findCase(c.req.param('id'));
    const body = await c.req.parseBody({ all: true });
    const content = typeof body.content === 'string' ? body.content.trim() : '';
    const agent = seed.staff.find((s) => s.active);
    if (!kase || !content || !agent) return refuse(c, 'BAD_REQUEST', 'No such case, or nothing written.');
    // A form sent with no file chosen still carries one empty, nameless part: it is no file.
    const chosen = [body.attachments ?? []].flat().filter((f) => f instanceof File && (f.size > 0 || f.name));
    const files = await checkFiles(chosen);
    if (!files.ok) return refuse(c, 'BAD_REQUEST', `The files cannot be attached (${files.error}).`);
    if (body.kind === 'note') state.addNote(kase, agent.staff_id, content, files.value);
    else state.addMessage(kase, { staff_id: agent.staff_id }, content, files.value);
    return c.redirect(base(c.req.url), 303);
  });

  return app;
}
