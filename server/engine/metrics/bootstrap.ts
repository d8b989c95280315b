// How far a corpus-level micro-F1 would move on another sample of documents like these: the percentile bootstrap
// over documents (Efron), resampled with a seeded generator so a report reproduces its own interval.
import { setMetrics, type DocumentCodes } from './codingMetrics';

export interface Interval {
  readonly low: number;
  readonly high: number;
  readonly level: number;
  readonly resamples: number;
}

/** mulberry32: a small, well-mixed 32-bit generator; enough for choosing documents to resample. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const quantile = (sorted: readonly number[], q: number): number => {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
};

/** The `level` percentile interval of micro-F1 over `resamples` resamples of the documents. */
export function microF1Interval(documents: readonly DocumentCodes[], resamples = 1000, level = 0.95, seed = 1): Interval {
  const counts = documents.map((d) => {
    const m = setMetrics([d]);
    return { tp: m.truePositives, predicted: m.predicted, gold: m.gold };
  });
  const random = seeded(seed);
  const scores: number[] = [];
  for (let r = 0; r < resamples && counts.length; r++) {
    let tp = 0;
    let predicted = 0;
    let gold = 0;
    for (let i = 0; i < counts.length; i++) {
      const c = counts[Math.floor(random() * counts.length)]!;
      tp += c.tp;
      predicted += c.predicted;
      gold += c.gold;
    }
    scores.push(predicted + gold > 0 ? (2 * tp) / (predicted + gold) : 0);
  }
  scores.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return scores.length ? { low: quantile(scores, tail), high: quantile(scores, 1 - tail), level, resamples } : { low: 0, high: 0, level, resamples };
}
