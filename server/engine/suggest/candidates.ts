// The candidate set the model chooses from: codes reached by any mention's retrieval, deduplicated, each keeping
// what led to it (the mentions, the index paths or titles that matched), ranked by best fused score and cut to a
// budget. Only codes of the catalog count (a table cell "C34.9-" is a lead, not a candidate); a header is kept as a
// candidate only through its billable children when the retrieval hit the header itself.
import type { SearchHit } from '../retrieve/search';
import type { CatalogEntry, CodeCatalog } from './codeValidity';

export interface CandidateSource {
  readonly mentionIndex: number;
  readonly docId: string;
  /** What matched: an index path, a code title, a table row. */
  readonly via: string;
  readonly fusedScore: number;
}

export interface Candidate {
  readonly code: string;
  readonly title: string;
  readonly bestScore: number;
  readonly sources: readonly CandidateSource[];
}

export interface CandidateOptions {
  readonly catalog: CodeCatalog;
  /** At most this many candidates go to the model. */
  readonly budget: number;
  /** Billable children offered in place of a header hit. */
  readonly childrenPerHeader?: number;
}

function codesOfHit(hit: SearchHit, catalog: CodeCatalog, childrenPerHeader: number): CatalogEntry[] {
  return hit.doc.codes.flatMap((code) => {
    const entry = catalog.lookup(code);
    if (!entry) return [];
    if (entry.billable) return [entry];
    return hit.doc.kind === 'code' ? [...catalog.billableUnder(code)].slice(0, childrenPerHeader) : [];
  });
}

/** `hitsPerMention[i]` are the retrieval hits of mention i, best first. */
export function buildCandidates(hitsPerMention: readonly (readonly SearchHit[])[], options: CandidateOptions): Candidate[] {
  const byCode = new Map<string, { entry: CatalogEntry; bestScore: number; sources: CandidateSource[] }>();
  hitsPerMention.forEach((hits, mentionIndex) => {
    for (const hit of hits) {
      for (const entry of codesOfHit(hit, options.catalog, options.childrenPerHeader ?? 8)) {
        const current = byCode.get(entry.code) ?? { entry, bestScore: 0, sources: [] };
        current.bestScore = Math.max(current.bestScore, hit.fusedScore);
        if (!current.sources.some((s) => s.docId === hit.doc.id && s.mentionIndex === mentionIndex)) {
          current.sources.push({ mentionIndex, docId: hit.doc.id, via: hit.doc.title, fusedScore: hit.fusedScore });
        }
        byCode.set(entry.code, current);
      }
    }
  });
  return [...byCode.values()]
    .sort((a, b) => b.bestScore - a.bestScore || b.sources.length - a.sources.length || a.entry.code.localeCompare(b.entry.code))
    .slice(0, options.budget)
    .map(({ entry, bestScore, sources }) => ({ code: entry.code, title: entry.title, bestScore, sources }));
}
