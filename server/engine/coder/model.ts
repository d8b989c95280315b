// The coding model as shipped: the evidence dictionary learned from coded charts, what training learned about the
// Index/title dictionary and about codes, and the ranker per code system. Built by `chartcoder train coder`, described
// by its card (card.json beside it), named in every suggestion's provenance.
import type { DictionaryEntry } from './dictionary';
import type { NeighbourIndex } from './neighbours';
import type { RankerModel } from './ranker';

export type CoderSystem = 'icd10cm' | 'icd10pcs';

export interface CodeStats {
  /** Training documents whose gold holds the code. */
  readonly docs: number;
  /** Training documents where it was a candidate, and of those, how many had it in their gold. */
  readonly candidateDocs: number;
  readonly candidateTp: number;
}

export interface SystemModel {
  /** Evidence phrases of coded charts (source "evidence"). */
  readonly evidence: readonly DictionaryEntry[];
  /** What training saw of Index/title entries, keyed by entryKey(): [n, tp]. Entries never seen are absent. */
  readonly knowledgeStats: Readonly<Record<string, readonly [number, number]>>;
  /** Index/title entries dropped as too generic (the learned stoplist), by entryKey(). */
  readonly stoplist: readonly string[];
  readonly codes: Readonly<Record<string, CodeStats>>;
  readonly categories: Readonly<Record<string, number>>;
  /** The training documents as TF-IDF vectors with their codes (document-level neighbours). */
  readonly neighbours?: NeighbourIndex;
  readonly ranker: RankerModel;
}

export interface CoderModel {
  /** "<name>@<version>+<hash>", e.g. "chartcoder-icd@2026.12.1+3fa2…". */
  readonly version: string;
  /** Training documents the model learned from. */
  readonly documents: number;
  readonly systems: Partial<Record<CoderSystem, SystemModel>>;
}

export const entryKey = (terms: readonly string[], code: string): string => `${terms.join(' ')}|${code}`;
