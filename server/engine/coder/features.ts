// From dictionary hits to ranked candidates: a note's hits are grouped by code, hits the Official Guidelines forbid
// coding from (negated, hypothetical, conditional, family) are set apart, and each code gets the features the ranker
// was trained on. The feature list is the contract with training/train_ranker.py: names and order are fixed here.
import type { Span } from '../text/span';
import { entryPrecision, type DictionaryEntry, type Hit } from './dictionary';
import type { CodeStats } from './model';

export const FEATURES = [
  'evidencePrecision',
  'evidenceSupport',
  'knowledgePrecision',
  'knowledgeSupport',
  'knowledgeSeen',
  'titleHit',
  'entries',
  'hits',
  'maxTerms',
  'allSubsumed',
  'historical',
  'possible',
  'excludedShare',
  'codePrior',
  'codePrecision',
  'categoryCompetitors',
  'rankInCategory',
  'bestOtherInCategory',
  'widthRatio',
  'firstPosition',
  'documentTerms',
  'billable',
  'categoryPrior',
  'evidenceAndKnowledge',
  'sentences',
  'evidenceCoded',
  'knowledgeTerms',
  'neighbourScore',
  'sibling',
  'sameSubcategory',
] as const;

/** Codes of a category that training charts held, proposed beside a matched code of that category. */
export const SIBLINGS_PER_CATEGORY = 8;

export type Assertion = 'affirmed' | 'historical' | 'possible' | 'excluded';

export interface AssessedHit extends Hit {
  readonly assertion: Assertion;
  /** The trigger that excluded or qualified it ("no", "history of"), for the explanation. */
  readonly trigger?: string;
}

export interface Candidate {
  readonly code: string;
  /** Hits a coder may code from (not excluded), best entry first. For a sibling: the hits of the code it sits beside. */
  readonly hits: readonly AssessedHit[];
  readonly features: number[];
  /** Set when no entry names this code: the matched code of its category whose words it rests on. */
  readonly siblingOf?: string;
}

export interface FeatureContext {
  readonly entries: readonly DictionaryEntry[];
  readonly codeStats: (code: string) => CodeStats | undefined;
  readonly categoryDocs: (category: string) => number;
  readonly trainingDocuments: number;
  readonly isBillable: (code: string) => boolean;
  readonly textLength: number;
  readonly termCount: number;
  /** Share of the note's nearest training documents coded with the code (0 without a neighbour index). */
  readonly neighbourScore: (code: string) => number;
  /** Codes of a 3-character category that training charts held, most frequent first. */
  readonly codesOfCategory: (category: string) => readonly string[];
}

export const categoryOfCode = (code: string): string => code.replace('.', '').slice(0, 3);

interface Group {
  readonly code: string;
  readonly usable: AssessedHit[];
  excluded: number;
}

function groupByCode(hits: readonly AssessedHit[], entries: readonly DictionaryEntry[]): Group[] {
  const groups = new Map<string, Group>();
  for (const hit of hits) {
    const code = entries[hit.entry]!.code;
    const group = groups.get(code) ?? { code, usable: [], excluded: 0 };
    if (hit.assertion === 'excluded') group.excluded++;
    else group.usable.push(hit);
    groups.set(code, group);
  }
  return [...groups.values()];
}

const best = (hits: readonly AssessedHit[], entries: readonly DictionaryEntry[], sources: readonly string[]) => {
  let top: DictionaryEntry | undefined;
  for (const h of hits) {
    const e = entries[h.entry]!;
    if (sources.includes(e.source) && (!top || entryPrecision(e) > entryPrecision(top) || (entryPrecision(e) === entryPrecision(top) && e.n > top.n))) top = e;
  }
  return top;
};

const logPrior = (count: number, total: number): number => Math.log((count + 1) / (total + 2));

