// Generator-layer metrics: predicted code sets against gold code sets, per document. Duplicates count once.
// Micro pools every document's counts; macro averages per code over every code in gold or predictions, so a code the
// system never predicts still weighs in (its F1 is 0).

export interface DocumentCodes {
  readonly predicted: readonly string[];
  readonly gold: ReadonlySet<string> | readonly string[];
}

export interface PrfScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface SetMetrics {
  readonly micro: PrfScores;
  readonly macro: PrfScores;
  readonly truePositives: number;
  readonly predicted: number;
  readonly gold: number;
}

const f1Of = (p: number, r: number): number => (p + r > 0 ? (2 * p * r) / (p + r) : 0);
const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

export const categoryOf = (code: string): string => code.replace('.', '').slice(0, 3);

/** `key` maps a code to what is compared (the code itself, or its 3-character category). */
export function setMetrics(documents: readonly DocumentCodes[], key: (code: string) => string = (c) => c): SetMetrics {
  let tp = 0;
  let predictedTotal = 0;
  let goldTotal = 0;
  const perCode = new Map<string, { tp: number; fp: number; fn: number }>();
  const bump = (code: string, field: 'tp' | 'fp' | 'fn') => {
    const c = perCode.get(code) ?? { tp: 0, fp: 0, fn: 0 };
    c[field]++;
    perCode.set(code, c);
  };
  for (const doc of documents) {
    const predicted = new Set(doc.predicted.map(key));
    const gold = new Set([...doc.gold].map(key));
    predictedTotal += predicted.size;
    goldTotal += gold.size;
    for (const code of predicted) {
      if (gold.has(code)) {
        tp++;
        bump(code, 'tp');
      } else bump(code, 'fp');
    }
    for (const code of gold) if (!predicted.has(code)) bump(code, 'fn');
  }
  const microP = ratio(tp, predictedTotal);
  const microR = ratio(tp, goldTotal);
  const codes = [...perCode.values()];
  const macroP = codes.length ? codes.reduce((s, c) => s + ratio(c.tp, c.tp + c.fp), 0) / codes.length : 0;
  const macroR = codes.length ? codes.reduce((s, c) => s + ratio(c.tp, c.tp + c.fn), 0) / codes.length : 0;
  const macroF = codes.length ? codes.reduce((s, c) => s + f1Of(ratio(c.tp, c.tp + c.fp), ratio(c.tp, c.tp + c.fn)), 0) / codes.length : 0;
  return {
    micro: { precision: microP, recall: microR, f1: f1Of(microP, microR) },
    macro: { precision: macroP, recall: macroR, f1: macroF },
    truePositives: tp,
    predicted: predictedTotal,
    gold: goldTotal,
  };
}

/** Prefix matching, for gold codes given as prefixes (CodiEsp's ICD-10-PCS "bt41zzz", "ct13"): a prediction is
 * right when it starts with a gold code, a gold code is found when a prediction starts with it. */
export function prefixMetrics(documents: readonly DocumentCodes[]): SetMetrics {
  let correct = 0;
  let found = 0;
  let predicted = 0;
  let gold = 0;
  for (const doc of documents) {
    const p = [...new Set(doc.predicted)];
    const g = [...new Set(doc.gold)];
    predicted += p.length;
    gold += g.length;
    correct += p.filter((code) => g.some((prefix) => code.startsWith(prefix))).length;
    found += g.filter((prefix) => p.some((code) => code.startsWith(prefix))).length;
  }
  const precision = ratio(correct, predicted);
  const recall = ratio(found, gold);
  const scores = { precision, recall, f1: f1Of(precision, recall) };
  return { micro: scores, macro: scores, truePositives: found, predicted, gold };
}

/** Predicted ÷ gold codes, pooled. */
export const overCodingRatio = (documents: readonly DocumentCodes[]): number =>
  ratio(
    documents.reduce((n, d) => n + new Set(d.predicted).size, 0),
    documents.reduce((n, d) => n + new Set(d.gold).size, 0),
  );

/** Share of wrong predictions whose category is right (the coder was one click away). */
export function nearMissRate(documents: readonly DocumentCodes[]): number {
  let wrong = 0;
  let near = 0;
  for (const doc of documents) {
    const gold = new Set(doc.gold);
    const categories = new Set([...gold].map(categoryOf));
    for (const code of new Set(doc.predicted)) {
      if (gold.has(code)) continue;
      wrong++;
      if (categories.has(categoryOf(code))) near++;
    }
  }
  return ratio(near, wrong);
}

/** Expected calibration error over equal-width confidence bins. */
export function expectedCalibrationError(pairs: readonly { readonly confidence: number; readonly correct: boolean }[], bins = 10): number {
  if (!pairs.length) return 0;
  const sums = Array.from({ length: bins }, () => ({ n: 0, confidence: 0, correct: 0 }));
  for (const { confidence, correct } of pairs) {
    const bin = sums[Math.min(bins - 1, Math.max(0, Math.floor(confidence * bins)))]!;
    bin.n++;
    bin.confidence += confidence;
    bin.correct += correct ? 1 : 0;
  }
  return sums.reduce((e, b) => e + (b.n ? (b.n / pairs.length) * Math.abs(b.correct / b.n - b.confidence / b.n) : 0), 0);
}

/** Mean reciprocal rank of the first gold code in each document's ranked list (0 when none is there). */
export function meanReciprocalRank(documents: readonly { readonly ranked: readonly string[]; readonly gold: ReadonlySet<string> }[]): number {
  const scored = documents.filter((d) => d.gold.size > 0);
  if (!scored.length) return 0;
  return (
    scored.reduce((s, d) => {
      const at = d.ranked.findIndex((code) => d.gold.has(code));
      return s + (at >= 0 ? 1 / (at + 1) : 0);
    }, 0) / scored.length
  );
}

/** Mean average precision of each document's ranked codes (CodiEsp's official ranked metric): per document, the
 * precision at each rank holding a gold code, summed and divided by the number of gold codes. */
export function meanAveragePrecision(documents: readonly { readonly ranked: readonly string[]; readonly gold: ReadonlySet<string> }[]): number {
  const scored = documents.filter((d) => d.gold.size > 0);
  if (!scored.length) return 0;
  let total = 0;
  for (const { ranked, gold } of scored) {
    let hits = 0;
    let sum = 0;
    ranked.forEach((code, i) => {
      if (gold.has(code)) {
        hits++;
        sum += hits / (i + 1);
      }
    });
    total += sum / gold.size;
  }
  return total / scored.length;
}
