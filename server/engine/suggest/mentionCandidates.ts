// Retrieval for one mention as every mode and the training data see it: hybrid search for the phrase and its
// Index-worded core (query vectors embedded once per encounter), candidates ranked by what the sentence documents,
// and the set offered to the choice; plus the guideline sections the mention may rest on.
import { buildCandidates } from './candidates';
import type { ProcessedEncounter } from '../encounter/processEncounter';
import type { Span } from '../text/span';
import { windowAround, type CodableMention } from './codableMentions';
import type { PromptGuidance } from './prompt';
import type { CodeBook } from './codeBook';
import { rankByDocumentation, type RankedCandidate } from './documentedRank';
import type { Retriever, SearchHit, SearchResult } from '../retrieve/search';
import type { SuggestMode } from './suggestion';

/** Candidates whose title and index path the note documents less than this are not offered (documentedRank.ts). */
export const MIN_DOCUMENTED = 0.5;
/** Only candidates documented nearly as well as the best are offered: the choice is among codes the note supports,
 * not between a documented code and a merely similar one ("combined systolic and diastolic" for "systolic"). */
export const DOCUMENTED_MARGIN = 0.15;

export interface RetrievalDeps {
  readonly book: CodeBook;
  readonly retriever?: Retriever;
}

export interface RetrievalOptions {
  readonly mode: SuggestMode;
  readonly minDocumented?: number;
  readonly documentedMargin?: number;
  readonly candidateBudget?: number;
  readonly retrievalK?: number;
}

export interface Retrieved {
  /** Offered to the choice: documented enough, within the budget. */
  readonly ranked: RankedCandidate[];
  /** Everything retrieval surfaced for the mention, ranked (the retriever layer of the evaluation). */
  readonly surfaced: RankedCandidate[];
  readonly guidelines: readonly SearchHit[];
  readonly indexVersion?: string;
}

/** Where a mention sits: its note's text, its first occurrence's sentence, and the window the prompt quotes. */
export interface MentionSite {
  readonly text: string;
  readonly sentence: Span;
  readonly sentenceText: string;
  readonly window: string;
}

export function siteOf(encounter: ProcessedEncounter, mention: CodableMention): MentionSite {
  const first = mention.occurrences[0]!;
  const text = encounter.notes[first.noteIndex]!.text;
  const sentence = first.mention.sentence;
  return { text, sentence, sentenceText: text.slice(sentence.start, sentence.end), window: windowAround(text, sentence) };
}

/** Guideline hits as the prompt cites them: section number (or document id) and title. */
export const promptGuidance = (hits: readonly SearchHit[]): PromptGuidance[] =>
  hits.map((h) => ({ id: h.doc.guideline?.section ?? h.doc.id, title: h.doc.guideline?.title ?? h.doc.title }));

function legDegradations(result: SearchResult): string[] {
  return Object.entries(result.legs).flatMap(([leg, status]) => (status.state === 'degraded' ? [`${leg}: degraded (${status.reason})`] : []));
}

export type QueryVectors = ReadonlyMap<string, readonly number[]>;

/** Every mention's queries embedded in one batch: one model call per encounter instead of one per query. */
export async function embedAll(deps: RetrievalDeps, mentions: readonly CodableMention[]): Promise<QueryVectors> {
  if (!deps.retriever?.embedQueries) return new Map();
  const texts = [...new Set(mentions.flatMap((m) => [m.text, ...(m.core ? [m.core] : [])]))];
  const vectors = await deps.retriever.embedQueries(texts);
  return new Map(texts.flatMap((t, i) => (vectors[i] ? [[t, vectors[i]!] as const] : [])));
}

export async function retrieve(
  deps: RetrievalDeps,
  mention: CodableMention,
  sentence: string,
  options: RetrievalOptions,
  note: (d: string) => void,
  vectors: QueryVectors,
): Promise<Retrieved> {
  if (!deps.retriever) return { ranked: [], surfaced: [], guidelines: [] };
  const search = (text: string) => {
    const vector = vectors.get(text);
    return deps.retriever!.search({
      text,
      k: options.retrievalK ?? 20,
      filters: { systems: mention.systems, kinds: ['code', 'index'] },
      ...(vector ? { vector } : {}),
    });
  };
  const results = await Promise.all([mention.text, ...(mention.core ? [mention.core] : [])].map(search));
  results.flatMap(legDegradations).forEach(note);
  const guidelines =
    mention.kind === 'diagnosis' ? (await deps.retriever.search({ text: mention.text, k: 2, filters: { kinds: ['guideline'] }, legs: ['bm25'] })).hits : [];
  const candidates = buildCandidates(
    results.map((r) => r.hits),
    { book: deps.book, budget: 30 },
  );
  const surfaced = rankByDocumentation(candidates, { mention: mention.text, context: sentence });
  const best = surfaced.reduce((m, c) => Math.max(m, c.documented), 0);
  const ranked = surfaced
    .filter((c) => c.documented >= (options.minDocumented ?? MIN_DOCUMENTED) && c.documented >= best - (options.documentedMargin ?? DOCUMENTED_MARGIN))
    .slice(0, options.candidateBudget ?? 10);
  return { ranked, surfaced, guidelines, indexVersion: results[0]!.indexVersion };
}

const KEY_NOTES = ['excludes1', 'useAdditionalCode', 'codeFirst'] as const;

export function keyNotes(book: CodeBook, system: RankedCandidate['system'], code: string): string[] {
  return book
    .lineage(system, code)
    .flatMap((doc) =>
      (doc.notes ?? [])
        .filter((n) => (KEY_NOTES as readonly string[]).includes(n.kind))
        .map((n) => `${n.kind === 'excludes1' ? 'Excludes1' : n.kind === 'codeFirst' ? 'code first' : 'use additional code'}: ${n.text}`),
    );
}
