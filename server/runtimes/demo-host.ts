/**
 * Where the demo may listen. The demo is a stand-in for Deskie that anyone who reaches it can use:
 * a simulator with a published key, an agent console without a login, the files visitors sent. On
 * this machine that is the point; on an address others reach it is an open help desk. So a demo
 * bound beyond loopback is refused unless the operator says, by DESKIE_FORM_DEMO_PUBLIC, that
 * they mean it.
 */
import { BlockList, isIP } from 'node:net';
import type { Env } from '../config/env';
import { ConfigError } from '../config/schema';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Whether `host` reaches this machine only: 127.0.0.0/8, ::1 (IPv4-mapped too) or `localhost`. */
export function isLoopback(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const family = isIP(host);
  return family !== 0 && loopback.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * For the demo: true when it is allowed to listen beyond this machine (the caller warns), false on
 * loopback; throws ConfigError, saying what to do, when HOST is not loopback and nothing allows it.
 */
export function demoIsPublic(env: Env): boolean {
  if (isLoopback(env.HOST)) return false;
  if (env.DESKIE_FORM_DEMO_PUBLIC) return true;
  throw new ConfigError([
    `HOST: the demo (no Deskie account configured) serves its simulator, agent console and ` +
      `visitors' files to anyone who reaches it, so it listens on this machine only, and ` +
      `${env.HOST} is not a loopback address. Set DESKIE_URL, DESKIE_STAFF_EMAIL and DESKIE_API_KEY ` +
      `to use your Deskie account, or HOST=127.0.0.1, or DESKIE_FORM_DEMO_PUBLIC=1 to show the ` +
      `demo to everyone who can reach ${env.HOST}.`,
  ]);
}
