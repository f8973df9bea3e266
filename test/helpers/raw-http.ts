/**
 * HTTP spoken by hand over a socket, for what fetch cannot send: a request cut short, headers no
 * parser takes, a connection held open without a request.
 */
import { connect, type Socket } from 'node:net';

/** A connection to 127.0.0.1:`port`, open once this resolves. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sends until it closes the connection, as a Response. */
export function answerOn(socket: Socket): Promise<Response> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', reject);
    socket.once('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const status = Number(statusLine.split(' ')[1]);
      if (!status) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      const headers = new Headers(
        lines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve(new Response(rest.join('\r\n\r\n'), { status, headers }));
    });
  });
}

/** Sends `text` on a new connection and resolves with the server's answer once it closes. */
export async function exchange(port: number, text: string): Promise<Response> {
  const socket = await openSocket(port);
  const answer = answerOn(socket);
  socket.write(text);
  return answer;
}
