/** What createApp needs from its runtime: everything with a side effect is injected here. */
import type { Context } from 'hono';
import type { Store } from 'hono-rate-limiter';
import type { Config } from '../config/schema';
import type { Clock, Random } from '../core/clock';
import type { Logger } from '../core/log';
import type { Signer } from '../core/tokens';
import type { DeskieClient } from '../deskie/client';
import type { RateGovernor } from '../deskie/rate';
import type { FieldCatalog, FormResolver } from '../forms/definition';
import type { DeliveryContext } from '../outbox/deliver';
import type { OutboxStore } from '../outbox/store';

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
  /**
   * A file of the built widget by its path under dist/ (`deskie-form.js`, `deskie-form/app-….js`);
   * undefined when it does not exist (or the widget is not built). Only safe names are asked for.
   */
  widgetAsset?: (path: string) => Promise<Uint8Array | undefined>;
  /** The durable outbox every submission is written to before it is answered. */
  outbox: OutboxStore;
  /** The account's rate governor — the same one the Deskie client uses. */
  governor: RateGovernor;
  /**
   * Told when a submission is queued, with the request that queued it (Node wakes its drainer; a
   * Worker drains after the answer, within the request's waitUntil).
   */
  onQueued?: (c: Context<AppEnv>) => void;
  /** This instance's name on outbox leases. Default: random. */
  instanceId?: string;
  /** Outbox lease length (renewed while a delivery runs). Default 120 000 ms. */
  leaseMs?: number;
  /** Bearer token for /admin (outbox list and retry); without it /admin does not exist. */
  adminToken?: string;
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
type Injected =
  | 'captcha'
  | 'clientIp'
  | 'widgetAsset'
  | 'fieldCatalog'
  | 'limiterStore'
  | 'outbox'
  | 'governor'
  | 'onQueued'
  | 'instanceId'
  | 'adminToken'
  | 'leaseMs';

export type Deps = Required<Omit<AppDeps, Injected>> &
  Pick<AppDeps, 'captcha' | 'widgetAsset'> & {
    clientIp: (c: Context) => string | undefined;
    /** Resolves a configured form into its public definition and compiled rules. */
    forms: FormResolver;
    /** Delivery on the request path (fast path) and waking the drainer. */
    delivery: DeliveryContext & { governor: RateGovernor; wake: (c: Context<AppEnv>) => void };
    /** A fresh, initialised counter store for one limit. */
    limiterStore: (name: LimiterName, windowMs: number) => Store<AppEnv>;
  };

export type AppEnv = { Variables: { requestId: string } };
