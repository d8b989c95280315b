// The suggestion threshold, chosen on the out-of-fold probabilities of the training documents as the product will
// use them: the codes at or above it, minus the unspecified codes the guideline fold removes beside a specific code
// of their subcategory (specificity.ts), scored by micro-F1 against every gold code. The product promises 0.8–1.2
// suggestions per gold code (a coder reviews about as many suggestions as the chart has codes); documents never seen
// land about 0.01–0.02 off the cross-validation's figure, so the threshold is chosen inside 0.82–1.18: the best F1
// there wins; without any such threshold, the best F1 overall.
import type { CodeBook } from '../../../engine/suggest/codeBook';
import { coversUnspecified } from '../../../engine/suggest/rules/specificity';
import type { CoderSystem } from '../../../engine/coder/model';

export interface ScoredRow {
  readonly doc: string;
  readonly code: string;
  readonly probability: number;
  readonly gold: boolean;
}

export interface ThresholdChoice {
  readonly threshold: number;
  readonly microF1: number;
  readonly precision: number;
  readonly recall: number;
  readonly overCoding: number;
}

/** The product's band, 0.8–1.2, narrowed by the margin unseen documents need. */
const OVER_CODING: readonly [number, number] = [0.82, 1.18];

/** Per row of a document, the rows whose code would fold it away. */
function coverers(rows: readonly ScoredRow[], system: CoderSystem, book: CodeBook): number[][] {
  const coded = rows.map((r) => ({ system, code: r.code, display: book.catalog(system).lookup(r.code)?.title ?? '' }));
  return coded.map((u) => coded.flatMap((s, j) => (coversUnspecified(u, s, book) ? [j] : [])));
}

/** How many values are ≥ t, for descending t, by a pointer over the values sorted in descending order. */
function atLeast(values: number[]): (t: number) => number {
  values.sort((a, b) => b - a);
  let i = 0;
  return (t) => {
    while (i < values.length && values[i]! >= t) i++;
    return i;
  };
}

/** Rows grouped by their document, in order. */
export function byDocument<T extends { readonly doc: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const docRows = out.get(r.doc);
    if (docRows) docRows.push(r);
    else out.set(r.doc, [r]);
  }
  return out;
}

export function chooseThreshold(rows: readonly ScoredRow[], goldTotal: number, system: CoderSystem, book: CodeBook): ThresholdChoice {
  const byDoc = byDocument(rows);
  // A row is suggested at threshold t when its probability is ≥ t and no row that folds it away is: so the count at t
  // is #(probability ≥ t) − #(min(probability, best coverer) ≥ t), one sweep over sorted values.
  const all: number[] = [];
  const folded: number[] = [];
  const allGold: number[] = [];
  const foldedGold: number[] = [];
  for (const docRows of byDoc.values()) {
    coverers(docRows, system, book).forEach((covering, i) => {
      const r = docRows[i]!;
      const cover = Math.max(-Infinity, ...covering.map((j) => docRows[j]!.probability));
      all.push(r.probability);
      if (cover > -Infinity) folded.push(Math.min(r.probability, cover));
      if (r.gold) {
        allGold.push(r.probability);
        if (cover > -Infinity) foldedGold.push(Math.min(r.probability, cover));
      }
    });
  }
  const suggestedAll = atLeast(all);
  const suggestedFolded = atLeast(folded);
  const correctAll = atLeast(allGold);
  const correctFolded = atLeast(foldedGold);
  const thresholds = [...new Set(rows.map((r) => r.probability))].sort((a, b) => b - a);
  let best: ThresholdChoice | undefined;
  let bestAny: ThresholdChoice | undefined;
  for (const threshold of thresholds) {
    const predicted = suggestedAll(threshold) - suggestedFolded(threshold);
    const correct = correctAll(threshold) - correctFolded(threshold);
    const precision = predicted ? correct / predicted : 0;
    const recall = goldTotal ? correct / goldTotal : 0;
    const choice = {
      threshold,
      microF1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
      precision,
      recall,
      overCoding: predicted / Math.max(1, goldTotal),
    };
    if (!bestAny || choice.microF1 > bestAny.microF1) bestAny = choice;
    const inBounds = choice.overCoding >= OVER_CODING[0] && choice.overCoding <= OVER_CODING[1];
    if (inBounds && (!best || choice.microF1 > best.microF1)) best = choice;
  }
  return best ?? bestAny ?? { threshold: 1, microF1: 0, precision: 0, recall: 0, overCoding: 0 };
}
