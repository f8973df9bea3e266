/**
 * Whose address a request is counted against: behind trusted proxies, the one the nearest proxy
 * recorded (what the client wrote itself is never taken), and for IPv6 its /64.
 */
import { describe, expect, it } from 'vitest';
import { addressKey } from '../../../server/rate/limits';
import { startBackend, validValues } from '../../helpers/backend';

describe('address keys', () => {
  it('keeps IPv4 as it is and limits IPv6 by its /64', () => {
    expect(addressKey('203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('2001:db8:abcd:12:1::5')).toBe('2001:db8:abcd:12::/64');
    expect(addressKey('2001:DB8:abcd:0012:ffff:1:2:3')).toBe('2001:db8:abcd:12::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('[2001:db8::1]')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(addressKey(undefined)).toBe('unknown');
  });
});

describe('per-address limits behind proxies', () => {
  const limited = (trustProxy: boolean | number) =>
    startBackend({ config: { trustProxy, limits: { submissions: { limit: 2, windowSeconds: 60 } } } });
  const from = (t: Awaited<ReturnType<typeof limited>>, forwarded: string) =>
    t.submit(validValues(), { headers: { 'x-forwarded-for': forwarded, 'x-test-ip': '10.0.0.1' } });

  it('takes the address the proxy appended, not one the client wrote first', async () => {
    const t = await limited(true);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await from(t, `192.0.2.${i}, 198.51.100.10`)).status);
    expect(statuses).toEqual([201, 201, 429]);
  });

  it('reads as many proxies from the right as stand in front', async () => {
    const t = await limited(2);
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await from(t, `192.0.2.${i}, 198.51.100.20, 10.1.1.${i}`)).status);
    expect(statuses).toEqual([201, 201, 429]);
  });

  it('counts every address of one IPv6 /64 as one', async () => {
    const t = await limited(true);
    const statuses = [];
    for (let i = 1; i <= 3; i++) statuses.push((await from(t, `2001:db8:1:2::${i}`)).status);
    expect(statuses).toEqual([201, 201, 429]);
  });

  it('ignores the header when no proxy is trusted', async () => {
    const t = await limited(false);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await from(t, `192.0.2.${i}`)).status);
    // All from the socket's address, 10.0.0.1: the header changed nothing.
    expect(statuses).toEqual([201, 201, 429]);
  });
});
