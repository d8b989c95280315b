// Inference for the trained ranker: gradient-boosted trees (LightGBM, exported by training/train_ranker.py into this
// compact form) summed to a margin, squashed by the sigmoid, then mapped through the isotonic calibration learned on
// cross-validated predictions, so the result reads as the probability that the code is right.
export interface TreeNode {
  /** Split: feature index, threshold (go left when value ≤ threshold; NaN goes `nanLeft`). */
  readonly f?: number;
  readonly t?: number;
  readonly nanLeft?: boolean;
  readonly l?: TreeNode;
  readonly r?: TreeNode;
  /** Leaf value. */
  readonly v?: number;
}

export interface Calibration {
  /** Increasing raw probabilities and their calibrated values (piecewise linear between them). */
  readonly x: readonly number[];
  readonly y: readonly number[];
}

export interface RankerModel {
  readonly features: readonly string[];
  readonly trees: readonly TreeNode[];
  readonly calibration: Calibration;
  /** Calibrated probability at or above which a candidate becomes a suggestion (chosen by cross-validation). */
  readonly threshold: number;
  /** Codes only document neighbours propose: their neighbour score → probability of being right (isotonic, out of
   * fold), so they rank among the other candidates. */
  readonly neighbourCalibration?: Calibration;
  /** Rows and the probabilities training computed for them: the loader must reproduce them. */
  readonly check?: readonly { readonly row: readonly number[]; readonly raw: number }[];
}

function leafValue(node: TreeNode, row: readonly number[]): number {
  let n = node;
  while (n.v === undefined) {
    const value = row[n.f!]!;
    const left = Number.isNaN(value) ? n.nanLeft === true : value <= n.t!;
    n = (left ? n.l : n.r)!;
  }
  return n.v;
}

/** The uncalibrated probability of the trees. */
export function rawProbability(model: Pick<RankerModel, 'trees'>, row: readonly number[]): number {
  let margin = 0;
  for (const tree of model.trees) margin += leafValue(tree, row);
  return 1 / (1 + Math.exp(-margin));
}

export function calibrate(calibration: Calibration, p: number): number {
  const { x, y } = calibration;
  if (!x.length) return p;
  if (p <= x[0]!) return y[0]!;
  if (p >= x[x.length - 1]!) return y[y.length - 1]!;
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= p) lo = mid;
    else hi = mid;
  }
  const span = x[hi]! - x[lo]!;
  return span > 0 ? y[lo]! + ((p - x[lo]!) / span) * (y[hi]! - y[lo]!) : y[hi]!;
}

export const probability = (model: RankerModel, row: readonly number[]): number => calibrate(model.calibration, rawProbability(model, row));
