import { describe, expect, it, vi } from 'vitest';
import type { RateGovernor } from '../../../server/deskie/rate';
import { createGovernor, type GovernorEvent } from '../../../server/rate/governor';
import { steppedClock } from '../../helpers/backend';
import { PATIENCE, startSimulator } from '../../helpers/serve';

// A Basic plan with 1 agent (20 RPM) and Deskie's own minute, on a clock only the test moves: the
// simulator counts windows and the governor waits for them on the same clock.
const WINDOW = 60_000;
const clock = steppedClock();
const { sim, url, client } = await startSimulator({ plan: 'basic', agents: 1, windowMs: WINDOW, clock });

const request = (i: number) => ({
  user_email: `visitor${i}@example.com`,
  subject: `Burst request ${i}`,
  content: 'Sent in a burst.',
});

/** `governor`, counting the permits it gave out that are not settled or cancelled yet. */
function counted(governor: RateGovernor) {
  let open = 0;
  const acquired: RateGovernor = {
    acquire: async (cost, options) => {
      const permit = await governor.acquire(cost, options);
      open += 1;
      let done = false;
      const end = () => {
        if (!done) open -= 1;
        done = true;
      };
      return {
        get retryAfterMs() {
          return permit.retryAfterMs;
        },
        settle: (outcome) => {
          end();
          permit.settle(outcome);
        },
        cancel: () => {
          end();
          permit.cancel();
        },
      };
    },
    tryAcquire: (cost) => governor.tryAcquire(cost),
    get budget() {
      return governor.budget;
    },
  };
  return { governor: acquired, open: () => open };
}

describe('a burst of 30 case creations on a 20 RPM plan', () => {
  it('through the client: zero 429s, in the minimal number of windows', async () => {
    sim.state.reset();
    expect(sim.limiter.rpm).toBe(20);
    const events: GovernorEvent[] = [];
    const { governor, open } = counted(
      createGovernor({ rpm: 20, windowMs: WINDOW, clock, onEvent: (e) => events.push(e) }),
    );
    const governed = client({ governor });
    const throttledBefore = sim.stats.throttled;
    const start = clock.now();
    let finished = false;
    const burst = Promise.all(Array.from({ length: 30 }, (_, i) => governed.createCase(request(i)))).finally(
      () => {
        finished = true;
      },
    );
    // Whenever every call that got budget has been answered and the governor waits for the window
    // to move, time jumps to when it wakes up: no real wait, and no machine is too slow for it.
    let jumps = 0;
    for (;;) {
      await vi.waitFor(() => {
        if (!finished && !(open() === 0 && clock.sleeping === 1)) throw new Error('calls still running');
      }, PATIENCE);
      if (finished) break;
      clock.set(clock.nextWake ?? clock.now());
      jumps += 1;
    }
    const cases = await burst;

    expect(new Set(cases.map((c) => c.case_number)).size).toBe(30);
    expect(sim.state.cases).toHaveLength(30);
    expect(sim.stats.throttled - throttledBefore).toBe(0);
    expect(events.filter((e) => e.type === 'throttled')).toEqual([]);
    // Ideal: 60 calls at 20 per window = 3 windows, 10 cases in each; the last starts after 2.
    const ideal = Math.ceil((30 * 2) / 20);
    const perWindow = new Map<number, number>();
    for (const k of sim.state.cases) {
      const window = Math.floor(k.created_at / WINDOW);
      perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
    }
    expect([...perWindow.values()]).toEqual([10, 10, 10]);
    expect(jumps).toBe(ideal - 1);
    expect(clock.now() - start).toBe((ideal - 1) * WINDOW);
  });

  it('sent raw, without the governor: Deskie answers 429 with retry_after', async () => {
    // At the start of a fresh window, which lasts the whole test: the previous test's calls do not
    // count, and no refreshed budget can let part of the burst through.
    clock.set((Math.floor(clock.now() / WINDOW) + 1) * WINDOW);
    sim.state.reset();
    const throttledBefore = sim.stats.throttled;
    const auth = `Basic ${btoa('demo@example.com:demo-key')}`;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fetch(`${url}/api/cases.json`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body: JSON.stringify({ case: request(i) }),
        }),
      ),
    );
    const throttled = answers.filter((a) => a.status === 429);
    // 60 calls against 20 a window: 10 cases are filed, 20 requests refused.
    expect(answers.filter((a) => a.status === 201)).toHaveLength(10);
    expect(throttled).toHaveLength(20);
    expect(sim.state.cases).toHaveLength(10);
    expect(sim.stats.throttled - throttledBefore).toBe(20);
    for (const answer of throttled) {
      // The whole minute is left: Deskie says so in seconds.
      expect(answer.headers.get('retry_after')).toBe('60');
      expect(answer.headers.get('rate_limit_per_minute')).toBe('20');
      expect(answer.headers.get('api_calls_left')).toBe('0');
      expect(await answer.json()).toEqual({ error: 'rate_limit_exceeded' });
    }
  });
});
