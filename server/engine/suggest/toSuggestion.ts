// A chosen code becomes a Suggestion only after verification: the code (with its 7th character completed from the
// encounter) exists for the fiscal year — a header stays, flagged "needs more specificity" with its billable
// children; an unknown code is dropped — and the evidence is found in the note: the mention's own range, plus the
// model's quote when it is really there (returned as the note's exact characters).
import type { ProcessedEncounter } from '../encounter/processEncounter';
import type { CodeSystemKey } from '../retrieve/knowledgeDoc';
import type { SearchHit } from '../retrieve/search';
import type { MentionChoice } from './chooseForMention';
import type { CodableMention } from './codableMentions';
import type { CodeBook } from './codeBook';
import { verifyCode } from './codeValidity';
import type { RankedCandidate } from './documentedRank';
import { locateEvidence } from './evidence';
import { guidelineCitations, indexCitations, tabularCitations } from './guidance';
import { completeSeventh, encounterPhaseOf } from './seventhCharacter';
import type { Alternative, EvidenceSpan, RuleFinding, Suggestion, SuggestionProvenance } from './suggestion';

export interface SuggestionInput {
  readonly choice: Extract<MentionChoice, { state: 'chosen' }>;
  readonly mention: CodableMention;
  readonly ranked: readonly RankedCandidate[];
  readonly guidelineHits: readonly SearchHit[];
  readonly encounter: ProcessedEncounter;
  readonly book: CodeBook;
  readonly window: string;
  readonly provenance: SuggestionProvenance;
}

export type Verified =
  | { readonly state: 'suggestion'; readonly suggestion: Suggestion; readonly quoteFound: boolean | undefined }
  | { readonly state: 'dropped'; readonly reason: string };

export interface Resolved {
  readonly code: string;
  readonly findings: RuleFinding[];
}

/** A code that takes a 7th character, completed from the encounter's words (`window`), with the finding that says
 * how; a code that has its 7th character already, or takes none, unchanged. */
export function completeFromEncounter(book: CodeBook, system: CodeSystemKey, code: string, window: string): Resolved {
  const seventh = book.lineage(system, code).find((d) => d.seventhCharacters?.length)?.seventhCharacters;
  const raw = code.replace('.', '');
  if (!seventh || raw.length >= 7) return { code, findings: [] };
  const phase = encounterPhaseOf(window);
  const done = completeSeventh(code, seventh, phase, book.catalog(system));
  if (!done) return { code, findings: [] };
  return {
    code: done.code,
    findings: [
      {
        rule: 'seventh-character',
        severity: 'info',
        source: 'Official Guidelines I.A.5 (placeholder X), I.C.19.a (7th characters), I.C.19.c.1 (open/closed)',
        message: `7th character "${done.char}" (${done.meaning}) ${phase.cues.length ? `from "${phase.cues.join('", "')}"` : 'by default (active treatment; closed unless documented open)'}${done.code.includes('X') ? '; X fills the empty places' : ''}`,
      },
    ],
  };
}

function evidenceOf(input: SuggestionInput): { evidence: EvidenceSpan[]; quoteFound: boolean | undefined } {
  const evidence: EvidenceSpan[] = input.mention.occurrences.map(({ noteIndex, source }) => ({
    sourceId: source.sourceId,
    start: source.start,
    end: source.end,
    text: input.encounter.view.notes[noteIndex]!.text.slice(source.start, source.end),
    origin: 'mention',
    match: 'exact',
  }));
  const quote = input.choice.quote?.trim();
  if (!quote) return { evidence, quoteFound: undefined };
  const first = input.mention.occurrences[0]!;
  const note = input.encounter.notes[first.noteIndex]!;
  const found = locateEvidence(quote, note.text, first.mention.sentence.start);
  if (!found) return { evidence, quoteFound: false };
  const span = note.toSource(found);
  const original = input.encounter.view.notes[first.noteIndex]!.text;
  if (!evidence.some((e) => e.start === span.start && e.end === span.end)) {
    evidence.push({
      sourceId: first.source.sourceId,
      start: span.start,
      end: span.end,
      text: original.slice(span.start, span.end),
      origin: 'model-quote',
      match: found.match,
    });
  }
  return { evidence, quoteFound: true };
}

function alternativesOf(input: SuggestionInput, code: string, children: readonly { code: string; title: string }[]): Alternative[] {
  if (children.length) return children.slice(0, 5).map((c) => ({ code: c.code, display: c.title, score: 0 }));
  return input.ranked
    .filter((c) => c.code !== input.choice.code && c.code !== code)
    .slice(0, 3)
    .map((c) => ({ code: c.code, display: c.title, score: Number(c.score.toFixed(4)) }));
}

export function toSuggestion(input: SuggestionInput): Verified {
  const { choice, book } = input;
  const resolved = completeFromEncounter(input.book, input.choice.system, input.choice.code, input.window);
  const catalog = book.catalog(choice.system);
  const verdict = verifyCode(catalog, resolved.code);
  if (verdict.state === 'invalid') return { state: 'dropped', reason: verdict.reason };
  const findings = [...resolved.findings];
  const children = verdict.state === 'needs-specificity' ? verdict.children : [];
  if (verdict.state === 'needs-specificity') {
    findings.push({
      rule: 'needs-specificity',
      severity: 'warning',
      source: 'Official Guidelines I.B.2 (level of detail in coding)',
      message: `${verdict.entry.code} is a header, not a reportable code: pick one of its ${children.length} billable codes`,
      relatedCodes: children.slice(0, 10).map((c) => c.code),
    });
  }
  const code = verdict.entry.code;
  const lineage = book.lineage(choice.system, code);
  const { evidence, quoteFound } = evidenceOf(input);
  const doc = lineage[0];
  return {
    state: 'suggestion',
    quoteFound,
    suggestion: {
      id: `${choice.system}|${code}`,
      system: choice.system,
      systemUri: doc?.systemUri ?? '',
      code,
      display: verdict.entry.title,
      kind: input.mention.kind,
      fiscalYear: book.fy,
      confidence: Number((verdict.state === 'needs-specificity' ? choice.confidence / 2 : choice.confidence).toFixed(4)),
      confidenceBasis: choice.basis,
      evidenceState: evidence.length ? 'supported' : 'unsupported',
      evidence,
      guidance: [...indexCitations(choice.candidate?.sources ?? []), ...tabularCitations(lineage), ...guidelineCitations(input.guidelineHits)],
      rationale: choice.rationale,
      findings,
      alternatives: alternativesOf(input, code, children),
      provenance: input.provenance,
    },
  };
}
