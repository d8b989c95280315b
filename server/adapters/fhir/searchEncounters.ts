// Encounters to pick from on the FHIR server: the most recent ones, or those of patients whose name matches, or one
// by id; each with its patient's name when the server includes it (_include=Encounter:subject).
import type { Client } from 'fhir-kit-client';
import type { Bundle, Encounter, Patient } from '@medplum/fhirtypes';
import { bundleResources } from '../../../fhir';
import { ChartcoderError } from '../../engine/errors';

export interface FoundEncounter {
  readonly encounter: Encounter & { readonly id: string };
  readonly patient?: Patient;
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

async function searchBundle(client: Client, resourceType: string, searchParams: Record<string, string>): Promise<Bundle> {
  try {
    return (await client.search({ resourceType, searchParams })) as unknown as Bundle;
  } catch (err) {
    throw new ChartcoderError('service-unavailable', `${resourceType} search on the FHIR server failed: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}

function withPatients(bundles: readonly Bundle[], known: readonly Patient[] = []): FoundEncounter[] {
  const all = bundles.flatMap(bundleResources);
  const patients = new Map([...known, ...all.filter((r): r is Patient => r.resourceType === 'Patient')].map((p) => [`Patient/${p.id}`, p]));
  const seen = new Set<string>();
  const encounters = all.filter((r): r is Encounter & { id: string } => r.resourceType === 'Encounter' && !!r.id && !seen.has(r.id) && !!seen.add(r.id));
  return encounters.map((encounter) => {
    const patient = patients.get(encounter.subject?.reference?.replace(/^.*?(Patient\/[^/]+)$/, '$1') ?? '');
    return { encounter, ...(patient ? { patient } : {}) };
  });
}

export async function searchEncounters(client: Client, text: string | undefined, count: number): Promise<FoundEncounter[]> {
  const common = { _count: String(count), _sort: '-date', _include: 'Encounter:subject' };
  const query = text?.trim();
  if (!query) return withPatients([await searchBundle(client, 'Encounter', common)]);
  const byId = ID.test(query) ? [await searchBundle(client, 'Encounter', { ...common, _id: query })] : [];
  const patients = bundleResources(await searchBundle(client, 'Patient', { name: query, _count: '5' })).filter(
    (r): r is Patient => r.resourceType === 'Patient',
  );
  const byPatient = await Promise.all(patients.map((p) => searchBundle(client, 'Encounter', { ...common, subject: `Patient/${p.id}` })));
  return withPatients([...byId, ...byPatient], patients);
}
