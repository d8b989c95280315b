// Where the editor's encounter documents come from: the configured FHIR server, or a Bundle file; and the list the
// "Open encounter from FHIR server…" command picks from.
import type { Encounter, HumanName, Patient } from '@medplum/fhirtypes';
import { createFhirClient } from '../adapters/fhir/client';
import { searchEncounters } from '../adapters/fhir/searchEncounters';
import { ChartcoderError } from '../engine/errors';
import type { EncounterLoader } from './ports';
import { encounterUri, type ChartcoderSettings, type EncounterSummary } from '../protocol';
import { readEncounter } from './readEncounter';

function configuredFhir(settings: ChartcoderSettings): string {
  if (!settings.fhir.baseUrl)
    throw new ChartcoderError('bad-input', 'no FHIR server is configured: set chartcoder.fhir.baseUrl (Chartcoder: Configure services)');
  return settings.fhir.baseUrl;
}

export function encounterLoader(settings: () => ChartcoderSettings): EncounterLoader {
  return async (target) => {
    if (target.bundle) return { view: await readEncounter(settings(), { kind: 'bundle', path: target.bundle, id: target.id }), source: target.bundle };
    const baseUrl = configuredFhir(settings());
    return { view: await readEncounter(settings(), { kind: 'fhir', baseUrl, id: target.id }), source: baseUrl };
  };
}

const nameOf = (p: Patient | undefined): string | undefined => {
  const n: HumanName | undefined = p?.name?.find((x) => x.use === 'official') ?? p?.name?.[0];
  return n ? (n.text ?? [...(n.given ?? []), n.family].filter(Boolean).join(' ')) || undefined : undefined;
};

const summaryOf = (encounter: Encounter & { readonly id: string }, patient: Patient | undefined): EncounterSummary => ({
  id: encounter.id,
  uri: encounterUri({ id: encounter.id }),
  label: [
    nameOf(patient) ?? encounter.subject?.reference ?? 'unknown patient',
    encounter.class?.display ?? encounter.class?.code,
    encounter.period?.start?.slice(0, 10),
  ]
    .filter(Boolean)
    .join(' · '),
  detail: [`Encounter/${encounter.id}`, encounter.status, encounter.type?.[0]?.text ?? encounter.type?.[0]?.coding?.[0]?.display].filter(Boolean).join(' · '),
});

export function encounterFinder(settings: () => ChartcoderSettings): (text?: string) => Promise<EncounterSummary[]> {
  return async (text) => {
    const client = await createFhirClient(settings().fhir, configuredFhir(settings()));
    return (await searchEncounters(client, text, 30)).map((f) => summaryOf(f.encounter, f.patient));
  };
}
