// The Retriever contract: what a caller asks and what comes back, identical for every backend.
import type { CodeSystemKey, DocKind, KnowledgeDoc } from './knowledgeDoc';

export type LegName = 'bm25' | 'knn';

export interface SearchFilters {
  readonly systems?: readonly CodeSystemKey[];
  readonly kinds?: readonly DocKind[];
  readonly billable?: boolean;
  readonly fy?: number;
  readonly chapter?: string;
}

export interface SearchRequest {
  readonly text: string;
  readonly k?: number;
  readonly filters?: SearchFilters;
  /** Leave a leg out on purpose (evaluation compares BM25-only, kNN-only and fused). */
  readonly legs?: readonly LegName[];
  /** The query's embedding when the caller computed it already (a batch from `embedQueries`). */
  readonly vector?: readonly number[];
}

export type LegStatus =
  | { readonly state: 'ok'; readonly hits: number; readonly tookMs: number }
  | { readonly state: 'skipped'; readonly reason: string }
  | { readonly state: 'degraded'; readonly reason: string };

export interface SearchHit {
  readonly doc: KnowledgeDoc;
  readonly fusedScore: number;
  /** 1-based rank in each leg that found the document. */
  readonly ranks: Partial<Record<LegName, number>>;
  readonly scores: Partial<Record<LegName, number>>;
}

export interface SearchResult {
  readonly hits: readonly SearchHit[];
  readonly legs: Record<LegName, LegStatus>;
  readonly fusion: 'rrf' | 'server-rrf' | 'single-leg';
  readonly query: {
    readonly terms: readonly string[];
    readonly expansions: readonly { abbreviation: string; expansion: string }[];
    readonly truncated: boolean;
  };
  readonly backend: string;
  readonly indexVersion: string;
}

export interface Retriever {
  search(request: SearchRequest): Promise<SearchResult>;
  /** Embeds many queries in one call, as `search` would embed each; undefined where embedding is unavailable. */
  embedQueries?(texts: readonly string[]): Promise<readonly (readonly number[] | undefined)[]>;
}
