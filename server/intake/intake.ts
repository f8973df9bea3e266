/**
 * Intake: one submission from the visitor's values to a durable row in the outbox, and the answer
 * the visitor gets. It runs every check the widget ran (and the ones only a server can: the form
 * token, bots, the captcha, files by content), builds the case Deskie will receive, writes it to the
 * outbox before anything else can go wrong, then asks delivery for the fast path.
 */
import type { Store } from 'hono-rate-limiter';
import type { FormConfig } from '../config/schema';
import { type SubmissionBody, type SubmissionResponse, submissionBody } from '../contract';
import type { Clock } from '../core/clock';
import type { Decoys } from '../core/decoys';
import { ApiError } from '../core/errors';
import type { Digests } from '../core/hash';
import type { Identity, IdentityVerifier } from '../core/identity';
import type { Logger } from '../core/log';
import { redactEmail } from '../core/log';
import type { Tokens } from '../core/tokens';
import type { NewCase } from '../deskie/schemas';
import type { FormResolver } from '../forms/definition';
import type { Outcome } from '../outbox/deliver';
import type { Drainer } from '../outbox/drainer';
import type { OutboxStore, Submission } from '../outbox/types';
import { countHit } from '../rate/limits';
import { attachmentsFor } from '../rules';
import { type CheckedUpload, checkAttachments, type ReceivedFile } from './attachments';
import type { CaptchaVerifier } from './captcha';
import { checkedCase } from './case';
import { fingerprintOf, newSubmissionId, storeOnce } from './idempotency';
import { fakeAnswer, spamReason } from './spam';

/** How long a form token stays good: a visitor may leave a form open for a day. */
const FORM_TOKEN_MAX_AGE_MS = 24 * 3600_000;
/** A token dated this far ahead of our clock is still taken (clocks of instances drift). */
const FORM_TOKEN_SKEW_MS = 60_000;
/** How long a form token's uses are counted: as long as it can be used. */
export const FORM_TOKEN_LIFE_MS = FORM_TOKEN_MAX_AGE_MS + FORM_TOKEN_SKEW_MS;

const formExpired = () =>
  new ApiError('FORM_TOKEN_INVALID', 'The form has expired. Please reload it and send again.');

export interface IntakeDeps {
  forms: FormResolver;
  tokens: Tokens;
  /** A submission's fingerprint (core/hash.ts). */
  digests: Digests;
  clock: Clock;
  log: Logger;
  /** Required when a form has a captcha. */
  captcha: CaptchaVerifier | undefined;
  outbox: OutboxStore;
  delivery: Pick<Drainer, 'tryNow' | 'inProgress'>;
  /** What bots are answered with; told of every real case, to number decoys after it. */
  decoys: Decoys;
  /** New submissions filed per form token, ready for a window of FORM_TOKEN_LIFE_MS. */
  formTokenUses: Store;
  /** How many new submissions one form token may file. */
  usesPerFormToken: number;
  /** Checks a signed-in customer's identity; undefined when the site signs nobody in. */
  identity: IdentityVerifier | undefined;
}

/** Facts about the request the visitor's browser did not write into the body. */
export interface Client {
  ip: string | undefined;
  userAgent: string | undefined;
}

/** The answer: 201 when the case exists, 202 when it waits in the outbox. */
export interface Accepted {
  status: 201 | 202;
  body: SubmissionResponse;
}

/** A submission that passed every check: its outbox id, what makes it "the same", its case and files. */
interface Checked {
  id: string;
  formToken: string;
  /** Its Idempotency-Key names a submission already stored. */
  repeat: boolean;
  fingerprint: string;
  kase: NewCase;
  uploads: CheckedUpload[];
}

/** The identity a submission carries, checked; none when it carries none. Never a silent fallback. */
function verifiedIdentity(deps: IntakeDeps, body: SubmissionBody): Identity | undefined {
  if (body.identityToken === undefined) return undefined;
  if (!deps.identity)
    throw new ApiError('IDENTITY_INVALID', 'The sign-in could not be verified: this site signs nobody in.');
  return deps.identity(body.identityToken);
}

/** The checked submission and the case it files; throws the ApiError the visitor should see. */
async function check(
  deps: IntakeDeps,
  form: FormConfig,
  request: { input: unknown; files: ReceivedFile[]; key: string | undefined; client: Client },
): Promise<Checked | { spam: string; body: SubmissionBody }> {
  const { input, files, key, client } = request;
  const parsed = submissionBody.safeParse(input);
  if (!parsed.success) throw new ApiError('BAD_REQUEST', 'The body does not have the shape of a submission.');
  const body = parsed.data;
  const claim = deps.tokens.form.read(body.formToken);
  const age = deps.clock.now() - (claim?.issuedAt ?? Number.NaN);
  if (claim?.formId !== form.id || !(age >= -FORM_TOKEN_SKEW_MS && age <= FORM_TOKEN_MAX_AGE_MS))
    throw formExpired();
  const identity = verifiedIdentity(deps, body);
  const spam = spamReason(form, body, age);
  if (spam) return { spam, body };
  // A repeat of a stored submission (its key known) passed the captcha the first time: a token
  // is good for one check, and a retry after a lost answer must not be refused for reusing it.
  const repeat = key !== undefined && (await deps.outbox.byKey(form.id, key)) !== undefined;
  if (form.captcha && !repeat) {
    const passed =
      body.captchaToken && deps.captcha ? await deps.captcha(body.captchaToken, client.ip) : false;
    if (!passed) throw new ApiError('CAPTCHA_FAILED', 'Please complete the captcha and send again.');
  }
  const resolved = await deps.forms(form, body.locale ?? body.context?.locale);
  const facts = { userAgent: client.userAgent, now: deps.clock.now() };
  const id = newSubmissionId(facts.now);
  const { values, kase } = checkedCase(form, resolved, body, facts, id, identity);
  const uploads = await checkAttachments(files, attachmentsFor(resolved.form, values));
  const fingerprint = fingerprintOf(deps.digests, {
    form: form.id,
    values,
    // The files' bytes, not only their names and sizes: other bytes are other content.
    files: uploads.map((u) => [u.name, deps.digests.sha256Hex(u.data)]),
  });
  return { id, formToken: body.formToken, repeat, fingerprint, kase, uploads };
}

