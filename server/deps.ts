/** What createApp needs from its runtime: everything with a side effect is injected here. */
import type { Context } from 'hono';
import type { Store } from 'hono-rate-limiter';
import type { Clock, Random } from './clock';
import type { Config } from './config';
import type { DeskieClient } from './deskie/client';
import type { FieldCatalog, FormResolver } from './forms';
import type { IdempotencyStore } from './idempotency';
import type { Logger } from './log';
import type { Signer } from './tokens';

/** Checks a captcha token with its provider; true when the visitor passed. */
export type CaptchaVerifier = (token: string, ip: string | undefined) => Promise<boolean>;

export interface AppDeps {
  config: Config;
  deskie: DeskieClient;
  /** Signs form and lookup tokens (keyed by the deployment's secret). */
  signer: Signer;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: Math.random. Used only for the fake answers bots get. */
  random?: Random;
  /** Default: JSON lines on stdout. */
  log?: Logger;
  /** Required when a form has a captcha. */
  captcha?: CaptchaVerifier;
  /** The client's address as the runtime sees it (Node: the socket); X-Forwarded-For is used only with `trustProxy`. */
  clientIp?: (c: Context) => string | undefined;
  /** The built widget bundle; undefined when not built. */
  widgetScript?: () => Promise<Uint8Array | undefined>;
  /** Default: in memory. */
  idempotency?: IdempotencyStore;
  /** Default: fetched through `deskie`, cached per config. */
  fieldCatalog?: FieldCatalog;
  /**
   * Counter stores for the per-address and per-case-number limits (hono-rate-limiter stores).
   * Default: in memory, per process; pass a shared store (Redis, a database) to limit across instances.
   */
  limiterStore?: (name: LimiterName) => Store<AppEnv>;
}

export type LimiterName = 'submissions' | 'lookups' | 'lookup-failures';

/** AppDeps with every default filled in. */
export type Deps = Required<
  Omit<AppDeps, 'captcha' | 'clientIp' | 'widgetScript' | 'fieldCatalog' | 'limiterStore'>
> &
  Pick<AppDeps, 'captcha' | 'widgetScript'> & {
    clientIp: (c: Context) => string | undefined;
    /** Resolves a configured form into its public definition and compiled rules. */
    forms: FormResolver;
    /** A fresh, initialised counter store for one limit. */
    limiterStore: (name: LimiterName, windowMs: number) => Store<AppEnv>;
  };

export type AppEnv = { Variables: { requestId: string } };
