// What Chartcoder knows about one encounter, assembled from FHIR resources: the shape every later step reads.
export type EncounterSetting = 'inpatient' | 'outpatient' | 'emergency' | 'observation' | 'other';

export interface SourceNote {
  /** Stable id: the resource reference and the attachment index, e.g. "DocumentReference/n1#0". */
  readonly id: string;
  readonly reference: string;
  readonly attachmentIndex: number;
  readonly contentType: string;
  readonly title?: string;
  readonly date?: string;
  /** The exact decoded text (HTML stays HTML; the text pipeline maps it). */
  readonly text: string;
}

/** An existing coding on a Condition or Procedure: a hint for the coder, never an answer. */
export interface CodingHint {
  readonly reference: string;
  readonly system?: string;
  readonly code?: string;
  readonly display?: string;
  readonly text?: string;
}

export interface ClinicalFact {
  readonly reference: string;
  readonly display: string;
  readonly value?: string;
  readonly date?: string;
}

export interface EncounterView {
  readonly encounter: {
    readonly reference: string;
    readonly setting: EncounterSetting;
    readonly classCode?: string;
    readonly period?: { readonly start?: string; readonly end?: string };
    /** Code-set fiscal year of the date of service (the discharge date for inpatient stays, else the start). */
    readonly fiscalYear?: number;
  };
  readonly patient?: { readonly reference: string; readonly sex?: string; readonly ageAtService?: number };
  /** Who bills for the encounter and what covers it: what a Claim must name (absent parts are never invented). */
  readonly billing?: { readonly provider?: string; readonly coverage: readonly string[]; readonly insurer?: string };
  readonly notes: readonly SourceNote[];
  readonly conditions: readonly CodingHint[];
  readonly procedures: readonly CodingHint[];
  readonly observations: readonly ClinicalFact[];
  readonly medications: readonly ClinicalFact[];
  /** Everything skipped or partial, each naming the resource. */
  readonly warnings: readonly string[];
}
