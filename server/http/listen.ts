// Binds the router to node:http: loopback unless configured, JSON bodies up to the configured size, CORS only for
// configured origins, and a log line per request with method, path, status and time — never bodies.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { badRequest, outcome, statusOf } from '../../fhir';
import type { HttpSettings } from '../protocol';
import type { HttpRequest, HttpResponse } from './router';

async function readBody(req: IncomingMessage, limit: number): Promise<{ body?: unknown; error?: HttpResponse }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return { error: { status: 413, body: outcome('error', 'too-costly', `the request body is over ${limit} bytes`) } };
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return { body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    const body = badRequest('the request body is not valid JSON');
    return { error: { status: statusOf(body), body } };
  }
}

const KEEP_ALIVE_MS = 65_000;

export function listen(settings: HttpSettings, handle: (req: HttpRequest) => Promise<HttpResponse>, log: (line: string) => void = () => {}): Promise<Server> {
  const server = createServer(async (req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = req.headers.origin;
    const cors = origin && settings.corsOrigins.includes(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
    const { body, error } = await readBody(req, settings.maxBodyBytes);
    const response = error ?? await handle({
      method: req.method ?? 'GET', path: url.pathname, query: url.searchParams,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])), ...(body !== undefined ? { body } : {}),
    });
    res.writeHead(response.status, { 'content-type': 'application/fhir+json; charset=utf-8', ...cors, ...response.headers });
    res.end(JSON.stringify(response.body));
    log(`${req.method} ${url.pathname} ${response.status} ${Date.now() - started} ms`);
  });
  // Longer than clients keep idle connections (undici: the server's hint less 1 s; proxies: 60 s), so the server never
  // closes a kept-alive socket just as a client sends a POST on it — a request the client may not retry.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve(server));
  });
}