function baseFeatures(group: Group, ctx: FeatureContext): number[] {
  const { entries } = ctx;
  const hits = group.usable;
  const ev = best(hits, entries, ['evidence']);
  const kn = best(hits, entries, ['index', 'title']);
  const stats = ctx.codeStats(group.code);
  const share = (a: Assertion) => hits.filter((h) => h.assertion === a).length / hits.length;
  return [
    ev ? entryPrecision(ev) : 0,
    ev ? Math.log1p(ev.n) : 0,
    kn ? entryPrecision(kn) : 0,
    kn ? Math.log1p(kn.n) : 0,
    kn && kn.n > 0 ? 1 : 0,
    hits.some((h) => entries[h.entry]!.source === 'title') ? 1 : 0,
    new Set(hits.map((h) => h.entry)).size,
    Math.log1p(hits.length),
    Math.max(...hits.map((h) => entries[h.entry]!.terms.length)),
    hits.every((h) => h.subsumed) ? 1 : 0,
    share('historical'),
    share('possible'),
    group.excluded / (group.excluded + hits.length),
    logPrior(stats?.docs ?? 0, ctx.trainingDocuments),
    stats ? (stats.candidateTp + 1) / (stats.candidateDocs + 2) : 0.5,
    0,
    0,
    0, // competition within the category, filled in by addCompetition
    Math.min(...hits.map((h) => h.width / entries[h.entry]!.terms.length)),
    Math.min(...hits.map((h) => h.start)) / Math.max(1, ctx.textLength),
    Math.log1p(ctx.termCount),
    ctx.isBillable(group.code) ? 1 : 0,
    logPrior(ctx.categoryDocs(categoryOfCode(group.code)), ctx.trainingDocuments),
    ev && kn ? 1 : 0,
    Math.log1p(new Set(hits.map((h) => h.sentence)).size),
    ev ? Math.log1p(ev.tp) : 0,
    kn ? kn.terms.length : 0,
    ctx.neighbourScore(group.code),
    0,
    0,
  ];
}

const at = (name: (typeof FEATURES)[number]): number => FEATURES.indexOf(name);
const EVIDENCE_PRECISION = at('evidencePrecision');
const KNOWLEDGE_PRECISION = at('knowledgePrecision');
const COMPETITORS = at('categoryCompetitors');
const RANK_IN_CATEGORY = at('rankInCategory');
const BEST_OTHER = at('bestOtherInCategory');
const SIBLING = at('sibling');
const SAME_SUBCATEGORY = at('sameSubcategory');

const strength = (f: readonly number[]): number => Math.max(f[EVIDENCE_PRECISION]!, f[KNOWLEDGE_PRECISION]!);

/** Competition within the 3-character category: how many rivals, this code's rank, the best rival's strength. */
function addCompetition(candidates: readonly { code: string; features: number[] }[]): void {
  const byCategory = new Map<string, { code: string; features: number[] }[]>();
  for (const c of candidates) byCategory.set(categoryOfCode(c.code), [...(byCategory.get(categoryOfCode(c.code)) ?? []), c]);
  for (const group of byCategory.values()) {
    const sorted = [...group].sort((a, b) => strength(b.features) - strength(a.features));
    sorted.forEach((c, rank) => {
      c.features[COMPETITORS] = group.length - 1;
      c.features[RANK_IN_CATEGORY] = rank;
      c.features[BEST_OTHER] = Math.max(0, ...group.filter((o) => o !== c).map((o) => strength(o.features)));
    });
  }
}

/** The codes training charts held beside each category's strongest matched code, on that code's words: the words
 * often name the category while coders chose another code of it ("pneumonitis" → J18.9). Siblings take the
 * competition of their category as it stands among the matched codes. */
