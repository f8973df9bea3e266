/** `npm run simulator`: the Deskie simulator on its own, configured by env vars (docs/simulator.md). */
import { serve } from '@hono/node-server';
import * as z from 'zod';
import { createSimulator } from './app';

const env = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(4010),
    HOST: z.string().default('127.0.0.1'),
    DESKIE_SIM_EMAIL: z.email().default('demo@example.com'),
    DESKIE_SIM_KEY: z.string().min(1).default('demo-key'),
    DESKIE_SIM_PLAN: z.enum(['basic', 'standard', 'pro']).default('basic'),
    DESKIE_SIM_AGENTS: z.coerce.number().int().min(1).default(10),
    DESKIE_SIM_RPM: z.coerce.number().int().min(1).optional(),
    DESKIE_SIM_WINDOW_MS: z.coerce.number().int().min(10).default(60_000),
  })
  .safeParse(process.env);

if (!env.success) {
  for (const issue of env.error.issues)
    console.error(`[simulator] ${issue.path.join('.')}: ${issue.message}`);
  process.exit(1);
}
const {
  PORT,
  HOST,
  DESKIE_SIM_EMAIL,
  DESKIE_SIM_KEY,
  DESKIE_SIM_PLAN,
  DESKIE_SIM_AGENTS,
  DESKIE_SIM_RPM,
  DESKIE_SIM_WINDOW_MS,
} = env.data;
const sim = createSimulator({
  staffEmail: DESKIE_SIM_EMAIL,
  apiKey: DESKIE_SIM_KEY,
  plan: DESKIE_SIM_PLAN,
  agents: DESKIE_SIM_AGENTS,
  rpm: DESKIE_SIM_RPM,
  windowMs: DESKIE_SIM_WINDOW_MS,
});
const server = serve({ fetch: sim.app.fetch, port: PORT, hostname: HOST }, (info) => {
  console.log(
    `Deskie simulator on http://${HOST}:${info.port}/api/ (${DESKIE_SIM_PLAN}, ${sim.limiter.rpm} RPM)`,
  );
  console.log(`  Basic auth: ${DESKIE_SIM_EMAIL} / <DESKIE_SIM_KEY>`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => server.close(() => process.exit(0)));
