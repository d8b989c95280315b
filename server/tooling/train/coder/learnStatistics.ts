// What a coding model learns from a set of coded documents, apart from the ranker: the evidence dictionary (the
// documents' evidence phrases → codes), each entry's precision (on how many documents it hit, on how many of those
// its code was gold), the same for Index/title entries, the learned stoplist, and per-code statistics.
import { buildDictionary, entryPrecision, type DictionaryEntry } from '../../../engine/coder/dictionary';
import { categoryOfCode } from '../../../engine/coder/features';
import { assessHits, type NoteText } from '../../../engine/coder/codeNote';
import { buildNeighbourIndex } from '../../../engine/coder/neighbours';
import { entryKey, type CodeStats, type CoderSystem, type SystemModel } from '../../../engine/coder/model';
import { noteTerms, phraseTerms, type NoteTerm } from '../../../engine/coder/terms';
import type { CoderKnowledge } from '../../../engine/coder/knowledgeEntries';
import type { TrainingDocument } from './codedCorpus';

/** A document with its note structure and terms computed once. */
export interface PreparedDocument {
  readonly doc: TrainingDocument;
  readonly note: NoteText;
  readonly terms: readonly NoteTerm[];
}

export const prepare = (doc: TrainingDocument, note: NoteText): PreparedDocument => ({ doc, note, terms: noteTerms(note.text, note.sentences) });

/** Generic Index/title entries: hit often, almost never right. */
const STOP_MIN_DOCS = 20;
const STOP_MAX_PRECISION = 0.03;

export function evidenceEntries(docs: readonly PreparedDocument[], system: CoderSystem): DictionaryEntry[] {
  const seen = new Map<string, DictionaryEntry>();
  for (const { doc } of docs) {
    for (const e of doc.evidence) {
      if (e.system !== system) continue;
      const terms = phraseTerms(doc.text.slice(e.start, e.end));
      if (!terms.length || terms.length > 12 || terms.every((t) => t.length < 3)) continue; // "ED", "CT": too ambiguous alone
      const key = entryKey(terms, e.code);
      if (!seen.has(key)) seen.set(key, { terms, code: e.code, source: 'evidence', n: 0, tp: 0 });
    }
  }
  return [...seen.values()].sort((a, b) => entryKey(a.terms, a.code).localeCompare(entryKey(b.terms, b.code)));
}

export type Statistics = Omit<SystemModel, 'ranker'>;

export function learnStatistics(docs: readonly PreparedDocument[], system: CoderSystem, knowledge: CoderKnowledge): Statistics {
  const evidence = evidenceEntries(docs, system);
  const entries = [...evidence, ...knowledge.entries];
  const dictionary = buildDictionary(entries, knowledge.termClasses);
  const n = new Uint32Array(entries.length);
  const tp = new Uint32Array(entries.length);
  const codes = new Map<string, { docs: number; candidateDocs: number; candidateTp: number }>();
  const categories: Record<string, number> = {};
  const code = (c: string) => codes.get(c) ?? codes.set(c, { docs: 0, candidateDocs: 0, candidateTp: 0 }).get(c)!;
  for (const { doc, note, terms } of docs) {
    const gold = doc.gold[system];
    for (const c of gold) code(c).docs++;
    for (const cat of new Set([...gold].map(categoryOfCode))) categories[cat] = (categories[cat] ?? 0) + 1;
    const usable = assessHits(note, dictionary.match(terms)).filter((h) => h.assertion !== 'excluded');
    const hitEntries = new Set(usable.map((h) => h.entry));
    for (const i of hitEntries) {
      n[i]!++;
      if (gold.has(entries[i]!.code)) tp[i]!++;
    }
    for (const c of new Set([...hitEntries].map((i) => entries[i]!.code))) {
      code(c).candidateDocs++;
      if (gold.has(c)) code(c).candidateTp++;
    }
  }
  const knowledgeStats: Record<string, [number, number]> = {};
  const stoplist: string[] = [];
  knowledge.entries.forEach((e, k) => {
    const i = evidence.length + k;
    if (!n[i]) return;
    const key = entryKey(e.terms, e.code);
    if (n[i]! >= STOP_MIN_DOCS && entryPrecision({ n: n[i]!, tp: tp[i]! }) < STOP_MAX_PRECISION) stoplist.push(key);
    else knowledgeStats[key] = [n[i]!, tp[i]!];
  });
  const neighbours = buildNeighbourIndex(docs.map(({ doc, terms }) => ({ terms: terms.map((t) => t.term), codes: [...doc.gold[system]] })));
  return {
    evidence: evidence.map((e, i) => ({ ...e, n: n[i]!, tp: tp[i]! })),
    knowledgeStats,
    stoplist: stoplist.sort(),
    neighbours,
    codes: Object.fromEntries([...codes].sort(([a], [b]) => a.localeCompare(b))) as Record<string, CodeStats>,
    categories,
  };
}