function siblingsOf(matched: readonly Candidate[], excluded: ReadonlySet<string>, ctx: FeatureContext): Candidate[] {
  const strongest = new Map<string, Candidate>();
  for (const c of matched) {
    const top = strongest.get(categoryOfCode(c.code));
    if (!top || strength(c.features) > strength(top.features)) strongest.set(categoryOfCode(c.code), c);
  }
  const taken = new Set(matched.map((c) => c.code));
  const out: Candidate[] = [];
  for (const [category, source] of strongest) {
    const rivals = matched.filter((c) => categoryOfCode(c.code) === category);
    for (const code of ctx
      .codesOfCategory(category)
      .filter((c) => !taken.has(c) && !excluded.has(c))
      .slice(0, SIBLINGS_PER_CATEGORY)) {
      const features = baseFeatures({ code, usable: [...source.hits], excluded: 0 }, ctx);
      features[COMPETITORS] = rivals.length;
      features[RANK_IN_CATEGORY] = rivals.length;
      features[BEST_OTHER] = Math.max(...rivals.map((r) => strength(r.features)));
      features[SIBLING] = 1;
      features[SAME_SUBCATEGORY] = code.replace('.', '').slice(0, 4) === source.code.replace('.', '').slice(0, 4) ? 1 : 0;
      out.push({ code, hits: source.hits, features, siblingOf: source.code });
    }
  }
  return out;
}

const byPrecision = (hits: readonly AssessedHit[], entries: readonly DictionaryEntry[]): AssessedHit[] =>
  [...hits].sort((a, b) => entryPrecision(entries[b.entry]!) - entryPrecision(entries[a.entry]!) || a.start - b.start);

/** A code found only where the guidelines forbid coding, with the features its words would have if affirmed and the
 * competition of its category as the codable candidates hold it: the ranker's view of the words, assertion aside. */
function excludedCandidate(code: string, hits: readonly AssessedHit[], codable: readonly Candidate[], ctx: FeatureContext): Candidate {
  const ordered = byPrecision(hits, ctx.entries);
  const features = baseFeatures({ code, usable: ordered, excluded: 0 }, ctx);
  const rivals = codable.filter((c) => categoryOfCode(c.code) === categoryOfCode(code));
  features[COMPETITORS] = rivals.length;
  features[RANK_IN_CATEGORY] = rivals.filter((r) => strength(r.features) > strength(features)).length;
  features[BEST_OTHER] = Math.max(0, ...rivals.map((r) => strength(r.features)));
  return { code, hits: ordered, features };
}

export interface NoteCandidates {
  readonly candidates: Candidate[];
  /** Codes every hit of which is excluded (the cost of the rule). */
  readonly excludedOnly: string[];
  /** The same codes as candidates, for the retriever layer of the evaluation: never suggested. */
  readonly excluded: Candidate[];
}

/** Candidates with features; codes every hit of which is excluded are returned apart. */
export function candidatesOf(hits: readonly AssessedHit[], ctx: FeatureContext): NoteCandidates {
  const groups = groupByCode(hits, ctx.entries);
  const candidates: Candidate[] = [];
  const excludedGroups: Group[] = [];
  for (const group of groups) {
    if (!group.usable.length) excludedGroups.push(group);
    else candidates.push({ code: group.code, hits: byPrecision(group.usable, ctx.entries), features: baseFeatures(group, ctx) });
  }
  addCompetition(candidates);
  const excludedOnly = excludedGroups.map((g) => g.code);
  const excluded = excludedGroups.map((g) =>
    excludedCandidate(
      g.code,
      hits.filter((h) => ctx.entries[h.entry]!.code === g.code),
      candidates,
      ctx,
    ),
  );
  return { candidates: [...candidates, ...siblingsOf(candidates, new Set(excludedOnly), ctx)], excludedOnly, excluded };
}

/** Hits sorted by where they start; overlapping evidence of one code merged for display. */
export function evidenceSpans(hits: readonly Span[]): Span[] {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const h of sorted) {
    const last = out[out.length - 1];
    if (last && h.start < last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, h.end) };
    else out.push({ start: h.start, end: h.end });
  }
  return out;
}
