import { describe, expect, it } from 'vitest';
import { createGovernor, type GovernorEvent } from '../../../server/rate/governor';
import { startSimulator } from '../../helpers/serve';

// A Basic plan with 1 agent (20 RPM) whose minute is compressed to 400 ms.
const WINDOW = 400;
const { sim, url, client } = await startSimulator({ plan: 'basic', agents: 1, windowMs: WINDOW });

const request = (i: number) => ({
  user_email: `visitor${i}@example.com`,
  subject: `Burst request ${i}`,
  content: 'Sent in a burst.',
});

describe('a burst of 30 case creations on a 20 RPM plan', () => {
  it('through the client: zero 429s, within one window of the ideal', async () => {
    sim.state.reset();
    expect(sim.limiter.rpm).toBe(20);
    const events: GovernorEvent[] = [];
    const governed = client({
      governor: createGovernor({ rpm: 20, windowMs: WINDOW, onEvent: (e) => events.push(e) }),
    });
    const throttledBefore = sim.stats.throttled;
    const start = Date.now();
    const cases = await Promise.all(Array.from({ length: 30 }, (_, i) => governed.createCase(request(i))));
    const elapsed = Date.now() - start;

    expect(new Set(cases.map((c) => c.case_number)).size).toBe(30);
    expect(sim.state.cases).toHaveLength(30);
    expect(sim.stats.throttled - throttledBefore).toBe(0);
    expect(events.filter((e) => e.type === 'throttled')).toEqual([]);
    // Ideal: 60 calls at 20 per window = 3 windows; the last batch starts after 2.
    const ideal = Math.ceil((30 * 2) / 20);
    expect(elapsed).toBeGreaterThanOrEqual((ideal - 1) * WINDOW);
    expect(elapsed).toBeLessThan((ideal + 1) * WINDOW);
  });

  it('sent raw, without the governor: Deskie answers 429 with retry_after', async () => {
    // Start at the beginning of a fresh window, so the previous test's calls do not count.
    await new Promise((r) => setTimeout(r, WINDOW - (Date.now() % WINDOW) + 5));
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
    // 60 calls against 20 a window: even a burst split over two windows has 10 refused.
    expect(throttled.length).toBeGreaterThanOrEqual(10);
    for (const answer of throttled) {
      expect(Number(answer.headers.get('retry_after'))).toBeGreaterThanOrEqual(1);
      expect(answer.headers.get('rate_limit_per_minute')).toBe('20');
      expect(answer.headers.get('api_calls_left')).toBe('0');
      expect(await answer.json()).toEqual({ error: 'rate_limit_exceeded' });
    }
  });
});
