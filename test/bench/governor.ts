/** A 30-write burst through the governed client against a simulated 20 RPM plan, over HTTP. */
import { serve } from '@hono/node-server';
import { createDeskieClient } from '../../server/deskie/client';
import { createGovernor } from '../../server/rate/governor';
import { createSimulator } from '../../server/simulator/app';

const WINDOW_MS = 1_000; // one Deskie minute, compressed
const WRITES = 30;
const RPM = 20;

export async function benchGovernor(): Promise<Record<string, number>> {
  const sim = createSimulator({ plan: 'basic', agents: 1, windowMs: WINDOW_MS });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const client = createDeskieClient({
    baseUrl: `http://127.0.0.1:${port}`,
    staffEmail: 'demo@example.com',
    apiKey: 'demo-key',
    governor: createGovernor({ rpm: RPM, windowMs: WINDOW_MS }),
  });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: WRITES }, (_, i) =>
      client.createCase({ user_email: `b${i}@example.com`, subject: `Burst ${i}`, content: 'bench' }),
    ),
  );
  const makespan = performance.now() - start;
  server.close();
  const ideal = Math.ceil((2 * WRITES) / RPM);
  return {
    'governor.burst_windows_ratio': Math.ceil(makespan / WINDOW_MS) / ideal,
    'governor.burst_makespan_windows': Number((makespan / WINDOW_MS).toFixed(3)),
    'governor.http_429': sim.stats.throttled,
  };
}
