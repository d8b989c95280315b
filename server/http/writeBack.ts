// POST /fhir/Encounter/{id}/$write-back (off unless http.writeBack): the final code set — suggestions accepted, or
// replaced by the coder's code — written to the EHR's FHIR server as confirmed encounter-diagnosis Conditions, in one
// transaction. Returns the server's transaction response.
import type { Bundle } from '@medplum/fhirtypes';
import type { EncounterView } from '../../fhir';
import { ChartcoderError } from '../engine/errors';
import { CodeSystem } from '../../fhir/codeSystems';
import type { CodeEntry } from '../app/ports';
import type { FinalCode } from '../engine/suggest/finalCodes';
import { encounterDiagnosis } from './suggestionResources';

/** `known`: the ICD-10-CM codes of `codes` as the fiscal year's code set has them (`fy`). */
export function writeBackTransaction(codes: readonly FinalCode[], view: EncounterView, known: ReadonlyMap<string, CodeEntry>, fy: number): Bundle {
  if (!view.patient) throw new ChartcoderError('bad-input', `${view.encounter.reference} has no patient to write diagnoses for`);
  const entries = codes
    .filter((c) => c.system === 'icd10cm')
    .map((c) => {
      const entry = known.get(c.code);
      if (!entry) throw new ChartcoderError('bad-input', `${c.code} is not a FY${fy} code`);
      return {
        resource: encounterDiagnosis({ system: CodeSystem.icd10cm, code: c.code, display: entry.title }, view, 'confirmed'),
        request: { method: 'POST' as const, url: 'Condition' },
      };
    });
  if (!entries.length) throw new ChartcoderError('bad-input', `no accepted diagnosis codes for ${view.encounter.reference}`);
  return { resourceType: 'Bundle', type: 'transaction', entry: entries };
}
