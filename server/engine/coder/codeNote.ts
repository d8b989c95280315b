// One note through the learned coder: its terms, the dictionaries' hits, each hit's assertion (ConText triggers of
// its sentence), the candidates' features, the ranker's calibrated probability. Pure: the model comes in loaded.
import { assertionsFor, findTriggers, type Trigger } from '../text/context';
import { sectionAt, type Section } from '../text/sections';
import type { Span } from '../text/span';
import { buildDictionary, type Dictionary, type Hit } from './dictionary';
import type { CoderKnowledge } from './knowledgeEntries';
import { candidatesOf, categoryOfCode, type AssessedHit, type Candidate, type NoteCandidates } from './features';
import { entryKey, type SystemModel } from './model';
import { calibrate, rawProbability } from './ranker';
import { neighbourSearch, type NeighbourSearch } from './neighbours';
import { noteTerms } from './terms';

export interface LoadedSystem {
  readonly model: SystemModel;
  readonly dictionary: Dictionary;
  readonly neighbours?: NeighbourSearch;
  readonly trainingDocuments: number;
  readonly isBillable: (code: string) => boolean;
  /** Per 3-character category, the codes training charts held, most frequent first. */
  readonly codesOfCategory: ReadonlyMap<string, readonly string[]>;
}

function codesByCategory(codes: SystemModel['codes']): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const ordered = Object.entries(codes)
    .filter(([, s]) => s.docs > 0)
    .sort(([a, x], [b, y]) => y.docs - x.docs || a.localeCompare(b));
  for (const [code] of ordered) {
    const category = categoryOfCode(code);
    out
      .set(category, out.get(category) ?? [])
      .get(category)!
      .push(code);
  }
  return out;
}

/** The evidence dictionary plus the Index/title entries with what training learned of them, minus the stoplist. */
export function loadSystem(model: SystemModel, knowledge: CoderKnowledge, trainingDocuments: number, isBillable: (code: string) => boolean): LoadedSystem {
  const stop = new Set(model.stoplist);
  const learned = knowledge.entries.flatMap((e) => {
    const key = entryKey(e.terms, e.code);
    if (stop.has(key)) return [];
    const stats = model.knowledgeStats[key];
    return [stats ? { ...e, n: stats[0], tp: stats[1] } : e];
  });
  return {
    model,
    dictionary: buildDictionary([...model.evidence, ...learned], knowledge.termClasses),
    trainingDocuments,
    isBillable,
    codesOfCategory: codesByCategory(model.codes),
    ...(model.neighbours ? { neighbours: neighbourSearch(model.neighbours) } : {}),
  };
}

export interface NoteText {
  readonly text: string;
  readonly sentences: readonly Span[];
  readonly sections: readonly Section[];
}

const NOT_CODABLE = new Set(['negated', 'hypothetical', 'conditional', 'family']);

/** Each hit with its assertion: excluded when a negation, hypothesis, condition or family trigger governs it, or
 * when a negation sits inside it ("diabetes without complications" is no hit for "diabetes with complications"). */
export function assessHits(note: NoteText, hits: readonly Hit[]): AssessedHit[] {
  const triggers = new Map<number, Trigger[]>();
  return hits.map((hit) => {
    const sentence = note.sentences[hit.sentence]!;
    const found = triggers.get(hit.sentence) ?? findTriggers(note.text, sentence);
    triggers.set(hit.sentence, found);
    const inner = found.find((t) => t.category === 'negated' && t.start > hit.start && t.start < hit.end);
    if (inner) return { ...hit, assertion: 'excluded', trigger: inner.text };
    const section = sectionAt(note.sections, sentence.start);
    const modifiers = assertionsFor({ text: note.text, sentence, target: hit, triggers: found, ...(section ? { section } : {}) });
    const excluded = modifiers.find((m) => NOT_CODABLE.has(m.category));
    if (excluded) return { ...hit, assertion: 'excluded', trigger: excluded.trigger.text };
    const qualifier = modifiers.find((m) => m.category === 'historical') ?? modifiers.find((m) => m.category === 'possible');
    return qualifier
      ? { ...hit, assertion: qualifier.category as 'historical' | 'possible', trigger: qualifier.trigger.text }
      : { ...hit, assertion: 'affirmed' };
  });
}

export interface ScoredCandidate extends Candidate {
  readonly probability: number;
  /** The trees' probability before calibration: orders candidates the calibration's steps tie. */
  readonly raw: number;
}

export interface ScoredNote {
  /** Every candidate, most probable first. */
  readonly candidates: readonly ScoredCandidate[];
  /** Codes whose every hit was excluded by the assertion rules. */
  readonly excludedOnly: readonly string[];
  /** Those codes scored as if their words were affirmed, most probable first: the retriever layer's view, never
   * suggested. */
  readonly excluded: readonly ScoredCandidate[];
  /** Codes only the document neighbours propose (no words of the note for them), with the probability their
   * neighbour score calibrates to, most probable first. */
  readonly neighbourOnly: readonly { readonly code: string; readonly score: number; readonly probability: number }[];
}

export function candidatesOfNote(note: NoteText, system: LoadedSystem): NoteCandidates & { neighbourOnly: { code: string; score: number }[] } {
  const terms = noteTerms(note.text, note.sentences);
  const hits = assessHits(note, system.dictionary.match(terms));
  const neighbours = system.neighbours?.scores(terms) ?? new Map<string, number>();
  const { model } = system;
  const found = candidatesOf(hits, {
    entries: system.dictionary.entries,
    codeStats: (code) => model.codes[code],
    categoryDocs: (c) => model.categories[c] ?? 0,
    trainingDocuments: system.trainingDocuments,
    isBillable: system.isBillable,
    textLength: note.text.length,
    termCount: terms.length,
    neighbourScore: (code) => neighbours.get(code) ?? 0,
    codesOfCategory: (category) => system.codesOfCategory.get(category) ?? [],
  });
  const proposed = new Set([...found.candidates.map((c) => c.code), ...found.excludedOnly]);
  const neighbourOnly = [...neighbours]
    .filter(([code]) => !proposed.has(code))
    .map(([code, score]) => ({ code, score }))
    .sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
  return { ...found, neighbourOnly };
}

function scored(candidates: readonly Candidate[], system: LoadedSystem): ScoredCandidate[] {
  return candidates
    .map((c) => {
      const raw = rawProbability(system.model.ranker, c.features);
      return { ...c, raw, probability: calibrate(system.model.ranker.calibration, raw) };
    })
    .sort((a, b) => b.probability - a.probability || b.raw - a.raw || a.code.localeCompare(b.code));
}

export function scoreNote(note: NoteText, system: LoadedSystem): ScoredNote {
  const { candidates, excludedOnly, excluded, neighbourOnly } = candidatesOfNote(note, system);
  const calibration = system.model.ranker.neighbourCalibration;
  const neighbours = neighbourOnly
    .map((n) => ({ ...n, probability: calibration ? calibrate(calibration, n.score) : 0 }))
    .sort((a, b) => b.probability - a.probability || b.score - a.score || a.code.localeCompare(b.code));
  return { candidates: scored(candidates, system), excludedOnly, excluded: scored(excluded, system), neighbourOnly: neighbours };
}
