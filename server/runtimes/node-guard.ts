/**
 * What Node leaves to the server that owns its sockets: how long a client may take to send a
 * request, how many connections one address may hold, and how a request the HTTP parser refuses
 * is answered. Every one of these answers is the one error shape, written straight to the socket
 * (there is no request for the app to answer), and closes the connection.
 */
import { type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError } from '../core/errors';
import { addressKey } from '../rate/limits';

export interface GuardOptions {
  /** Open connections one address may hold; undefined when addresses are a proxy's (not counted). */
  connectionsPerAddress: number | undefined;
}

/** Timeouts for createServer: headers within `headersMs`, the whole request within `requestMs`. */
export const timeoutOptions = (headersMs: number, requestMs: number) => ({
  headersTimeout: headersMs,
  requestTimeout: requestMs,
  // Node checks the timeouts at this pace (30 s by default: a 10-second limit would hold for 40).
  connectionsCheckingInterval: Math.min(1_000, headersMs),
  keepAliveTimeout: 5_000,
});

/** An answer in the one error shape written to a socket no request owns, and the socket closed. */
export function answerRaw(socket: Duplex, error: ApiError) {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(error.toJSON());
  const head = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    'X-Content-Type-Options: nosniff',
    ...(error.retryAfter === undefined ? [] : [`Retry-After: ${error.retryAfter}`]),
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

/** What the parser's refusal `code` is to the client. */
function refusalOf(code: string | undefined): ApiError {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return new ApiError('REQUEST_TIMEOUT', 'The request took too long to arrive. Please send it again.');
  if (code === 'HPE_HEADER_OVERFLOW')
    return new ApiError('HEADERS_TOO_LARGE', 'The request headers are too large.');
  return new ApiError('BAD_REQUEST', 'The request could not be read as HTTP.');
}

/** Counts connections per address (refusing past the cap) and answers the parser's refusals. */
export function guardServer(server: Server, options: GuardOptions) {
  const cap = options.connectionsPerAddress;
  const open = new Map<string, number>();
  if (cap !== undefined)
    server.on('connection', (socket) => {
      const key = addressKey(socket.remoteAddress);
      const count = (open.get(key) ?? 0) + 1;
      if (count > cap) {
        answerRaw(
          socket,
          new ApiError('RATE_LIMITED', 'Too many connections from your address. Please try again shortly.', {
            retryAfter: 5,
          }),
        );
        return;
      }
      open.set(key, count);
      socket.once('close', () => {
        const left = (open.get(key) ?? 1) - 1;
        if (left > 0) open.set(key, left);
        else open.delete(key);
      });
    });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A client gone, or one whose answer has begun (the app answered before the body was in):
    // nothing more can be told it.
    const answering = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || answering?.headersSent) {
      socket.destroy();
      return;
    }
    answerRaw(socket, refusalOf(error.code));
  });
}
