import { type HttpBindings, type ServerType, serve } from '@hono/node-server';
import { afterAll } from 'vitest';
import { createDeskieClient, type DeskieClientOptions } from '../../server/deskie/client';
import { createGovernor } from '../../server/rate/governor';
import { createSimulator, type SimulatorOptions } from '../../server/simulator/app';

export interface Served {
  url: string;
  close(): Promise<void>;
}

/**
 * How long a test waits (vi.waitFor) for what a server, a process or a drainer will do: as long as a
 * busy machine needs. The condition decides; this only bounds a test that would otherwise hang.
 */
export const PATIENCE = { timeout: 20_000, interval: 20 };

const open = new Set<Served>();
// Each test file gets its own copy of this module: whatever it served stops after the file.
afterAll(() => Promise.all([...open].map((s) => s.close())));

/** Serves a fetch handler on 127.0.0.1 at a free port; it stops after the test file. */
export function listen(
  fetch: (request: Request, env: HttpBindings) => Response | Promise<Response>,
): Promise<Served> {
  return new Promise((resolve) => {
    const server: ServerType = serve({ fetch: fetch as never, port: 0, hostname: '127.0.0.1' }, (info) => {
      const served: Served = {
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            if (!open.delete(served)) return done();
            if ('closeAllConnections' in server) server.closeAllConnections();
            server.close(() => done());
          }),
      };
      open.add(served);
      resolve(served);
    });
  });
}

/** Starts a simulator over real HTTP for the current test file; it stops after the file. */
export async function startSimulator(options: SimulatorOptions = {}) {
  const sim = createSimulator(options);
  const served = await listen(sim.app.fetch);
  /** A client for this simulator whose governor knows the simulator's plan and window. */
  const client = (overrides: Partial<DeskieClientOptions> = {}) =>
    createDeskieClient({
      baseUrl: served.url,
      staffEmail: options.staffEmail ?? 'demo@example.com',
      apiKey: options.apiKey ?? 'demo-key',
      governor: createGovernor({ rpm: sim.limiter.rpm, windowMs: options.windowMs }),
      backoffMs: 20,
      ...overrides,
    });
  const auth = `Basic ${btoa(`${options.staffEmail ?? 'demo@example.com'}:${options.apiKey ?? 'demo-key'}`)}`;
  /** A raw authenticated request to the simulator, bypassing the client. */
  const raw = (path: string, init: RequestInit = {}) =>
    fetch(`${served.url}${path}`, { ...init, headers: { authorization: auth, ...(init.headers ?? {}) } });
  return { sim, url: served.url, client, raw };
}
