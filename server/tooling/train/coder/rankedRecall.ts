// Candidate recall@k on the cross-validation: per training document, its candidates by out-of-fold probability and
// its neighbour-only codes by their calibrated score, the top k, against all of its gold codes. What generator changes
// are chosen by (the retriever layer of the dev evaluation is only reported); candidates found only in excluded
// mentions are not among these rows, so it compares with the eval's "codable candidates only".

import { byDocument } from './chooseThreshold';

export interface RankedRow {
  readonly doc: string;
  readonly probability: number;
  readonly gold: boolean;
}

export function rankedRecall(rows: readonly RankedRow[], goldTotal: number, k: number): number {
  let found = 0;
  for (const docRows of byDocument(rows).values())
    found += docRows
      .sort((a, b) => b.probability - a.probability)
      .slice(0, k)
      .filter((r) => r.gold).length;
  return found / Math.max(1, goldTotal);
}
