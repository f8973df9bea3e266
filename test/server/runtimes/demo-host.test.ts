/** Where the demo may listen: on this machine, or beyond it only when the operator allows it. */
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../server/config/env';
import { ConfigError } from '../../../server/config/schema';
import { demoIsPublic, isLoopback } from '../../../server/runtimes/demo-host';

describe('the demo host', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '::1',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
    'localhost',
    'LOCALHOST',
  ])('%s is this machine only', (host) => {
    expect(isLoopback(host)).toBe(true);
    expect(demoIsPublic(parseEnv({ HOST: host }))).toBe(false);
  });

  it.each([
    '0.0.0.0',
    '::',
    '192.168.1.20',
    '128.0.0.1',
    '::ffff:10.0.0.1',
    'demo.example',
    'localhost.example',
  ])('%s is refused unless DESKIE_FORM_DEMO_PUBLIC allows it', (host) => {
    expect(isLoopback(host)).toBe(false);
    expect(() => demoIsPublic(parseEnv({ HOST: host }))).toThrow(ConfigError);
    expect(demoIsPublic(parseEnv({ HOST: host, DESKIE_FORM_DEMO_PUBLIC: '1' }))).toBe(true);
  });

  it('reads DESKIE_FORM_DEMO_PUBLIC as 1/0 (true/false) and names it when it is neither', () => {
    expect(parseEnv({}).DESKIE_FORM_DEMO_PUBLIC).toBe(false);
    expect(parseEnv({ DESKIE_FORM_DEMO_PUBLIC: 'true' }).DESKIE_FORM_DEMO_PUBLIC).toBe(true);
    expect(() => parseEnv({ DESKIE_FORM_DEMO_PUBLIC: 'maybe' })).toThrow(
      'DESKIE_FORM_DEMO_PUBLIC: must be 1 or 0',
    );
  });
});
