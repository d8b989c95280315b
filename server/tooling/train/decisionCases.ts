// Coders' decisions as labelled encounters for training: each subject's final ICD-10-CM codes (accepted, or the
// coder's replacement) are its gold, and its encounter is read again from where the editor or the API read it — a
// note or FHIR JSON file, an encounter of a Bundle file, or the FHIR server. Rejections add no gold. A subject that
// cannot be read again (the file is gone, the server does not know it) is skipped and said, never guessed.
import { URI } from 'vscode-uri';
import type { EncounterView } from '../../../fhir';
import type { DecisionStore } from '../../app/ports';
import { finalCodes } from '../../engine/suggest/finalCodes';
import type { EncounterInput } from '../../app/readEncounter';
import { describeError } from '../../engine/errors';
import { encounterTargetOf } from '../../protocol';
import type { DatasetCase } from './buildDataset';

const ENCOUNTER_REFERENCE = /^Encounter\/([A-Za-z0-9\-.]{1,64})$/;

/** Where a decision's subject is read from again; undefined for a subject that names no encounter (a CDS card). */
export function subjectInput(subject: string, fhirBaseUrl: string): EncounterInput | undefined {
  const reference = ENCOUNTER_REFERENCE.exec(subject);
  if (reference) return { kind: 'fhir', baseUrl: fhirBaseUrl, id: reference[1]! };
  const target = encounterTargetOf(subject);
  if (target) return target.bundle ? { kind: 'bundle', path: target.bundle, id: target.id } : { kind: 'fhir', baseUrl: fhirBaseUrl, id: target.id };
  if (!subject.startsWith('file:')) return undefined;
  const path = URI.parse(subject).fsPath;
  return /\.json$/i.test(path) ? { kind: 'bundle', path } : { kind: 'note', path };
}

export interface DecisionCases {
  readonly cases: DatasetCase[];
  readonly skipped: readonly { readonly subject: string; readonly reason: string }[];
}

export interface DecisionSources {
  readonly decisions: DecisionStore;
  readonly fhirBaseUrl: string;
  readonly read: (input: EncounterInput) => Promise<EncounterView>;
}

export async function decisionCases(sources: DecisionSources): Promise<DecisionCases> {
  const cases: DatasetCase[] = [];
  const skipped: { subject: string; reason: string }[] = [];
  for (const subject of sources.decisions.subjects()) {
    const diagnoses = new Set(
      finalCodes(sources.decisions.forSubject(subject).values())
        .filter((c) => c.system === 'icd10cm')
        .map((c) => c.code.toUpperCase()),
    );
    if (!diagnoses.size) continue;
    const input = subjectInput(subject, sources.fhirBaseUrl);
    if (!input) {
      skipped.push({ subject, reason: 'names no encounter to read again' });
      continue;
    }
    try {
      cases.push({ id: `decisions:${subject}`, view: await sources.read(input), diagnoses });
    } catch (err) {
      skipped.push({ subject, reason: describeError(err) });
    }
  }
  return { cases, skipped };
}
