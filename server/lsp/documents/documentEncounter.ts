// One open document as the encounter it shows: what is coded, what decisions are recorded against, and where each
// piece of evidence and each written code sits in the document's own text.
import type { EncounterView } from '../../../fhir';

export interface OffsetRange {
  readonly start: number;
  readonly end: number;
}

/** Where evidence shows in a document: exactly, or only as the note it came from (base64 attachment data). */
export interface EvidenceLocation extends OffsetRange {
  readonly exact: boolean;
}

/** A code already written in the document (a Coding in FHIR JSON). */
export interface WrittenCode {
  readonly system: string;
  readonly code: string;
  readonly range: OffsetRange;
  /** The resource it belongs to ("Condition/c1"). */
  readonly resource: string;
}

export interface DocumentEncounter {
  /** What decisions are recorded against: the document URI, or the FHIR encounter reference. */
  readonly subject: string;
  /** Absent when the document cannot be coded; `problem` says why. */
  readonly view?: EncounterView;
  readonly problem?: { readonly message: string; readonly range: OffsetRange };
  readonly codes: readonly WrittenCode[];
  /** The Encounters of a Bundle that holds several, each to be coded on its own. */
  readonly encounters?: readonly { readonly id: string; readonly range: OffsetRange }[];
  evidenceLocation(evidence: { readonly sourceId: string; readonly start: number; readonly end: number }): EvidenceLocation | undefined;
}

export const uncodable = (subject: string, message: string, range: OffsetRange = { start: 0, end: 0 }): DocumentEncounter => ({
  subject,
  problem: { message, range },
  codes: [],
  evidenceLocation: () => undefined,
});
