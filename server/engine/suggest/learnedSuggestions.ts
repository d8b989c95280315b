// The default, non-model path: every note of the encounter through the learned coding model (dictionaries →
// candidates → calibrated ranker), the candidates at or above the model's threshold verified (a code of the fiscal
// year, its 7th character completed from the encounter, evidence ranges that slice back to the note's words) and
// turned into Suggestions. The whole note is read: there is no mention cap.
import type { EncounterSetting } from '../../../fhir';
import { CodeSystem } from '../../../fhir/codeSystems';
import { scoreNote, type LoadedSystem, type ScoredCandidate } from '../coder/codeNote';
import { entryPrecision } from '../coder/dictionary';
import { categoryOfCode, evidenceSpans, FEATURES, type AssessedHit } from '../coder/features';
import type { CoderSystem } from '../coder/model';
import type { ProcessedEncounter } from '../encounter/processEncounter';
import { isHtmlContent } from '../text/html';
import type { Span } from '../text/span';
import type { CodeBook } from './codeBook';
import { verifyCode } from './codeValidity';
import { tabularCitations } from './guidance';
import { stemOf } from './seventhCharacter';
import { completeFromEncounter, type Resolved } from './toSuggestion';
import type { EvidenceSpan, Suggestion, SuggestionProvenance, SurfacedCandidate } from './suggestion';

export interface LearnedCoder {
  /** "<name>+<hash>": recorded in every suggestion's provenance. */
  readonly version: string;
  readonly systems: Partial<Record<CoderSystem, LoadedSystem>>;
}

export interface LearnedRun {
  readonly suggestions: Suggestion[];
  /** Every candidate, most probable first (the retriever layer of the evaluation). */
  readonly candidates: SurfacedCandidate[];
  /** Codes whose every hit was negated, hypothetical, conditional or family history: not coded, by the guidelines. */
  readonly excludedOnly: string[];
  readonly invalidCodesDropped: number;
}

export interface NoteHits {
  readonly noteIndex: number;
  readonly hits: readonly AssessedHit[];
}
export interface Pooled {
  readonly system: CoderSystem;
  readonly code: string;
  probability: number;
  best: ScoredCandidate;
  readonly notes: NoteHits[];
  matched: boolean;
}

const systemsFor = (setting: EncounterSetting): CoderSystem[] => (setting === 'inpatient' || setting === 'other' ? ['icd10cm', 'icd10pcs'] : ['icd10cm']);

export interface PooledRun {
  /** Every candidate of the encounter, most probable first. */
  readonly pooled: Pooled[];
  readonly excludedOnly: Map<string, { probability: number; raw: number }>;
  readonly neighbourOnly: Map<string, { probability: number; score: number }>;
}

/** What the model said of the candidates it judged ("system|code"), blended into the ranker's probability. */
export interface Judgement {
  readonly judged: ReadonlyMap<string, JudgedProbability>;
  /** The model's name with its digest. */
  readonly model: string;
  readonly adapterVersion?: string;
}

export interface JudgedProbability {
  readonly probability: number;
  readonly rankerProbability: number;
  readonly modelProbability: number;
  /** How many options the model chose among (the sentence's candidates and "none"). */
  readonly options: number;
}

export const keyOf = (p: Pick<Pooled, 'system' | 'code'>): string => `${p.system}|${p.code}`;

/** The candidates of every note of the encounter, pooled per code: the most probable occurrence speaks for it. */
export function poolCandidates(encounter: ProcessedEncounter, coder: LearnedCoder): PooledRun {
  const byKey = new Map<string, Pooled>();
  const excludedOnly = new Map<string, { probability: number; raw: number }>();
  const neighbourOnly = new Map<string, { probability: number; score: number }>();
  for (const system of systemsFor(encounter.view.encounter.setting)) {
    const loaded = coder.systems[system];
    if (!loaded) continue;
    encounter.notes.forEach((note, noteIndex) => {
      const scored = scoreNote({ text: note.text, sentences: note.processed.sentences, sections: note.processed.sections }, loaded);
      for (const c of scored.excluded) {
        const key = `${system}|${c.code}`;
        const seen = excludedOnly.get(key);
        if (!seen || c.probability > seen.probability || (c.probability === seen.probability && c.raw > seen.raw))
          excludedOnly.set(key, { probability: c.probability, raw: c.raw });
      }
      for (const n of scored.neighbourOnly) {
        const key = `${system}|${n.code}`;
        const seen = neighbourOnly.get(key);
        if (!seen || n.probability > seen.probability || (n.probability === seen.probability && n.score > seen.score))
          neighbourOnly.set(key, { probability: n.probability, score: n.score });
      }
      for (const c of scored.candidates) {
        const key = `${system}|${c.code}`;
        const current = byKey.get(key) ?? { system, code: c.code, probability: 0, best: c, notes: [], matched: false };
        if (c.probability > current.probability || (c.probability === current.probability && c.raw > current.best.raw)) {
          current.probability = c.probability;
          current.best = c;
        }
        current.matched ||= !c.siblingOf;
        current.notes.push({ noteIndex, hits: c.hits });
        byKey.set(key, current);
      }
    });
  }
  for (const key of byKey.keys()) {
    excludedOnly.delete(key);
    neighbourOnly.delete(key);
  }
  for (const key of excludedOnly.keys()) neighbourOnly.delete(key);
  return {
    pooled: [...byKey.values()].sort((a, b) => b.probability - a.probability || b.best.raw - a.best.raw || a.code.localeCompare(b.code)),
    excludedOnly,
    neighbourOnly,
  };
}

