// @vitest-environment happy-dom
/** A send while the network is down waits for it to come back, then goes out once — one case. */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { cleanup, fireEvent, screen } from '@testing-library/preact';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { mountApp } from '../helpers/app';
import { demoBackend } from '../helpers/widget';

const backend = await demoBackend();
const target = new URL(backend.url);

/** A TCP relay in front of the backend whose line can be cut and restored (the visitor's network). */
async function relay() {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => s.destroy());
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server?.address() as { port: number } | null)?.port ?? 0;
        resolve();
      });
    });
  await open();
  return {
    url: () => `http://127.0.0.1:${port}`,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server?.close(() => resolve());
      }),
    restore: open,
  };
}

const line = await relay();
afterAll(() => line.cut());

describe('widget offline', () => {
  it('keeps the request while offline, says so, and sends it once the network is back', async () => {
    await backend.resetCases();
    mountApp(line.url(), {
      prefill: {
        email: 'ann@example.com',
        subject: 'Sent from a train',
        cf_9: '3',
        message: 'Tunnel ahead.',
      },
    });
    const send = await screen.findByRole('button', { name: 'Send' });
    await line.cut();
    const online = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    fireEvent.click(send);
    expect((await screen.findByRole('alert')).textContent).toBe(
      'You are offline. Your request will be sent when you are back online.',
    );
    expect(await backend.cases()).toHaveLength(0);
    await line.restore();
    online.mockRestore();
    window.dispatchEvent(new Event('online'));
    expect(await screen.findByRole('heading', { name: 'Thank you — we received your request' })).toBeTruthy();
    const cases = await backend.cases();
    expect(cases).toHaveLength(1);
    expect(cases[0]?.subject).toBe('Sent from a train');
    cleanup();
  });
});
