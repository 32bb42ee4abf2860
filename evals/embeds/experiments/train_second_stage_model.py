"""Experiment (not shipped): train the second-stage paragraph model (``second_stage_model.py``)
and measure it out of fold, the folds grouped by source.

Examples: the paragraphs the rules and detectors keep, on the ``tune`` and ``unseen`` splits
(both read while tuning), as the real pipeline sees them (repair, the run's repeated lines,
then ``cleaners.embeds.embeds_state``); each is matched to its labelled lines by a word
alignment.  REMOVE = 1; KEEP and MIXED = 0 (taking a MIXED paragraph loses its content);
EITHER is not an example.  The threshold is the lowest whose out-of-fold share of content
paragraphs taken stays within --max-content-loss; the model is then fitted on every example.

    .venv/bin/python evals/embeds/experiments/train_second_stage_model.py           # out-of-fold table only
    .venv/bin/python evals/embeds/experiments/train_second_stage_model.py --write     # also writes the model file

Deterministic: L-BFGS from zeros over sorted features; the same data give the same file.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import optimize, sparse

HERE = Path(__file__).resolve().parents[1]
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import paragraphs  # noqa: E402
from second_stage_model import MAX_CHARS, MODEL_FILE, paragraph_features, title_words  # noqa: E402
from stats import wilson  # noqa: E402

from cleaners.embeds import embeds_state, load_rules  # noqa: E402

FOLDS = 5
SPLITS = ("tune", "unseen")
_W = re.compile(r"\w+")


def pipeline_states(items: list[dict]) -> list[dict]:
    """Each item as the embeds step sees it (after repair, with the run's repeated lines):
    its paragraphs before and after the rules and detectors."""
    from flows.config import make_config
    from flows.dedup.repeated_lines import scan_repeated_lines
    from flows.read import discover_inputs, read_input
    from flows.steps import repair_step

    config = make_config({})
    with tempfile.TemporaryDirectory() as tmp:
        with open(Path(tmp) / "items.jsonl", "w", encoding="utf-8") as f:
            for it in items:
                f.write(
                    json.dumps({k: it[k] for k in ("id", "source", "title", "url", "text")}, ensure_ascii=False) + "\n"
                )
        files = discover_inputs([tmp])
        repeated = scan_repeated_lines(files, config)
        records = [r for fl in files for r in read_input(fl, config.max_chars * 4)]
    repair_step(records, config)
    rules = load_rules()
    out = []
    for r in records:
        if r["status"] is None:
            original, after, _ = embeds_state(
                r["text"], rules, r.get("title"), source=r.get("source"), repeated=repeated
            )
            out.append({"doc_id": r["doc_id"], "title": r.get("title"), "original": original, "after": after})
    return out


def line_sources(original: list[str], lines: list[str]) -> list[set[int]]:
    """For each pipeline paragraph, the labelled lines its words align with.

    >>> line_sources(["One two. Three four."], ["One two.", "Three four."])
    [{0, 1}]
    """
    pw = [(w.lower(), k) for k, p in enumerate(original) for w in _W.findall(p)]
    rw = [(w.lower(), k) for k, p in enumerate(lines) for w in _W.findall(p)]
    sm = difflib.SequenceMatcher(None, [w for w, _ in pw], [w for w, _ in rw], autojunk=False)
    src: list[set[int]] = [set() for _ in original]
    for a, b, n in sm.get_matching_blocks():
        for j in range(n):
            src[pw[a + j][1]].add(rw[b + j][1])
    return src


def examples() -> list[tuple[list[str], int, str, str, str, bool]]:
    """(features, label, source, split, text, kept by the rules) of every paragraph short enough to
    score; a paragraph the rules removed is seen as if they had kept it (residue of a site the rules
    do not know looks like that)."""
    labels: dict[str, dict[int, str]] = {}
    for line in open(HERE / "labels.jsonl", encoding="utf-8"):
        d = json.loads(line)
        labels.setdefault(d["doc_id"], {})[d["index"]] = d["label"]
    items = [json.loads(line) for line in open(HERE / "data/items.jsonl", encoding="utf-8")]
    items = {it["id"]: it for it in items if it["split"] in SPLITS}  # the held-out split is never read here
    out = []
    for st in pipeline_states(list(items.values())):
        it = items[st["doc_id"]]
        original, after = st["original"], st["after"]
        tw = title_words(st["title"])
        for i, src in enumerate(line_sources(original, paragraphs(it["text"]))):
            found = {labels[it["id"]][k] for k in src}
            kept = bool(after[i])
            seen = after if kept else [*after[:i], original[i], *after[i + 1 :]]  # as if the rules had missed it
            if not seen[i] or len(seen[i]) > MAX_CHARS or not found or found == {"EITHER"}:
                continue
            y = int(found <= {"REMOVE", "EITHER"})
            out.append((paragraph_features(original, seen, i, tw), y, it["source"], it["split"], seen[i], kept))
    return out


def matrix(rows, vocab: dict[str, int]) -> sparse.csr_matrix:
    """Binary feature matrix of the rows over the vocabulary."""
    indptr, indices = [0], []
    for feats in rows:
        indices.extend(sorted({vocab[f] for f in feats if f in vocab}))
        indptr.append(len(indices))
    return sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(vocab)))


def fit(X: sparse.csr_matrix, y: np.ndarray, l2: float, free: int) -> np.ndarray:
    """L2-regularised logistic regression by L-BFGS from zeros; column ``free`` (the bias) is not penalised."""
    ys = 2 * y - 1
    penal = np.ones(X.shape[1])
    penal[free] = 0.0

    def loss(w):
        m = -ys * (X @ w)
        g = X.T @ (-ys / (1 + np.exp(-m)))
        return np.logaddexp(0, m).sum() + 0.5 * l2 * (penal * w) @ w, g + l2 * penal * w

    return optimize.minimize(loss, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 1000}).x


def vocabulary(feats, sources, min_sources: int) -> dict[str, int]:
    """Features found in at least ``min_sources`` sources: what one site alone shows is not learnt."""
    seen: dict[str, set] = {}
    for fs, s in zip(feats, sources):
        for f in set(fs):
            seen.setdefault(f, set()).add(s)
    return {f: j for j, f in enumerate(sorted(f for f, ss in seen.items() if len(ss) >= min_sources or f == "bias"))}


def train(feats, y, sources, l2: float, min_sources: int) -> dict[str, float]:
    """Weights by feature name."""
    vocab = vocabulary(feats, sources, min_sources)
    w = fit(matrix(feats, vocab), y, l2, vocab["bias"])
    return {f: float(w[j]) for f, j in vocab.items()}


def predict(weights: dict[str, float], feats) -> np.ndarray:
    z = np.array([sum(weights.get(f, 0.0) for f in fs) for fs in feats])
    return 1 / (1 + np.exp(-np.clip(z, -30, 30)))


def source_folds(sources: list[str]) -> np.ndarray:
    """Fold of each example: whole sources, the largest spread first."""
    sizes = Counter(sources)
    fold_of, load = {}, [0] * FOLDS
    for s, n in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        k = min(range(FOLDS), key=lambda f: (load[f], f))
        fold_of[s], load[k] = k, load[k] + n
    return np.array([fold_of[s] for s in sources])


def pick_threshold(oof: np.ndarray, y: np.ndarray, max_loss: float) -> float:
    """The lowest score whose share of content taken stays within ``max_loss``.

    >>> pick_threshold(np.array([0.9, 0.8, 0.2, 0.7]), np.array([1, 1, 0, 0]), 0.0)
    0.8
    """
    content = oof[y == 0]
    threshold = 1.0
    for t in sorted(set(np.round(oof, 4)), reverse=True):
        if (content >= t).mean() > max_loss:
            break
        threshold = float(t)
    return threshold


def oof_table(oof: np.ndarray, y: np.ndarray, splits: np.ndarray, kept: np.ndarray, threshold: float) -> list[str]:
    """Markdown rows: per split, residue and content taken out of fold, with 95% Wilson intervals,
    on the paragraphs the rules kept (the model as shipped) and on all paragraphs (the model alone)."""
    rows = [
        "| split | paragraphs | residue | residue taken | 95% interval | content | content taken | 95% interval |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in (*SPLITS, "both"):
        for where, mask in (("kept by the rules", kept), ("all (model alone)", np.ones(len(y), bool))):
            m = mask & ((splits == name) if name != "both" else True)
            r, c = oof[m & (y == 1)] >= threshold, oof[m & (y == 0)] >= threshold
            (rl, rh), (cl, ch) = wilson(int(r.sum()), len(r)), wilson(int(c.sum()), len(c))
            rows.append(
                f"| {name} | {where} | {len(r)} | {int(r.sum())} ({r.mean():.3f}) | {rl:.3f}–{rh:.3f} | "
                f"{len(c)} | {int(c.sum())} ({c.mean():.4f}) | {cl:.4f}–{ch:.4f} |"
            )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--l2", type=float, default=3.0)
    ap.add_argument("--min-sources", type=int, default=4, help="features found in fewer sources are not learnt")
    ap.add_argument(
        "--max-content-loss",
        type=float,
        default=0.003,
        help="out-of-fold share of the content paragraphs the rules kept that the threshold may take",
    )
    ap.add_argument("--write", action="store_true", help=f"write the model to {MODEL_FILE}")
    args = ap.parse_args()
    data = examples()
    feats = [d[0] for d in data]
    y = np.array([d[1] for d in data], dtype=float)
    sources = [d[2] for d in data]
    splits = np.array([d[3] for d in data])
    kept = np.array([d[5] for d in data])
    fold = source_folds(sources)
    oof = np.zeros(len(y))
    for k in range(FOLDS):
        tr = np.flatnonzero(fold != k)
        w = train([feats[i] for i in tr], y[tr], [sources[i] for i in tr], args.l2, args.min_sources)
        te = np.flatnonzero(fold == k)
        oof[te] = predict(w, [feats[i] for i in te])
    threshold = pick_threshold(oof[kept], y[kept], args.max_content_loss)  # set where the model runs: after the rules
    print(
        f"{len(y)} paragraphs ({int(y.sum())} residue; {int(kept.sum())} kept by the rules, {int(y[kept].sum())} of them residue) "
        f"from {len(set(sources))} sources, {FOLDS} folds by source"
    )
    print(
        f"threshold {threshold:.4f}: out-of-fold content taken <= {args.max_content_loss} of the content the rules kept\n"
    )
    print("\n".join(oof_table(oof, y, splits, kept, threshold)))
    print(
        "\n| content loss allowed | threshold | residue taken (kept by the rules) | residue taken (all) |\n|---|---|---|---|"
    )
    for loss in (0.001, 0.002, 0.003, 0.005, 0.01):
        t = pick_threshold(oof[kept], y[kept], loss)
        print(f"| {loss} | {t:.4f} | {(oof[kept & (y == 1)] >= t).mean():.3f} | {(oof[y == 1] >= t).mean():.3f} |")
    if args.write:
        weights = train(feats, y, sources, args.l2, args.min_sources)
        model = {
            "about": "newsclean second-stage paragraph model (experiment): logistic regression over "
            "evals/embeds/experiments/second_stage_model.py features, trained on the tune and unseen splits of evals/embeds",
            "l2": args.l2,
            "min_sources": args.min_sources,
            "threshold": round(threshold, 4),
            "trained_on": {"paragraphs": len(y), "residue": int(y.sum()), "sources": len(set(sources))},
            "weights": {f: round(v, 5) for f, v in sorted(weights.items()) if abs(v) >= 1e-4},
        }
        MODEL_FILE.write_text(json.dumps(model, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        print(f"\n{len(model['weights'])} weights -> {MODEL_FILE}")


if __name__ == "__main__":
    main()
