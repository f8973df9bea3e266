import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../server/core/clock';
import { planRpm } from '../../../server/deskie/rate';
import { createGovernor, type GovernorEvent } from '../../../server/rate/governor';
import { createWindowLimiter } from '../../../server/simulator/rate-limit';

const MINUTE = 60_000;

/** A small seeded generator (mulberry32): the same sequence on every run. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Run {
  /** Writes to send. */
  writes: number;
  /** The plan's real limit (the simulator's). */
  rpm: number;
  /** What the governor is told; default the real limit. */
  governorRpm?: number;
  /** Milliseconds into a Deskie window at which the burst starts. */
  offsetMs?: number;
  /** Calls other integrations already spent in the current window. */
  spentByOthers?: number;
  /** Requests in flight at once. Default: all of them. */
  concurrency?: number;
  latencyMs?: number;
}

/**
 * Sends writes through a governor to the simulator's own window limiter on a fake clock: each call
 * is charged half-way through its latency and its headers go back to the governor.
 */
async function run(options: Run) {
  const { writes, rpm, offsetMs = 0, spentByOthers = 0, latencyMs = 40 } = options;
  vi.setSystemTime(Date.UTC(2026, 0, 1) + offsetMs);
  const limiter = createWindowLimiter({ rpm, clock: systemClock });
  if (spentByOthers > 0) limiter.charge(spentByOthers);
  const events: GovernorEvent[] = [];
  const governor = createGovernor({ rpm: options.governorRpm ?? rpm, onEvent: (e) => events.push(e) });
  let throttled = 0;
  let next = 0;
  const done: number[] = [];
  const worker = async () => {
    while (next < writes) {
      next += 1;
      for (;;) {
        const permit = await governor.acquire(2);
        await systemClock.sleep(latencyMs / 2);
        const verdict = limiter.charge(2);
        await systemClock.sleep(latencyMs / 2);
        permit.settle({ headers: new Headers(verdict.headers), throttled: !verdict.allowed });
        if (verdict.allowed) break;
        throttled += 1;
      }
      done.push(Date.now());
    }
  };
  const start = Date.now();
  const all = Promise.all(Array.from({ length: options.concurrency ?? writes }, worker));
  await vi.runAllTimersAsync();
  await all;
  const makespan = Math.max(...done) - start;
  return { throttled, events, done: done.length, windows: Math.ceil(makespan / MINUTE), makespan };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('rate governor', () => {
  it.each([
    [1, 0],
    [25, 0],
    [26, 17_000],
    [30, 59_990],
    [100, 31_000],
    [137, 45_500],
  ])(
    'sends %i writes on a 50 RPM plan (starting %i ms into a window) in the minimal windows with no 429',
    async (writes, offsetMs) => {
      const result = await run({ writes, rpm: 50, offsetMs });
      expect(result.done).toBe(writes);
      expect(result.throttled).toBe(0);
      expect(result.windows).toBe(Math.ceil((2 * writes) / 50));
    },
  );

  it('paces a one-at-a-time sender the same way', async () => {
    const result = await run({ writes: 30, rpm: 20, concurrency: 1, offsetMs: 12_345 });
    expect(result.throttled).toBe(0);
    expect(result.windows).toBe(3);
  });

  it('stops before Deskie says the account is spent by other integrations', async () => {
    const result = await run({ writes: 10, rpm: 50, spentByOthers: 40, concurrency: 1, offsetMs: 5_000 });
    expect(result.throttled).toBe(0);
    expect(result.done).toBe(10);
    expect(result.events.some((e) => e.type === 'exhausted')).toBe(true);
  });

  it('on a 429 waits out retry_after, reports it, and still delivers everything', async () => {
    // Others spent most of the window and the governor could not know before the first answer.
    const result = await run({ writes: 20, rpm: 50, spentByOthers: 44, offsetMs: 30_000 });
    expect(result.done).toBe(20);
    const throttled = result.events.filter((e) => e.type === 'throttled');
    expect(throttled.length).toBe(result.throttled);
    expect(result.throttled).toBeGreaterThan(0);
    // retry_after was 30 Deskie-seconds: the time left in the window.
    expect(throttled[0]).toEqual({ type: 'throttled', retryAfterMs: 30_000 });
    // Nothing after the first 429 was throttled again once the window refreshed.
    expect(result.throttled).toBeLessThanOrEqual(17);
  });

  it('learns a lower plan limit from rate_limit_per_minute', async () => {
    const result = await run({ writes: 30, rpm: 20, governorRpm: 50, concurrency: 1, offsetMs: 1_000 });
    expect(result.events).toContainEqual({ type: 'limit-changed', rpm: 20 });
    expect(result.throttled).toBe(0);
  });

  it('keeps a share of the account for other integrations', async () => {
    vi.setSystemTime(0);
    const governor = createGovernor({ rpm: 50, share: 0.4 });
    expect(governor.budget).toBe(20);
    const granted: number[] = [];
    for (let i = 0; i < 11; i++) void governor.acquire(2).then(() => granted.push(i));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(granted).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('grants permits first come, first served', async () => {
    vi.setSystemTime(0);
    const governor = createGovernor({ rpm: 20 });
    const order: string[] = [];
    const permits = await Promise.all(Array.from({ length: 10 }, () => governor.acquire(2)));
    const later = ['write-a', 'read-b', 'write-c'].map((name) =>
      governor.acquire(name.startsWith('read') ? 1 : 2).then((p) => {
        order.push(name);
        p.settle({});
      }),
    );
    for (const p of permits) p.settle({});
    await vi.advanceTimersByTimeAsync(MINUTE + 1);
    await Promise.all(later);
    expect(order).toEqual(['write-a', 'read-b', 'write-c']);
  });

  it('counts each call in the window exactly as a list of every call would, however many there are', async () => {
    // A model of the window: every call listed, in flight (Infinity) or dated by its answer.
    const random = seeded(7);
    let now = 0;
    const clock = { now: () => now, sleep: () => Promise.resolve() };
    const budget = 400;
    const governor = createGovernor({ rpm: budget, clock });
    const model: { cost: number; at: number }[] = [];
    const inUse = () => model.reduce((sum, c) => sum + (c.at + MINUTE > now ? c.cost : 0), 0);
    const open: {
      permit: Awaited<ReturnType<typeof governor.tryAcquire>>;
      call: { cost: number; at: number };
    }[] = [];
    let granted = 0;
    let refused = 0;
    for (let step = 0; step < 20_000; step++) {
      now += Math.floor(random() * 40);
      const roll = random();
      if (roll < 0.5 || open.length === 0) {
        const cost = random() < 0.5 ? 1 : 2;
        const permit = await governor.tryAcquire(cost);
        expect(permit !== undefined).toBe(inUse() + cost <= budget);
        if (!permit) {
          refused += 1;
          continue;
        }
        granted += 1;
        const call = { cost, at: Number.POSITIVE_INFINITY };
        model.push(call);
        open.push({ permit, call });
      } else {
        const [{ permit, call }] = open.splice(Math.floor(random() * open.length), 1) as [(typeof open)[0]];
        if (roll < 0.95) {
          permit?.settle({});
          call.at = now;
        } else {
          permit?.cancel();
          model.splice(model.indexOf(call), 1);
        }
      }
    }
    // Thousands of calls went through, and the window was full for many others.
    expect(granted).toBeGreaterThan(2_000);
    expect(refused).toBeGreaterThan(1_000);
  });

  it('keeps a call answered while the clock stood earlier in the window as long as the later ones', async () => {
    let now = 100_000;
    const clock = { now: () => now, sleep: () => Promise.resolve() };
    const governor = createGovernor({ rpm: 4, clock });
    (await governor.tryAcquire(2))?.settle({});
    now = 50_000; // the system clock stepped back
    (await governor.tryAcquire(2))?.settle({});
    now = 100_000 + MINUTE - 1;
    expect(await governor.tryAcquire(2)).toBeUndefined();
    now = 100_000 + MINUTE;
    expect(await governor.tryAcquire(2)).toBeDefined();
  });

  it('rejects impossible settings', () => {
    expect(() => createGovernor({ rpm: 0 })).toThrow(RangeError);
    expect(() => createGovernor({ rpm: 20, share: 1.5 })).toThrow(RangeError);
  });
});

describe('planRpm', () => {
  it('follows the documented plan formula', () => {
    expect(planRpm('basic', 1)).toBe(20);
    expect(planRpm('basic', 10)).toBe(50);
    expect(planRpm('basic', 40)).toBe(50);
    expect(planRpm('standard', 100)).toBe(500);
    expect(planRpm('standard', 200)).toBe(750);
    expect(planRpm('pro', 100)).toBe(1000);
    expect(planRpm('pro', 500)).toBe(1500);
  });
});
