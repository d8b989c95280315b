"""Fits the judge's blend: a logistic regression (scikit-learn) over [logit(ranker probability), model lift] on the
judged candidates of training documents, the ranker's probabilities out of fold. Document-grouped 5-fold
cross-validation gives out-of-fold blended probabilities; the report compares, on every candidate of those
documents (the unjudged keep the ranker's probability), micro P/R/F1 at the coder's threshold for the ranker alone,
the ranker recalibrated on the judged rows without the model, and the blend; and the AUC of the ranker and of the
model's lift alone on the judged candidates. Usage: fit_judge.py IN.json OUT.json"""
import json
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.model_selection import GroupKFold


def logit(p):
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def micro(prob, threshold, gold, gold_total):
    suggested = prob >= threshold
    correct = int(np.sum(suggested & gold))
    n = int(np.sum(suggested))
    precision = correct / n if n else 0.0
    recall = correct / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "microF1": round(f1, 4), "suggested": n}


def out_of_fold(X, y, groups, folds):
    oof = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=folds).split(X, y, groups):
        model = LogisticRegression(C=1.0).fit(X[train], y[train])
        oof[test] = model.predict_proba(X[test])[:, 1]
    return oof


def main(in_path, out_path):
    data = json.load(open(in_path))
    rows = data["rows"]
    if not rows:
        raise SystemExit("no candidate rows: no training document was judged")
    p = np.array([r["p"] for r in rows])
    threshold = np.array([r["threshold"] for r in rows])
    gold = np.array([r["gold"] for r in rows], dtype=bool)
    judged = np.array(["lift" in r for r in rows])
    lift = np.array([r.get("lift", 0.0) for r in rows])
    docs = np.array([r["doc"] for r in rows])
    y = gold[judged].astype(int)
    X_full = np.column_stack([logit(p[judged]), lift[judged]])
    X_ranker = X_full[:, :1]
    folds = min(5, len(set(docs[judged])))
    if folds < 2 or len(set(y)) < 2:
        raise SystemExit("too few judged candidates (need two documents and both outcomes) to fit the blend")
    blended, recalibrated = p.copy(), p.copy()
    blended[judged] = out_of_fold(X_full, y, docs[judged], folds)
    recalibrated[judged] = out_of_fold(X_ranker, y, docs[judged], folds)
    model = LogisticRegression(C=1.0).fit(X_full, y)
    gold_total = data["goldTotal"]
    report = {
        "documents": len(set(docs)),
        "judgedCandidates": int(judged.sum()),
        "judgedGold": int(y.sum()),
        # How well each signal alone orders the judged candidates (0.5: no better than chance).
        "aucRanker": round(float(roc_auc_score(y, p[judged])), 4),
        "aucModelLift": round(float(roc_auc_score(y, lift[judged])), 4),
        "logLossRanker": round(float(log_loss(y, np.clip(p[judged], 1e-4, 1 - 1e-4))), 4),
        "logLossRecalibrated": round(float(log_loss(y, recalibrated[judged])), 4),
        "logLossBlend": round(float(log_loss(y, blended[judged])), 4),
        "ranker": micro(p, threshold, gold, gold_total),
        "recalibrated": micro(recalibrated, threshold, gold, gold_total),
        "blend": micro(blended, threshold, gold, gold_total),
    }
    out = {"weights": {"ranker": float(model.coef_[0][0]), "model": float(model.coef_[0][1]), "bias": float(model.intercept_[0])}, "cv": report}
    json.dump(out, open(out_path, "w"), indent=2)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
