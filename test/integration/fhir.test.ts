import assert from 'node:assert/strict';
import type { Bundle, DocumentReference, Encounter } from '@medplum/fhirtypes';
import { createFhirClient, readCapabilityStatement } from '../../server/adapters/fhir/client';
import { fhirBaseUrl } from '../../server/app/health';
import { localSettings } from '../helpers/settings';

describe('FHIR test server (real server, fhir-kit-client)', () => {
  const settings = localSettings();
  const client = () => createFhirClient(settings.fhir, fhirBaseUrl(settings));

  it('publishes a CapabilityStatement naming its software', async () => {
    const cs = await readCapabilityStatement(await client());
    assert.equal(cs.fhirVersion, '4.0.1');
    assert.match(cs.software?.name ?? '', /Medplum FHIR Router/);
  });

  it('finds the seeded synthetic and Synthea encounters by search', async () => {
    const c = await client();
    const mine = (await c.search({ resourceType: 'Encounter', searchParams: { subject: 'Patient/synthetic-patient-a' } })) as unknown as Bundle<Encounter>;
    assert.deepEqual(mine.entry?.map((e) => e.resource?.id).sort(), [
      'synthetic-enc-chf',
      'synthetic-enc-dm-ckd',
      'synthetic-enc-fracture',
      'synthetic-enc-paged',
    ]);
    const all = (await c.search({ resourceType: 'Encounter', searchParams: { _count: '1' } })) as unknown as Bundle<Encounter>;
    assert.ok((all.total ?? 0) > 1200, `total ${all.total}`);
  });

  it('pages through search results with Bundle.link next', async () => {
    const c = await client();
    let page = (await c.search({ resourceType: 'DocumentReference', searchParams: { encounter: 'Encounter/synthetic-enc-paged', _count: '5' } })) as unknown as
      | Bundle<DocumentReference>
      | undefined;
    const ids: string[] = [];
    let pages = 0;
    while (page) {
      pages += 1;
      ids.push(...(page.entry ?? []).map((e) => e.resource?.id ?? ''));
      page = (await c.nextPage({ bundle: page as never })) as unknown as Bundle<DocumentReference> | undefined;
    }
    assert.equal(pages, 3);
    assert.equal(new Set(ids).size, 12);
  });
});
