// The one output type of every mode: a code with where it came from (evidence in the note, guidance it rests on),
// how sure we are, what the coding rules found, and what produced it.
import type { CodeSystemKey } from '../retrieve/knowledgeDoc';

export type SuggestMode = 'retrieval' | 'rag' | 'ft' | 'ft+rag';
export const SUGGEST_MODES: readonly SuggestMode[] = ['retrieval', 'rag', 'ft', 'ft+rag'];

export type SuggestionKind = 'diagnosis' | 'procedure';

/** A verified range of a source note: `note.text.slice(start, end) === text`. */
export interface EvidenceSpan {
  readonly sourceId: string;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** `mention`: the phrase retrieval started from; `dictionary`: the words a coding-model dictionary entry matched;
   * `model-quote`: the model's quote, found in the note. */
  readonly origin: 'mention' | 'dictionary' | 'model-quote';
  readonly match: 'exact' | 'tolerant';
}

export interface GuidanceCitation {
  /** Knowledge document id, e.g. "icd10cm:2026:guideline:I.C.9.a.1". */
  readonly id: string;
  readonly title: string;
  readonly kind: 'tabular' | 'index' | 'guideline' | 'table';
  /** A guideline section number, or the tabular note kind ("useAdditionalCode"). */
  readonly section?: string;
  readonly excerpt?: string;
  /** Opens the guidance in an editor: chartcoder-guidance:/<id>. */
  readonly link: string;
}

export type RuleId =
  | 'excludes1-conflict'
  | 'use-additional-code'
  | 'code-first'
  | 'seventh-character'
  | 'needs-specificity'
  | 'unspecified-but-documented'
  | 'age-edit'
  | 'sex-edit'
  | 'combination-code'
  | 'symptom-integral';

export interface RuleFinding {
  readonly rule: RuleId;
  readonly severity: 'info' | 'warning' | 'error';
  readonly message: string;
  /** Where the rule comes from: a tabular note, a guideline section, an edit table. */
  readonly source: string;
  /** Codes the finding pairs with or proposes instead. */
  readonly relatedCodes?: readonly string[];
}

export interface Alternative {
  readonly code: string;
  readonly display: string;
  readonly score: number;
}

export interface SuggestionProvenance {
  readonly mode: SuggestMode;
  /** Model name and digest ("chartcoder-base@e68a19e63337"); absent in retrieval mode. */
  readonly model?: string;
  readonly adapterVersion?: string;
  readonly indexVersion?: string;
  readonly codeSetFy: number;
  readonly promptTemplateHash?: string;
  /** The learned coding model (dictionary + ranker) that proposed and scored the code, "<name>+<hash>". */
  readonly codingModel?: string;
  readonly createdAt: string;
}

/** `unavailable`: the model server reported no log-probabilities; the confidence is a neutral 0.5. `ranker`: the
 * coding model's ranker probability, calibrated by cross-validation on its training documents. */
export type ConfidenceBasis = 'ranker' | 'model-logprob' | 'retrieval-score' | 'unavailable';

export type EvidenceState = 'supported' | 'unsupported';

export interface Suggestion {
  /** Stable within one result: system + code. */
  readonly id: string;
  readonly system: CodeSystemKey;
  readonly systemUri: string;
  readonly code: string;
  readonly display: string;
  readonly kind: SuggestionKind;
  readonly fiscalYear: number;
  /** In [0, 1]; how it was computed is named in `confidenceBasis`. */
  readonly confidence: number;
  readonly confidenceBasis: ConfidenceBasis;
  readonly evidenceState: EvidenceState;
  readonly evidence: readonly EvidenceSpan[];
  readonly guidance: readonly GuidanceCitation[];
  readonly rationale: string;
  readonly findings: readonly RuleFinding[];
  readonly alternatives: readonly Alternative[];
  readonly provenance: SuggestionProvenance;
}

export interface SuggestResult {
  readonly encounter: string;
  readonly mode: SuggestMode;
  readonly fiscalYear: number;
  readonly suggestions: readonly Suggestion[];
  /** Everything that ran in a lesser way than asked, e.g. "model: unavailable (…); ranked by retrieval". */
  readonly degradations: readonly string[];
  /** Counts for evaluation: mentions coded, model answers dropped by verification, and why. */
  readonly stats: SuggestStats;
  /** Every candidate retrieval surfaced, best first (only when asked for: the evaluation's retriever layer). */
  readonly candidates?: readonly SurfacedCandidate[];
  /** "system|code" of codes the coding model found only in negated, hypothetical, conditional or family mentions:
   * not coded, by the Official Guidelines (the evaluation counts what this costs against a corpus that codes them). */
  readonly excludedOnly?: readonly string[];
}

export interface SurfacedCandidate {
  readonly system: CodeSystemKey;
  /** A code, or a stem awaiting its 7th character. */
  readonly code: string;
  readonly needsSeventh?: boolean;
  readonly score: number;
  /** Passed the documentation threshold and the budget: the model (or the retrieval ranking) chose among these. */
  readonly offered: boolean;
  /** The coding model's generators that proposed it: evidence, index, title (dictionaries), neighbours. */
  readonly generators?: readonly string[];
  /** Found only in negated, hypothetical, conditional or family mentions: never suggested (Official Guidelines). */
  readonly excluded?: boolean;
}

export interface SuggestStats {
  readonly mentions: number;
  readonly codedMentions: number;
  readonly skippedByContext: number;
  readonly modelCalls: number;
  readonly modelFailures: number;
  readonly invalidCodesDropped: number;
  readonly quotesNotFound: number;
  readonly tookMs: number;
  readonly modelMs: number;
}
