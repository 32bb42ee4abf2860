"""Experiment (not shipped): train a residue paragraph model and measure it out of fold by source.

Trained on the **tune** split of the real embeds set only (labels.jsonl: REMOVE = 1, KEEP = 0;
MIXED and EITHER paragraphs are context, not examples).  The removal threshold is chosen on
out-of-fold predictions, the folds grouped by source (a source's documents are never both in
training and in the fold that sets the threshold), as the highest recall whose out-of-fold
share of content paragraphs taken stays under --max-content-loss.

    .venv/bin/python evals/embeds/experiments/train_paragraph_model.py   # prints the out-of-fold result

Deterministic: the same labels give the same file (L-BFGS from zeros, sorted features).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import optimize, sparse

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import paragraphs  # noqa: E402
from paragraph_model import _WORD, MAX_CHARS, MODEL_FILE, paragraph_features  # noqa: E402

FOLDS = 5


def examples(split: str = "tune"):
    """(features, label, source) for every labelled paragraph of the split that the model scores."""
    labels: dict[str, dict[int, str]] = {}
    for line in open(HERE / "labels.jsonl", encoding="utf-8"):
        d = json.loads(line)
        labels.setdefault(d["doc_id"], {})[d["index"]] = d["label"]
    out = []
    for line in open(HERE / "data/items.jsonl", encoding="utf-8"):
        item = json.loads(line)
        if item["split"] != split:
            continue
        ps = paragraphs(item["text"])
        title_words = frozenset(w.lower() for w in _WORD.findall(item["title"] or ""))
        for i, p in enumerate(ps):
            label = labels[item["id"]][i]
            if label not in ("KEEP", "REMOVE") or len(p) > MAX_CHARS:
                continue
            out.append((paragraph_features(ps, i, title_words), int(label == "REMOVE"), item["source"]))
    return out


def matrix(rows, vocab: dict[str, int]) -> sparse.csr_matrix:
    indptr, indices = [0], []
    for feats in rows:
        cols = sorted({vocab[f] for f in feats if f in vocab})
        indices.extend(cols)
        indptr.append(len(indices))
    return sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(vocab)))


def fit(X: sparse.csr_matrix, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression (weights, bias) by L-BFGS from zeros."""
    Xb = sparse.hstack([X, np.ones((X.shape[0], 1))]).tocsr()
    ys = 2 * y - 1

    def loss(w):
        z = Xb @ w
        m = -ys * z
        value = np.logaddexp(0, m).sum() + 0.5 * l2 * (w[:-1] @ w[:-1])
        g = Xb.T @ (-ys * (1 / (1 + np.exp(-m))))
        g[:-1] += l2 * w[:-1]
        return value, g

    res = optimize.minimize(loss, np.zeros(Xb.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return res.x[:-1], float(res.x[-1])


def predict(X, w, b) -> np.ndarray:
    return 1 / (1 + np.exp(-(X @ w + b)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--min-count", type=int, default=2, help="features seen in fewer training paragraphs are dropped")
    ap.add_argument(
        "--max-content-loss",
        type=float,
        default=0.003,
        help="out-of-fold share of content paragraphs the threshold may take",
    )
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    args = ap.parse_args()
    data = examples()
    feats = [d[0] for d in data]
    y = np.array([d[1] for d in data], dtype=float)
    sources = [d[2] for d in data]
    # folds grouped by source, largest sources spread first
    sizes = Counter(sources)
    fold_of, load = {}, [0] * FOLDS
    for s, n in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        k = min(range(FOLDS), key=lambda f: (load[f], f))
        fold_of[s], load[k] = k, load[k] + n
    fold = np.array([fold_of[s] for s in sources])
    oof = np.zeros(len(y))
    for k in range(FOLDS):
        train = fold != k
        counts = Counter(f for i in np.flatnonzero(train) for f in set(feats[i]))
        vocab = {f: j for j, f in enumerate(sorted(f for f, c in counts.items() if c >= args.min_count))}
        w, b = fit(matrix([feats[i] for i in np.flatnonzero(train)], vocab), y[train], args.l2)
        oof[~train] = predict(matrix([feats[i] for i in np.flatnonzero(~train)], vocab), w, b)
    content = oof[y == 0]
    residue = oof[y == 1]
    candidates = sorted(set(np.round(oof, 4)), reverse=True)
    threshold = 1.0
    for t in candidates:  # lowest threshold whose content loss stays in budget
        if (content >= t).mean() > args.max_content_loss:
            break
        threshold = float(t)
    print(f"{len(y)} paragraphs ({int(y.sum())} residue) from {len(sizes)} sources, {FOLDS} folds by source")
    print(
        f"out-of-fold at threshold {threshold:.4f}: residue recall {(residue >= threshold).mean():.3f}, "
        f"content taken {(content >= threshold).mean():.4f} ({int((content >= threshold).sum())} of {len(content)})"
    )
    counts = Counter(f for fs in feats for f in set(fs))
    vocab = {f: j for j, f in enumerate(sorted(f for f, c in counts.items() if c >= args.min_count))}
    w, b = fit(matrix(feats, vocab), y, args.l2)
    weights = {f: round(float(w[j]), 5) for f, j in vocab.items() if abs(w[j]) >= 1e-3}
    model = {
        "about": "newsclean residue paragraph model: logistic regression, trained by evals/embeds/train_paragraph_model.py "
        "on the tune split of evals/embeds (see DATA.md)",
        "threshold": round(threshold, 4),
        "bias": round(b, 5),
        "l2": args.l2,
        "min_count": args.min_count,
        "trained_on": {"paragraphs": len(y), "residue": int(y.sum()), "sources": len(sizes)},
        "out_of_fold": {
            "residue_recall": round(float((residue >= threshold).mean()), 4),
            "content_taken": round(float((content >= threshold).mean()), 4),
        },
        "weights": dict(sorted(weights.items())),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"{len(weights)} weights -> {args.out}")


if __name__ == "__main__":
    main()
