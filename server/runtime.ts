/**
 * What every runtime (Node, Lambda) builds alike from the config: the rate governor's settings,
 * the Deskie client and the drainer. Each entry adds only what is its own — the outbox engine,
 * the address of the caller, how the drainer is driven.
 */
import { systemClock } from './clock';
import type { Config } from './config';
import { createDrainer } from './delivery/drainer';
import type { OutboxStore } from './delivery/store';
import { createDeskieClient } from './deskie/client';
import { type GovernorEvent, planRpm, type RateGovernor } from './deskie/governor';
import type { Logger } from './log';

/** The governor's settings for the account in `config`; its warnings go to `log`. */
export const rateOptions = (config: Config, log: Logger) => ({
  rpm: config.deskie.rpm ?? planRpm(config.deskie.plan, config.deskie.agents),
  share: config.deskie.share,
  windowMs: config.deskie.windowMs,
  onEvent: (event: GovernorEvent) => log('warn', 'deskie rate limit', { ...event }),
});

export interface DeliveryParts {
  config: Config;
  /** Where Deskie is and the credentials (the simulator's in demo mode). */
  account: { baseUrl: string; staffEmail: string; apiKey: string };
  outbox: OutboxStore;
  governor: RateGovernor;
  log: Logger;
  /** This instance's name on outbox leases. */
  owner: string;
  /** Deliveries at once. Default: the config's. */
  concurrency?: number;
}

/** The Deskie client (paced by `governor`) and the drainer of `outbox`. */
export function createDelivery({
  config,
  account,
  outbox,
  governor,
  log,
  owner,
  concurrency,
}: DeliveryParts) {
  const deskie = createDeskieClient({ ...account, timeoutMs: config.deskie.timeoutSeconds * 1000, governor });
  const leaseMs = config.delivery.leaseSeconds * 1000;
  const drainer = createDrainer({
    store: outbox,
    deskie,
    governor,
    clock: systemClock,
    random: Math.random,
    log,
    owner,
    leaseMs,
    concurrency: concurrency ?? config.delivery.concurrency,
  });
  return { deskie, drainer, leaseMs };
}
