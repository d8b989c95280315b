// One searchable unit of coding knowledge: a code, an index entry, a table row or a guideline section.
import { CodeSystem } from '../../../fhir/codeSystems';

export type CodeSystemKey = 'icd10cm' | 'icd10pcs' | 'cpt' | 'hcpcs';

/** Each code system's name as coders (and prompts) write it. */
export const SYSTEM_NAMES: Readonly<Record<CodeSystemKey, 'ICD-10-CM' | 'ICD-10-PCS' | 'HCPCS' | 'CPT'>> = {
  icd10cm: 'ICD-10-CM',
  icd10pcs: 'ICD-10-PCS',
  hcpcs: 'HCPCS',
  cpt: 'CPT',
};
export const CODE_SYSTEM_KEYS: readonly CodeSystemKey[] = ['icd10cm', 'icd10pcs', 'cpt', 'hcpcs'];

export type DocKind = 'code' | 'index' | 'neoplasm' | 'drug' | 'external-cause' | 'guideline';
export const DOC_KINDS: readonly DocKind[] = ['code', 'index', 'neoplasm', 'drug', 'external-cause', 'guideline'];

export type NoteKind = 'inclusionTerm' | 'includes' | 'excludes1' | 'excludes2' | 'codeFirst' | 'useAdditionalCode' | 'codeAlso' | 'notes' | 'sevenChrNote';

export interface TabularNote {
  readonly kind: NoteKind;
  readonly text: string;
}

export interface SeventhCharacter {
  readonly char: string;
  readonly meaning: string;
}

/** A column of the Neoplasm table or the Table of Drugs: heading → code ("--" cells are left out). */
export interface TableCell {
  readonly heading: string;
  readonly code: string;
}

export interface GuidelineLocation {
  /** Section number as the guidelines print it, e.g. "I.C.9.a.1". */
  readonly section: string;
  readonly title: string;
  readonly page: number;
}

export interface Provenance {
  /** Data file relative to the knowledge release, with the line where the item starts when known. */
  readonly file: string;
  readonly line?: number;
  /** Set when content comes from another release than the document's fiscal year (e.g. FY2021 tabular notes). */
  readonly fallback?: string;
}

export interface KnowledgeDoc {
  /** Stable across rebuilds of the same release: "<system>:<fy>:<kind>:<key>". */
  readonly id: string;
  readonly kind: DocKind;
  readonly system: CodeSystemKey;
  /** The FHIR code-system URI, e.g. http://hl7.org/fhir/sid/icd-10-cm. */
  readonly systemUri: string;
  readonly fy: number;
  readonly title: string;
  /** What BM25 and the embedding see. */
  readonly text: string;
  readonly code?: string;
  /** Every code the document leads to (a table row has one per column). */
  readonly codes: readonly string[];
  readonly billable?: boolean;
  readonly chapter?: string;
  readonly section?: string;
  readonly category?: string;
  readonly path?: readonly string[];
  readonly see?: string;
  readonly cells?: readonly TableCell[];
  readonly notes?: readonly TabularNote[];
  readonly seventhCharacters?: readonly SeventhCharacter[];
  readonly guideline?: GuidelineLocation;
  readonly poaExempt?: boolean;
  readonly source: Provenance;
}

export const docId = (system: CodeSystemKey, fy: number, kind: DocKind, key: string): string => `${system}:${fy}:${kind}:${key}`;

/** What a loader builds; the code-system URI is filled in from the system key. */
export type DraftDoc = Omit<KnowledgeDoc, 'systemUri'>;

export const withSystemUri = (draft: DraftDoc): KnowledgeDoc => ({ ...draft, systemUri: CodeSystem[draft.system] });
