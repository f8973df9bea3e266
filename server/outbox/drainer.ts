/**
 * The drainer: workers that take the oldest due submission, wait for Deskie budget, and deliver it.
 * Budget comes first and the lease second, so a lease is never held while waiting for the rate
 * limit (a long wait must not let another instance take the row over and send it twice).
 *
 * It also owns the fast path: `tryNow` delivers one submission while its visitor waits, but only
 * with budget free at once — a visitor never waits in line behind the queue. Every delivery this
 * process runs is known by id until it ends, so a repeat of the same submission awaits its outcome
 * instead of polling the store for it.
 */
import type { RateGovernor } from '../deskie/rate';
import { type DeliveryContext, deliver, type Outcome } from './deliver';

export interface DrainerOptions extends DeliveryContext {
  governor: RateGovernor;
  /** Workers delivering at once. Default 2. */
  concurrency?: number;
  /** Longest sleep when nothing is due (leases of dead workers are noticed at this pace). Default 1 000 ms. */
  pollMs?: number;
}

export interface Drainer {
  start(): void;
  /** Something new is due: stop sleeping. */
  wake(): void;
  /**
   * Stops taking work at once, lets deliveries in progress finish, then hands back this owner's
   * leases — unless `release` is false (the caller releases once other users of the owner are done).
   */
  stop(options?: { release?: boolean }): Promise<void>;
  /**
   * Delivers every submission due now, then resolves (tests, the admin CLI, a scheduled drain).
   * `signal` ends it early — while it waits for budget, never mid-delivery — and rejects.
   */
  drainDue(signal?: AbortSignal): Promise<number>;
  /**
   * Delivers submission `id` at once if Deskie's budget allows it right now and nobody is waiting
   * for budget; undefined (and `id` stays queued) otherwise.
   */
  tryNow(id: string): Promise<Outcome | undefined>;
  /** The outcome of the delivery of `id` this process is running, if it is running one. */
  inProgress(id: string): Promise<Outcome> | undefined;
}

/** Creates the drainer for one process. */
export function createDrainer(options: DrainerOptions): Drainer {
  const { store, governor, clock, log, owner, leaseMs, concurrency = 2, pollMs = 1_000 } = options;
  let running = false;
  let workers: Promise<void>[] = [];
  let nap = new AbortController();
  /**
   * Workers asleep on `nap`. Only they need waking: a worker awake looks for due work before it
   * sleeps again, and an abort per queued submission (a DOMException made each time) is what a
   * flood would pay for nothing.
   */
  let sleepers = 0;
  // Aborts a wait for budget when the drainer stops: a full window is too long to hold a shutdown.
  let stopping = new AbortController();
  const delivering = new Map<string, Promise<Outcome>>();
  /** Leases being taken: each settles once its row's delivery, if any, is in `delivering`. */
  const leasing = new Set<Promise<unknown>>();

  /**
   * Leases `id` (or the oldest due) with budget in hand and delivers it; undefined when none was
   * due. The fast path (`id`) marks it sending in the same write as the lease: one commit fewer.
   */
  const claimAndDeliver = (permit: Awaited<ReturnType<RateGovernor['acquire']>>, id?: string) => {
    const sending = id !== undefined;
    const leased = (async () => {
      const row = await store.claim(owner, clock.now(), leaseMs, id, sending).catch((error: unknown) => {
        permit.cancel();
        throw error;
      });
      if (!row) {
        permit.cancel();
        return undefined;
      }
      const outcome = deliver(options, row, permit, sending);
      delivering.set(row.id, outcome);
      return { outcome: outcome.finally(() => delivering.delete(row.id)) };
    })();
    const settled = leased.then(
      () => undefined,
      () => undefined,
    );
    leasing.add(settled);
    void settled.then(() => leasing.delete(settled));
    return leased.then((taken) => taken?.outcome);
  };

  /** One delivery if one is due: budget, then lease, then send. False when nothing was due. */
  const step = async (signal = stopping.signal): Promise<boolean> =>
    (await claimAndDeliver(await governor.acquire(2, { signal }))) !== undefined;

  const work = async () => {
    while (running) {
      try {
        if (await step()) continue;
      } catch (error) {
        if (!running) break;
        log('error', 'outbox worker error', { error: String(error) });
      }
      if (!running) break;
      const due = await store.nextDueAt().catch(() => null);
      const wait = due === null ? pollMs : Math.min(pollMs, Math.max(0, due - clock.now()));
      sleepers += 1;
      await clock.sleep(wait, nap.signal).finally(() => {
        sleepers -= 1;
      });
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      stopping = new AbortController();
      workers = Array.from({ length: concurrency }, work);
    },
    wake() {
      if (sleepers === 0) return;
      const sleeping = nap;
      nap = new AbortController();
      sleeping.abort();
    },
    async stop({ release = true } = {}) {
      running = false;
      stopping.abort();
      this.wake();
      await Promise.all(workers);
      await Promise.allSettled([...delivering.values()]);
      if (!release) return;
      const released = await store.release(owner);
      if (released > 0) log('info', 'outbox leases released', { released });
    },
    async drainDue(signal) {
      let delivered = 0;
      while (await step(signal)) delivered += 1;
      return delivered;
    },
    async tryNow(id) {
      const permit = await governor.tryAcquire(2);
      if (!permit) return undefined;
      // A worker of this process may lease `id` first (its claim went to the database before this
      // one): once its lease is taken, its delivery is this visitor's answer, not a "queued".
      const before = [...leasing];
      const outcome = await claimAndDeliver(permit, id);
      if (outcome !== undefined) return outcome;
      await Promise.all(before);
      return delivering.get(id);
    },
    inProgress: (id) => delivering.get(id),
  };
}
