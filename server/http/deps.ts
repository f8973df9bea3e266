/**
 * What createApp needs, finished: every part is built by the one wiring function
 * (runtimes/backend.ts) and nothing here has a default.
 */
import type { Context } from 'hono';
import type { Config } from '../config/schema';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import type { Tokens } from '../core/tokens';
import type { DeskieClient } from '../deskie/client';
import type { FormResolver } from '../forms/definition';
import type { Intake } from '../intake/intake';
import type { Replies } from '../intake/reply';
import type { Lookup } from '../lookup/lookup';
import type { OutboxStore } from '../outbox/types';
import type { CounterStores } from '../rate/limits';

export interface AppDeps {
  config: Config;
  clock: Clock;
  log: Logger;
  /** Configured forms → public definitions and their rules. */
  forms: FormResolver;
  /** Issues form tokens (intake and lookup read them). */
  tokens: Tokens;
  intake: Intake;
  /** A visitor's replies to their case. */
  replies: Replies;
  lookup: Lookup;
  /** For readiness (depth, dead letters) and the operator's endpoints. */
  outbox: OutboxStore;
  /** For readiness: whether Deskie accepts the credentials. */
  deskie: DeskieClient;
  /** The per-address limits' counters. */
  counters: CounterStores;
  /** The client's address as the runtime sees it (Node: the socket; behind a trusted proxy, its header). */
  clientIp: (c: Context) => string | undefined;
  /**
   * Told when a submission is left queued, with the request (Node wakes its drainer; a Worker
   * drains after the answer, within the request's waitUntil).
   */
  onQueued: (c: Context<AppEnv>) => void;
  /**
   * A file of the built widget by its path under dist/ (`deskie-form.js`, `deskie-form/app-….js`);
   * undefined when it does not exist. Absent where the platform serves the widget itself (Workers).
   */
  widgetAsset: ((path: string) => Promise<Uint8Array | undefined>) | undefined;
  /** Bearer token for /admin (outbox list and retry); without it /admin does not exist. */
  adminToken: string | undefined;
  /**
   * Whether JSON answers are gzipped here. Not on Workers: there the runtime encodes a body by the
   * Content-Encoding it carries (so it would be done twice), and Cloudflare compresses at its edge.
   */
  compressJson: boolean;
  /**
   * Gzips a JSON answer at once, where the runtime has it (node:zlib): the form definition, the hot
   * read, is then compressed from the text it already is, without a stream around its answer.
   */
  gzip: ((text: string) => Uint8Array) | undefined;
}

export type AppEnv = {
  Variables: {
    requestId: string;
    /** The headers this request's answer will carry, gathered as it goes (answer.ts). */
    headers: Record<string, string>;
    /** The answer `respond` built, which carries those headers already (answer.ts). */
    answer: Response;
  };
};
