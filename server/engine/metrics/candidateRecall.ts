// Retriever quality as the suggestion engine sees it: for one document, the reportable codes its sentence queries
// surface, ranked across sentences; recall@k against the gold codes.
import { RRF_RANK_CONSTANT } from '../retrieve/rrf';
import type { SearchHit } from '../retrieve/search';

/**
 * A code's document score is its best reciprocal rank in any sentence (a code is as good as its clearest mention),
 * ties broken by the sum over sentences (mentioned more often). Only codes `reportable` accepts are candidates:
 * headers and prefixes ("C34.9-") are not answers.
 */
export function rankDocumentCodes(sentenceHits: readonly (readonly SearchHit[])[], reportable: (code: string) => boolean): string[] {
  const best = new Map<string, number>();
  const sum = new Map<string, number>();
  for (const hits of sentenceHits) {
    const seen = new Set<string>();
    hits.forEach((hit, index) => {
      for (const code of hit.doc.codes) {
        if (seen.has(code) || !reportable(code)) continue;
        seen.add(code);
        const score = 1 / (RRF_RANK_CONSTANT + index + 1);
        best.set(code, Math.max(best.get(code) ?? 0, score));
        sum.set(code, (sum.get(code) ?? 0) + score);
      }
    });
  }
  return [...best.keys()].sort((a, b) => best.get(b)! - best.get(a)! || sum.get(b)! - sum.get(a)! || a.localeCompare(b));
}

export interface RecallAtK {
  readonly k: number;
  /** Found gold codes / all gold codes, pooled over documents. */
  readonly micro: number;
  /** Mean of per-document recall. */
  readonly macro: number;
}

export function recallAtK(
  documents: readonly { readonly ranked: readonly string[]; readonly gold: ReadonlySet<string> }[],
  ks: readonly number[],
): RecallAtK[] {
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
