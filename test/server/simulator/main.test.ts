import { describe, expect, it } from 'vitest';
import { startEntry } from '../../helpers/process';

describe('npm run simulator', () => {
  it('serves the documented API on 127.0.0.1 with its own credentials and plan', async () => {
    const sim = startEntry('server/simulator/main.ts', {
      PORT: '0',
      DESKIE_SIM_EMAIL: 'agent@example.org',
      DESKIE_SIM_KEY: 'sim-secret',
      DESKIE_SIM_PLAN: 'standard',
      DESKIE_SIM_AGENTS: '100',
    });
    const [, base] = await sim.waitFor(/(http:\/\/127\.0\.0\.1:\d+)\/api\//);
    expect(sim.output()).not.toContain('sim-secret');
    const ok = await fetch(`${base}/api/cases.json`, {
      headers: { authorization: `Basic ${btoa('agent@example.org:sim-secret')}` },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ total_count: 0 });
    expect(ok.headers.get('rate_limit_per_minute')).toBe('500');
    expect(ok.headers.get('api_calls_left')).toBe('499');
    const wrongKey = await fetch(`${base}/api/cases.json`, {
      headers: { authorization: `Basic ${btoa('agent@example.org:demo-key')}` },
    });
    expect(wrongKey.status).toBe(401);
    expect(await wrongKey.json()).toEqual({ error: 'wrong_api_key' });
    const wrongEmail = await fetch(`${base}/api/cases.json`, {
      headers: { authorization: `Basic ${btoa('demo@example.com:sim-secret')}` },
    });
    expect(wrongEmail.status).toBe(403);
  });

  it('refuses a bad setting, naming the variable', async () => {
    const sim = startEntry('server/simulator/main.ts', { PORT: '0', DESKIE_SIM_PLAN: 'gold' });
    expect(await sim.exited).toBe(1);
    expect(sim.output()).toMatch(/DESKIE_SIM_PLAN/);
  });
});