/** The visitor's answer for `row`: its case when `outcome` (or an earlier delivery) made one, else its receipt. */
function answer(tokens: Tokens, row: Submission, outcome: Outcome | undefined): Accepted {
  const delivered =
    outcome?.kind === 'delivered'
      ? { id: outcome.caseId, number: outcome.caseNumber }
      : row.status === 'delivered' && row.case_id !== null && row.case_number !== null
        ? { id: row.case_id, number: row.case_number }
        : undefined;
  const claim = { formId: row.form_id, receipt: row.id };
  if (delivered) {
    const lookupToken = tokens.lookup.issue({ ...claim, case: delivered });
    return { status: 201, body: { status: 'created', caseNumber: delivered.number, lookupToken } };
  }
  return {
    status: 202,
    body: { status: 'queued', receipt: row.id, lookupToken: tokens.lookup.issue(claim) },
  };
}

/**
 * Counts a new submission against its form token, refusing one past the token's uses: a token
 * replayed by a script files a few cases, not thousands. A repeat (its key stored) is not new.
 * The widget answers FORM_TOKEN_INVALID by fetching a fresh token and sending again.
 */
async function spendFormToken(
  deps: IntakeDeps,
  { formToken, repeat }: Pick<Checked, 'formToken' | 'repeat'>,
) {
  if (repeat) return;
  // The signature names the token: every token signs its own claim (a nonce among it).
  const counted = await countHit(deps.formTokenUses, formToken.slice(formToken.indexOf('.') + 1));
  if (counted.totalHits > deps.usesPerFormToken) throw formExpired();
}

/** Durable first, then the fast path: from the outbox write on, the request cannot be lost. */
async function store(deps: IntakeDeps, form: FormConfig, key: string | undefined, checked: Checked) {
  const { id, fingerprint, kase, uploads } = checked;
  const submission = { id, formId: form.id, idempotencyKey: key ?? null, fingerprint, now: deps.clock.now() };
  // A repeat answers as the first will: with its delivery's outcome when this process runs it.
  const { row, created, outcome } = await storeOnce(
    deps,
    { ...submission, payload: { case: kase } },
    uploads,
    {
      unsaved: 'Your request could not be saved. Please send it again.',
      reused: 'This Idempotency-Key was used for a different submission.',
    },
  );
  if (created) {
    const email = redactEmail(kase.user_email);
    deps.log('info', 'submission accepted', { id, form: form.id, email, files: uploads.length });
  }
  if (outcome?.kind === 'delivered') deps.decoys.noteCase(outcome.caseId);
  return answer(deps.tokens, row, outcome);
}

/**
 * Turns per name, one after another, in this process. Requests with one Idempotency-Key take
 * turns: a repeat sent while the first is still being checked, stored and delivered waits for it
 * and then answers alike, rather than racing it.
 */
export function createTurns() {
  const turns = new Map<string, Promise<unknown>>();
  return <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const result = (turns.get(name) ?? Promise.resolve()).then(run);
    const settled = result.catch(() => {});
    turns.set(name, settled);
    void settled.then(() => {
      if (turns.get(name) === settled) turns.delete(name);
    });
    return result;
  };
}

export type Intake = ReturnType<typeof createIntake>;

/** Intake for one deployment. */
export function createIntake(deps: IntakeDeps) {
  const inTurn = createTurns();
  return {
    /** Checks and stores one submission to `form`; throws the ApiError the visitor should see. */
    async accept(
      form: FormConfig,
      input: unknown,
      files: ReceivedFile[],
      key: string | undefined,
      client: Client,
    ): Promise<Accepted> {
      const run = async (): Promise<Accepted> => {
        const checked = await check(deps, form, { input, files, key, client });
        if ('spam' in checked) {
          // A bot's copies use up its token as a person's would: the cap tells it nothing either.
          await spendFormToken(deps, { formToken: checked.body.formToken, repeat: false });
          deps.log('warn', 'submission treated as spam', { form: form.id, reason: checked.spam });
          return { status: 201, body: fakeAnswer(form, checked.body, deps.tokens, deps.decoys) };
        }
        await spendFormToken(deps, checked);
        return store(deps, form, key, checked);
      };
      // The whole of it in turn: a repeat then finds the first stored, and is not checked again
      // (its captcha token, spent by the first, would fail).
      return key ? inTurn(`${form.id}\n${key}`, run) : run();
    },
  };
}
