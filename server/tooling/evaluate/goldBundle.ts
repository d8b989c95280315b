// The FHIR gold dataset format: one Bundle holding encounters, their notes (DocumentReferences) and the coder's final
// codes as resources of the encounter — Conditions with verificationStatus "confirmed" coded in ICD-10-CM, and
// Procedures coded in ICD-10-PCS. Those gold resources are taken out before each encounter is assembled, so the
// engine never sees the answers; the rest of the Bundle is read exactly as `chartcoder code <bundle>` reads it.
import type { Condition, Procedure, Resource } from '@medplum/fhirtypes';
import { CodeSystem } from '../../../fhir';
import { encounterOfResources, readBundleResources } from '../../app/readEncounter';
import { ChartcoderError } from '../../engine/errors';
import type { EncounterView } from '../../../fhir';

export interface GoldEncounter {
  readonly id: string;
  readonly view: EncounterView;
  /** Gold ICD-10-CM codes as written, upper case. */
  readonly diagnoses: ReadonlySet<string>;
  readonly procedures: ReadonlySet<string>;
}

const codesIn = (resource: Condition | Procedure, system: string) =>
  (resource.code?.coding ?? []).filter((c) => c.system === system && c.code).map((c) => c.code!.trim().toUpperCase());

const isConfirmed = (c: Condition) => c.verificationStatus?.coding?.some((v) => v.code === 'confirmed') ?? false;
const encounterOf = (r: Condition | Procedure) => r.encounter?.reference?.replace(/^Encounter\//, '');

function isGold(r: Resource): r is Condition | Procedure {
  if (r.resourceType === 'Condition') return isConfirmed(r) && codesIn(r, CodeSystem.icd10cm).length > 0;
  if (r.resourceType === 'Procedure') return r.status === 'completed' && codesIn(r, CodeSystem.icd10pcs).length > 0;
  return false;
}

export function readGoldBundle(path: string): GoldEncounter[] {
  const resources = readBundleResources(path);
  const gold = resources.filter(isGold);
  const rest = resources.filter((r) => !isGold(r));
  const encounters = resources.filter((r) => r.resourceType === 'Encounter' && r.id).map((r) => r.id!);
  if (!encounters.length) throw new ChartcoderError('bad-input', `${path}: the Bundle has no Encounter with an id`);
  return encounters.map((id) => {
    const mine = gold.filter((r) => encounterOf(r) === id);
    return {
      id,
      view: encounterOfResources(rest, id, path),
      diagnoses: new Set(mine.flatMap((r) => (r.resourceType === 'Condition' ? codesIn(r, CodeSystem.icd10cm) : []))),
      procedures: new Set(mine.flatMap((r) => (r.resourceType === 'Procedure' ? codesIn(r, CodeSystem.icd10pcs) : []))),
    };
  });
}
