// Binds the router to node:http: loopback unless configured, JSON bodies up to the configured size read only once the
// router has authenticated the caller, CORS only for configured origins, and a log line per request with method,
// path, status and time — never bodies. No request can take the process down: a malformed request line, a body cut
// off by the client, a socket error or a handler bug is answered (400, 408, 413, 500) or the socket dropped.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { badRequest, outcome } from '../../fhir';
import type { HttpSettings } from '../protocol';
import { BodyError, type HttpRequest, type HttpResponse } from './router';

const KEEP_ALIVE_MS = 65_000;

/** The body, read at most once, refused past `max` bytes or the route's own `limit` if lower (by Content-Length
 * before a byte is read). */
function bodyReader(req: IncomingMessage, max: number): (routeLimit?: number) => Promise<unknown> {
  let read: Promise<unknown> | undefined;
  return (routeLimit) =>
    (read ??= new Promise<unknown>((resolve, reject) => {
      const limit = Math.min(max, routeLimit ?? max);
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit) {
        reject(new BodyError(413, `the request body is over ${limit} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const fail = (error: BodyError) => {
        req.removeAllListeners('data');
        req.pause();
        reject(error);
      };
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) fail(new BodyError(413, `the request body is over ${limit} bytes`));
        else chunks.push(chunk);
      });
      req.on('error', () => fail(new BodyError(400, 'the request body was cut off')));
      req.on('aborted', () => fail(new BodyError(400, 'the request body was cut off')));
      req.on('end', () => {
        if (size === 0) {
          resolve(undefined);
          return;
        }
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          reject(new BodyError(400, 'the request body is not valid JSON'));
        }
      });
    }));
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

function send(res: ServerResponse, response: HttpResponse, extra: Record<string, string>, close: boolean): void {
  if (res.destroyed || res.headersSent) return;
  // Answers carry PHI (codes, evidence, audit): no cache may keep them.
  res.writeHead(response.status, {
    'content-type': FHIR_JSON,
    'cache-control': 'no-store',
    ...extra,
    ...response.headers,
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(JSON.stringify(response.body));
}

/** A request the parser could not read (bad request line, bad header, HTTP/0.9): 400 and close, or drop the socket. */
function answerUnparsable(socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(badRequest('the request could not be parsed as HTTP/1.1'));
  socket.end(`HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-type: ${FHIR_JSON}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

export function listen(settings: HttpSettings, handle: (req: HttpRequest) => Promise<HttpResponse>, log: (line: string) => void = () => {}): Promise<Server> {
  const server = createServer(async (req, res) => {
    const started = Date.now();
    res.on('error', () => res.destroy());
    let response: HttpResponse;
    let path = '?';
    const origin = req.headers.origin;
    const cors: Record<string, string> = origin && settings.corsOrigins.includes(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
    try {
      if (req.httpVersionMajor !== 1) throw new BodyError(505, 'only HTTP/1.x is served');
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        throw new BodyError(400, 'the request target is not a valid URL');
      }
      if (!(req.url ?? '').startsWith('/')) throw new BodyError(400, 'the request target must be a path');
      path = url.pathname;
      response = await handle({
        method: req.method ?? 'GET',
        path,
        query: url.searchParams,
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])),
        readBody: bodyReader(req, settings.maxBodyBytes),
        ...(req.socket.remoteAddress ? { remote: req.socket.remoteAddress } : {}),
      });
    } catch (err) {
      response = err instanceof BodyError ? err.response() : { status: 500, body: outcome('error', 'exception', 'internal error') };
    }
    // A body left unread (refused before reading, or cut short) would be parsed as the next request: close instead.
    const close = !req.complete;
    send(res, response, cors, close);
    if (close) res.once('finish', () => req.socket.destroySoon());
    log(`${req.method} ${path} ${response.status} ${Date.now() - started} ms`);
  });
  server.on('connection', (socket: Socket) => socket.on('error', () => socket.destroy()));
  server.on('clientError', (_err, socket: Socket) => answerUnparsable(socket));
  // Longer than clients keep idle connections (undici: the server's hint less 1 s; proxies: 60 s), so the server never
  // closes a kept-alive socket just as a client sends a POST on it — a request the client may not retry.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  // A request (headers and body) not fully arrived by then gets 408 from node:http, and a close; node wants it no
  // shorter than the headers' timeout.
  server.requestTimeout = server.headersTimeout + 1_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve(server));
  });
}
