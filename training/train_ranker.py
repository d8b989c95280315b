"""Train the coding model's ranker: LightGBM gradient-boosted trees over candidate features, cross-validated by
document folds on the training documents only. The out-of-fold predictions choose the number of rounds and fit the
isotonic calibration (scikit-learn, interpolated between plateaus); they are returned ("oof") so that trainCoder.ts chooses the threshold with the
product's guideline fold applied. The final trees are trained on every row. Writes a compact JSON the TypeScript loader (server/engine/coder/ranker.ts) evaluates,
with check rows whose probabilities the loader must reproduce.

usage: train_ranker.py IN.json OUT.json   (IN: features, rows, labels, folds, goldTotal; see trainCoder.ts)
"""
import json
import sys

import lightgbm as lgb
import numpy as np
from sklearn.isotonic import IsotonicRegression

# One thread: on a 2-core machine shared with other work (Ollama embedding, the language server), OpenMP's busy
# waiting made two threads five times slower than one (3.6 s vs 19 s for 200 rounds on 22k rows, measured).
PARAMS = {
    "objective": "binary", "learning_rate": 0.05, "num_leaves": 31, "min_data_in_leaf": 10,
    "feature_fraction": 0.9, "lambda_l2": 1.0, "verbose": -1, "num_threads": 1, "seed": 1,
    "deterministic": True, "force_row_wise": True,
}
ROUNDS = 400


def node(tree):
    if "leaf_value" in tree:
        return {"v": tree["leaf_value"]}
    return {"f": tree["split_feature"], "t": tree["threshold"], "nanLeft": bool(tree.get("default_left", True)),
            "l": node(tree["left_child"]), "r": node(tree["right_child"])}


def best_threshold(p, y, gold_total):
    """The threshold of best micro-F1 among those that suggest 0.8-1.2 codes per gold code (a coder reviews about
    as many suggestions as the chart has codes); the unconstrained best when no threshold reaches 0.8."""
    order = np.argsort(-p)
    tp = np.cumsum(y[order])
    k = np.arange(1, len(p) + 1)
    f1 = 2 * tp / (k + gold_total)
    ratio = k / gold_total
    allowed = (ratio >= 0.8) & (ratio <= 1.2)
    i = int(np.argmax(np.where(allowed, f1, -1.0))) if allowed.any() else int(np.argmax(f1))
    return float(p[order][i]), float(f1[i]), float(tp[i] / k[i]), float(tp[i] / gold_total)


def interpolated_isotonic(scores, labels):
    """Isotonic calibration with its knots at the centre of each plateau, joined linearly: as well calibrated, but
    strictly increasing, so candidates keep the ranker's order and a threshold can fall between any two of them (a
    plain isotonic step ties thousands of rows and makes the suggestion count jump past the 0.8 bound)."""
    levels = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(scores, labels).predict(scores)
    values = np.unique(levels)
    centres = np.array([scores[levels == v].mean() for v in values])
    return centres, values


def main(src, dst):
    data = json.load(open(src))
    X = np.array(data["rows"], dtype=np.float64)
    y = np.array(data["labels"], dtype=np.float64)
    folds = np.array(data["folds"])
    gold_total = data["goldTotal"]
    oof = np.zeros(len(y))
    best_rounds = []
    for k in sorted(set(folds.tolist())):
        train, test = folds != k, folds == k
        booster = lgb.train(PARAMS, lgb.Dataset(X[train], y[train]), ROUNDS,
                            valid_sets=[lgb.Dataset(X[test], y[test])],
                            callbacks=[lgb.early_stopping(40, verbose=False)])
        best_rounds.append(booster.best_iteration or ROUNDS)
        oof[test] = booster.predict(X[test], num_iteration=booster.best_iteration)
        print(f"fold {k}: {int(train.sum())} rows train, {int(test.sum())} held out, best round {best_rounds[-1]}", file=sys.stderr)
    rounds = int(np.median(best_rounds))
    calibration_x, calibration_y = interpolated_isotonic(oof, y)
    calibrated = np.interp(oof, calibration_x, calibration_y)
    threshold, f1, precision, recall = best_threshold(calibrated, y, gold_total)
    final = lgb.train(PARAMS, lgb.Dataset(X, y), rounds)
    nb = data.get("neighbours", {"scores": [], "labels": []})
    neighbour_iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(nb["scores"], nb["labels"]) if nb["scores"] else None
    dump = final.dump_model()
    check_rows = X[:: max(1, len(X) // 20)][:20]
    out = {
        "oof": [float(v) for v in calibrated],
        "features": data["features"],
        "trees": [node(t["tree_structure"]) for t in dump["tree_info"]],
        "calibration": {"x": [float(v) for v in calibration_x], "y": [float(v) for v in calibration_y]},
        "threshold": threshold,
        **({"neighbourCalibration": {"x": [float(v) for v in neighbour_iso.X_thresholds_], "y": [float(v) for v in neighbour_iso.y_thresholds_]}} if neighbour_iso else {}),
        "check": [{"row": [float(v) for v in r], "raw": float(p)} for r, p in zip(check_rows, final.predict(check_rows))],
        "cv": {"folds": int(len(set(folds.tolist()))), "rounds": rounds, "microF1": f1, "precision": precision, "recall": recall,
               "rows": int(len(y)), "positives": int(y.sum()), "goldTotal": gold_total,
               "ece": float(ece(calibrated, y))},
    }
    json.dump(out, open(dst, "w"))
    print(f"cv micro-F1 {f1:.3f} (P {precision:.3f} R {recall:.3f}) at threshold {threshold:.3f} before the guideline fold; {rounds} rounds", file=sys.stderr)


def ece(p, y, bins=10):
    idx = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += m.sum() / len(p) * abs(y[m].mean() - p[m].mean())
    return total


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