/** A range of an HTML note without its markup: the text pieces between tags, each an exact range of the source. */
function withoutMarkup(text: string, span: Span): Span[] {
  const pieces: Span[] = [];
  let at = span.start;
  for (const tag of text.slice(span.start, span.end).matchAll(/<[^>]*>/g)) {
    pieces.push({ start: at, end: span.start + tag.index! });
    at = span.start + tag.index! + tag[0].length;
  }
  pieces.push({ start: at, end: span.end });
  return pieces.flatMap((p) => {
    let { start, end } = p;
    while (start < end && /[\s,;:.]/.test(text[start]!)) start++;
    while (end > start && /[\s,;:.]/.test(text[end - 1]!)) end--;
    return end > start ? [{ start, end }] : [];
  });
}

function evidenceOf(encounter: ProcessedEncounter, notes: readonly NoteHits[]): EvidenceSpan[] {
  return notes.flatMap(({ noteIndex, hits }) => {
    const original = encounter.view.notes[noteIndex]!;
    const html = isHtmlContent(original.contentType);
    return evidenceSpans(hits)
      .flatMap((span) => (html ? withoutMarkup(original.text, encounter.notes[noteIndex]!.toSource(span)) : [span]))
      .map((source) => ({
        sourceId: original.id,
        start: source.start,
        end: source.end,
        text: original.text.slice(source.start, source.end),
        origin: 'dictionary' as const,
        match: 'exact' as const,
      }));
  });
}

/** The 7th character comes from this encounter (initial, subsequent, sequela; open or closed), never from what the
 * training charts usually had: a learned full code is cut back to its stem and completed again (kept as learned when
 * the encounter cannot complete it). */
function completed(book: CodeBook, pooled: Pooled, window: string): Resolved {
  const seventh = book.lineage(pooled.system, pooled.code).find((d) => d.seventhCharacters?.length)?.seventhCharacters;
  const resolved = completeFromEncounter(book, pooled.system, stemOf(pooled.code, seventh), window);
  return resolved.findings.length ? resolved : { code: pooled.code, findings: [] };
}

function rationaleOf(system: LoadedSystem, candidate: ScoredCandidate): string {
  const hit = candidate.hits[0]!;
  const entry = system.dictionary.entries[hit.entry]!;
  const learned =
    entry.n > 0 ? `; in training charts it matched ${entry.n} and was coded so in ${entry.tp} (precision ${entryPrecision(entry).toFixed(2)})` : '';
  const from = entry.source === 'evidence' ? 'an evidence phrase coders coded' : (entry.label ?? 'the Alphabetic Index');
  const qualifier = hit.assertion === 'historical' || hit.assertion === 'possible' ? ` Documented as ${hit.assertion} ("${hit.trigger}").` : '';
  const matched = candidate.siblingOf
    ? `No entry names this code; training charts coded it in the category of ${entry.code}, whose words match here: ${from}`
    : `Matched ${from}`;
  return `${matched}${learned}. Ranker probability ${candidate.probability.toFixed(2)}.${qualifier}`;
}

const NEIGHBOUR_FEATURE = FEATURES.indexOf('neighbourScore');

function generatorsOf(system: LoadedSystem, p: Pooled): string[] {
  const sources = new Set(p.matched ? p.notes.flatMap((n) => n.hits.map((h) => system.dictionary.entries[h.entry]!.source as string)) : ['sibling']);
  if ((p.best.features[NEIGHBOUR_FEATURE] ?? 0) > 0) sources.add('neighbours');
  return [...sources].sort();
}

/** A ranked candidate that is never offered ("system|code" key): a neighbour-only or an excluded-only code. */
const neverOffered = (key: string, probability: number, tie: number, extra: Pick<SurfacedCandidate, 'generators' | 'excluded'>) => ({
  tie,
  candidate: {
    system: key.split('|')[0] as CoderSystem,
    code: key.split('|')[1]!,
    score: Number(probability.toFixed(4)),
    offered: false,
    ...extra,
  },
});

export interface LearnedDeps {
  readonly book: CodeBook;
  readonly coder: LearnedCoder;
  readonly provenance: Omit<SuggestionProvenance, 'codingModel'>;
}

/** The pooled candidates with the judged ones' blended probabilities, most probable first. */
function withJudgement(pooled: readonly Pooled[], judgement: Judgement | undefined): Pooled[] {
  if (!judgement) return [...pooled];
  return pooled
    .map((p) => {
      const judged = judgement.judged.get(keyOf(p));
      return judged ? { ...p, probability: judged.probability } : p;
    })
    .sort((a, b) => b.probability - a.probability || b.best.raw - a.best.raw || a.code.localeCompare(b.code));
}

