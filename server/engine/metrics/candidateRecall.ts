// Retriever quality as the suggestion engine sees it: for one document, the codes that its sentence queries
// surface, ranked by reciprocal rank fusion across sentences; recall@k against the gold codes.
import { RRF_RANK_CONSTANT } from '../retrieve/rrf';
import type { SearchHit } from '../retrieve/search';

/** Codes ending in "-" (table cells, index entries) need more characters and never equal a reportable code. */
const complete = (code: string): boolean => !code.endsWith('-');

export function rankDocumentCodes(sentenceHits: readonly (readonly SearchHit[])[]): string[] {
  const score = new Map<string, number>();
  for (const hits of sentenceHits) {
    const seen = new Set<string>();
    hits.forEach((hit, index) => {
      for (const code of hit.doc.codes) {
        if (!complete(code) || seen.has(code)) continue;
        seen.add(code);
        score.set(code, (score.get(code) ?? 0) + 1 / (RRF_RANK_CONSTANT + index + 1));
      }
    });
  }
  return [...score.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([code]) => code);
}

export interface RecallAtK {
  readonly k: number;
  /** Found gold codes / all gold codes, pooled over documents. */
  readonly micro: number;
  /** Mean of per-document recall. */
  readonly macro: number;
}

export function recallAtK(documents: readonly { readonly ranked: readonly string[]; readonly gold: ReadonlySet<string> }[], ks: readonly number[]): RecallAtK[] {
  const scored = documents.filter((d) => d.gold.size > 0);
  return ks.map((k) => {
    let found = 0;
    let total = 0;
    let sum = 0;
    for (const { ranked, gold } of scored) {
      const hit = ranked.slice(0, k).filter((code) => gold.has(code)).length;
      found += hit;
      total += gold.size;
      sum += hit / gold.size;
    }
    return { k, micro: total ? found / total : 0, macro: scored.length ? sum / scored.length : 0 };
  });
}