const judgedRationale = (judged: JudgedProbability, model: string): string =>
  ` Judged by ${model}: ${judged.modelProbability.toFixed(2)} among the ${judged.options} options of its sentence; ` +
  `ranker ${judged.rankerProbability.toFixed(2)} → ${judged.probability.toFixed(2)}.`;

export interface LearnedOptions {
  /** The encounter's candidates when the caller pooled them already (to judge them first). */
  readonly pooled?: PooledRun;
  readonly judgement?: Judgement;
}

export function learnedSuggestions(encounter: ProcessedEncounter, deps: LearnedDeps, options: LearnedOptions = {}): LearnedRun {
  const { book, coder } = deps;
  const { judgement } = options;
  const run = options.pooled ?? poolCandidates(encounter, coder);
  const { excludedOnly, neighbourOnly } = run;
  const pooled = withJudgement(run.pooled, judgement);
  const suggestions: Suggestion[] = [];
  let invalid = 0;
  for (const p of pooled) {
    const system = coder.systems[p.system]!;
    if (p.probability < system.model.ranker.threshold) continue;
    const first = p.notes[0]!;
    const note = encounter.notes[first.noteIndex]!;
    const sentence = note.processed.sentences[first.hits[0]!.sentence]!;
    const resolved = completed(book, p, note.text.slice(sentence.start, sentence.end));
    const verdict = verifyCode(book.catalog(p.system), resolved.code);
    if (verdict.state === 'invalid') {
      invalid++;
      continue;
    }
    const children = verdict.state === 'needs-specificity' ? verdict.children : [];
    const findings = [
      ...resolved.findings,
      ...(children.length
        ? [
            {
              rule: 'needs-specificity' as const,
              severity: 'warning' as const,
              source: 'Official Guidelines I.B.2 (level of detail in coding)',
              message: `${verdict.entry.code} is not a reportable code: pick one of its ${children.length} codes`,
              relatedCodes: children.slice(0, 10).map((c) => c.code),
            },
          ]
        : []),
    ];
    const code = verdict.entry.code;
    const lineage = book.lineage(p.system, code);
    const judged = judgement?.judged.get(keyOf(p));
    const rivals = pooled.filter((o) => o !== p && o.system === p.system && categoryOfCode(o.code) === categoryOfCode(p.code)).slice(0, 3);
    suggestions.push({
      id: `${p.system}|${code}`,
      system: p.system,
      systemUri: CodeSystem[p.system],
      code,
      display: verdict.entry.title,
      kind: p.system === 'icd10pcs' ? 'procedure' : 'diagnosis',
      fiscalYear: book.fy,
      confidence: Number(p.probability.toFixed(4)),
      confidenceBasis: 'ranker',
      evidenceState: 'supported',
      evidence: evidenceOf(encounter, p.notes),
      guidance: tabularCitations(lineage),
      rationale: rationaleOf(system, p.best) + (judged && judgement ? judgedRationale(judged, judgement.model) : ''),
      findings,
      alternatives: children.length
        ? children.slice(0, 5).map((c) => ({ code: c.code, display: c.title, score: 0 }))
        : rivals.map((r) => ({ code: r.code, display: book.catalog(r.system).lookup(r.code)?.title ?? r.code, score: Number(r.probability.toFixed(4)) })),
      provenance: {
        ...deps.provenance,
        codingModel: coder.version,
        ...(judged && judgement ? { model: judgement.model, ...(judgement.adapterVersion ? { adapterVersion: judgement.adapterVersion } : {}) } : {}),
      },
    });
  }
  // Neighbour-only codes rank by their calibrated probability among the others but are never offered: the note
  // holds no words for them to rest on.
  // Ties of the calibration's steps are broken by the score under it (the trees', or the neighbours' share).
  // Codes found only where the guidelines forbid coding rank as the ranker would see their words, marked excluded:
  // the retriever layer counts what the generators found, the rules decide what is coded.
  const ranked = [
    ...pooled.map((p) => ({
      tie: p.best.raw,
      candidate: {
        system: p.system,
        code: p.code,
        score: Number(p.probability.toFixed(4)),
        offered: p.probability >= coder.systems[p.system]!.model.ranker.threshold,
        generators: generatorsOf(coder.systems[p.system]!, p),
      },
    })),
    ...[...neighbourOnly].map(([key, n]) => neverOffered(key, n.probability, n.score, { generators: ['neighbours'] })),
    ...[...excludedOnly].map(([key, e]) => neverOffered(key, e.probability, e.raw, { excluded: true })),
  ];
  ranked.sort(
    (a, b) =>
      b.candidate.score - a.candidate.score ||
      Number(b.candidate.offered) - Number(a.candidate.offered) ||
      b.tie - a.tie ||
      a.candidate.code.localeCompare(b.candidate.code),
  );
  const candidates: SurfacedCandidate[] = ranked.map((r) => r.candidate);
  return { suggestions, candidates, excludedOnly: [...excludedOnly.keys()], invalidCodesDropped: invalid };
}
