"""Build the MT-breakage development set from Google's WMT MQM annotations.

Deterministic, standard library only.  Reads the WMT23 general-task zh->en MQM TSV
(news domain, three raters per segment) from google/wmt-mqm-human-evaluation and writes
``data/sentences.jsonl`` next to this file.  See DATA.md for the data card.

Input (one of):
  --tsv PATH        the extracted ``sxs_mqm_generalMT2023_zhen.3ratingsPerSegment.tsv``
                    (or the ``.tsv.tar.gz`` as shipped in the repository);
  --git-dir DIR     a clone / bare snapshot of google/wmt-mqm-human-evaluation; the
                    archive is read with ``git show COMMIT:PATH`` (default).

    python evals/mt_breakage/build.py
    python evals/mt_breakage/build.py --tsv /tmp/mqm/sxs_mqm_generalMT2023_zhen.3ratingsPerSegment.tsv

Why WMT23 and not newstest2020/2021: the zh-en newstest2020 and newstest2021 MQM TSVs
are larger than the snapshot size limit of the mirror available here (they are absent from
the snapshot); the WMT23 zh-en side-by-side MQM archive (3.6 MB gzip) is present, is all
news-domain text, and has three ratings per segment, which the ">= 2 raters agree" rule
needs.
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import io
import json
import random
import re
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "data" / "sentences.jsonl"

SOURCE_REPO = "google/wmt-mqm-human-evaluation"
SOURCE_COMMIT = "7fadea281aff8db61cc72fc3d469a4dca78b82a6"
SOURCE_PATH = "generalMT2023/zhen/sxs_mqm_generalMT2023_zhen.3ratingsPerSegment.tsv.tar.gz"
DEFAULT_GIT_DIR = "/work/.mirror/google+wmt-mqm-human-evaluation/repo"
YEAR = 2023
TESTSET = "wmt23-generalMT-zhen-news"

SEED = 20261207
TOTAL = 1500  # segments in all, a third per stratum when available
TUNE_PERCENT = 60  # documents whose hash bucket (0..99) is below this go to "tune"

# Rows that are not error annotations of the target.
NOT_ERRORS = {"No-error", "Found", "Missed"}  # Found/Missed: attention checks (HOTW)
NOT_SEVERITIES = {"No-error", "HOTW-test"}
SOURCE_ONLY = {"Source issue"}  # an error in the Chinese source, not in the MT output

# --- label rule -------------------------------------------------------------------
# v1 (first pass): a Major error of one of these categories, from >= 2 raters.
BROKEN_CATEGORIES_V1 = {
    "Fluency/Grammar",
    "Fluency/Punctuation",
    "Fluency/Text-Breaking",
    "Accuracy/Omission (Translation)",
    "Accuracy/Omission (Translation 2)",
    "Accuracy/Source language fragment",  # untranslated
    "Non-translation!",  # whole segment too garbled to annotate
}
# v2 (after the audit of v1, see DATA.md).  v1 agreed with a reading of the text on
# only 7 of 60 "broken" segments: 237 of its 243 positives (98%) need Major Omission to
# reach two raters, and an omission is marked on the *source*: it usually leaves a
# complete, fluent (shorter) English sentence.
# Raters of this set file garbled English mostly as Minor or Major Fluency/Grammar and
# Style/Bad sentence structure, and repetition loops as Non-translation!; two raters
# rarely both call the same segment's grammar Major.  So in v2 a segment is "broken" when
#   * >= 2 raters marked a *structural* error (any severity) in it, and
#   * at least one of those marks is Major and is not "light" (below).
STRUCTURAL_V2 = {
    "Fluency/Grammar",
    "Style/Bad sentence structure",
    "Fluency/Text-Breaking",
    "Non-translation!",  # mostly repetition loops ("Bern, Bern, Bern, ...")
}
# Accuracy/Source language fragment counts as structural only when the span has Chinese
# characters left in the English (in this set it mostly marks romanised names and digits).
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A Major Grammar mark on a single function word (an article, a determiner, an auxiliary
# or modal: "the", "will", "is") is a slip a reader reads past, not a broken sentence.
LIGHT_GRAMMAR_SPANS = frozenset(
    """a an the this that these those some any
    is are was were be been being am has have had do does did will would shall should can could may might must
    s 's ’s""".split()
)
RULE = "v2"


def log(*a: object) -> None:
    print(*a, file=sys.stderr)


def read_tsv_text(args: argparse.Namespace) -> str:
    if args.tsv:
        p = Path(args.tsv)
        data = p.read_bytes()
        if p.name.endswith(".tar.gz") or p.name.endswith(".tgz"):
            return _untar(data)
        return data.decode("utf-8")
    data = subprocess.run(
        ["git", f"--git-dir={args.git_dir}", "show", f"{args.commit}:{SOURCE_PATH}"],
        check=True,
        capture_output=True,
    ).stdout
    return _untar(data)


def _untar(data: bytes) -> str:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tf:
        members = [m for m in tf.getmembers() if m.isfile() and m.name.endswith(".tsv")]
        if len(members) != 1:
            raise SystemExit(f"expected one .tsv in the archive, found {[m.name for m in members]}")
        return tf.extractfile(members[0]).read().decode("utf-8")


_V = re.compile(r"<v>(.*?)</v>", re.S)


def strip_marks(s: str) -> str:
    return s.replace("<v>", "").replace("</v>", "")


def load_segments(text: str) -> dict[tuple[str, str, int], dict]:
    csv.field_size_limit(1 << 30)
    reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    want = ["system", "doc", "docSegId", "globalSegId", "rater", "source", "target", "category", "severity"]
    if header[: len(want)] != want:
        raise SystemExit(f"unexpected header: {header[:10]}")
    segs: dict[tuple[str, str, int], dict] = {}
    for row in reader:
        system, doc, seg, _gseg, rater, source, target, category, severity = row[:9]
        key = (system, doc, int(seg))
        s = segs.setdefault(
            key,
            {"sources": collections.Counter(), "targets": collections.Counter(), "raters": set(), "marks": []},
        )
        s["raters"].add(rater)
        s["sources"][strip_marks(source)] += 1
        s["targets"][strip_marks(target).rstrip()] += 1
        if category in NOT_ERRORS or severity in NOT_SEVERITIES:
            continue
        m_t, m_s = _V.findall(target), _V.findall(source)
        if m_t:
            side, span = "target", " … ".join(m_t)
        elif m_s:
            side, span = "source", " … ".join(m_s)
        else:
            side, span = "none", ""
        s["marks"].append((rater, category, severity, side, span))
    return segs


_LETTER = re.compile(r"[^\W\d_]")


def _target_of(seg: dict) -> str:
    # the marked copies of one target differ at most by trailing whitespace
    return sorted(seg["targets"].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def doc_split(doc: str) -> str:
    bucket = int(hashlib.sha256(doc.encode("utf-8")).hexdigest(), 16) % 100
    return "tune" if bucket < TUNE_PERCENT else "unseen"


def _light_grammar(span: str) -> bool:
    return span.strip().strip(".,;:!?\"'“”").lower() in LIGHT_GRAMMAR_SPANS


def _structural(category: str, span: str) -> bool:
    if category in STRUCTURAL_V2:
        return True
    return category == "Accuracy/Source language fragment" and bool(_CJK.search(span))


def broken_raters(marks: list[tuple], rule: str) -> set[str]:
    """Raters whose marks make the segment broken: under v1 the raters with a Major mark
    of a v1 category; under v2 the raters with a structural mark (any severity), or no
    one when none of those marks is a non-light Major."""
    if rule == "v1":
        return {m[0] for m in marks if m[2] == "Major" and m[1] in BROKEN_CATEGORIES_V1}
    structural = [m for m in marks if _structural(m[1], m[4])]
    heavy = [m for m in structural if m[2] == "Major" and not (m[1] == "Fluency/Grammar" and _light_grammar(m[4]))]
    return {m[0] for m in structural} if heavy else set()


def is_broken_candidate(marks: list[tuple]) -> bool:
    """Broken under either rule: these are all kept when sampled."""
    return len(broken_raters(marks, "v1")) >= 2 or len(broken_raters(marks, "v2")) >= 2


def label_of(marks: list[tuple], rule: str = RULE) -> str:
    if len(broken_raters(marks, rule)) >= 2:
        return "broken"
    target_marks = [m for m in marks if m[1] not in SOURCE_ONLY]
    any_fluency = any(m[1].startswith("Fluency/") for m in target_marks)
    any_major = any(m[2] == "Major" for m in target_marks)
    if not any_fluency and not any_major:
        return "fine"
    return "unclear"


def stratum_of(marks: list[tuple]) -> str:
    target_marks = [m for m in marks if m[1] not in SOURCE_ONLY]
    major_fa = {
        m[0]
        for m in target_marks
        if m[2] == "Major" and (m[1].startswith(("Fluency/", "Accuracy/")) or m[1] == "Non-translation!")
    }
    if len(major_fa) >= 2:
        return "major_agreed"
    if not target_marks:
        return "no_errors"
    return "other"


def aggregate_errors(marks: list[tuple]) -> list[dict]:
    agg: dict[tuple, set] = collections.defaultdict(set)
    for rater, category, severity, side, span in marks:
        agg[(category, severity, side, span)].add(rater)
    out = [
        {"category": c, "severity": sev, "span": sp, "span_side": side, "raters": sorted(r), "n": len(r)}
        for (c, sev, side, sp), r in agg.items()
    ]
    out.sort(key=lambda e: ({"Major": 0, "Minor": 1}.get(e["severity"], 2), e["category"], e["span_side"], e["span"]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tsv")
    ap.add_argument("--git-dir", default=DEFAULT_GIT_DIR)
    ap.add_argument("--commit", default=SOURCE_COMMIT)
    ap.add_argument("--rule", default=RULE, choices=["v1", "v2"])
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()

    segs = load_segments(read_tsv_text(args))
    log(f"segments: {len(segs)}  documents: {len({k[1] for k in segs})}")

    strata: dict[str, list] = collections.defaultdict(list)
    for key in sorted(segs):
        s = segs[key]
        if not key[1].startswith("news_"):
            continue
        strata[stratum_of(s["marks"])].append(key)
    rng = random.Random(SEED)
    # quotas: a third each; a stratum short of its third gives its shortfall, split evenly,
    # to the other two
    order = ("major_agreed", "no_errors", "other")
    quota = {name: TOTAL // 3 for name in order}
    short = {name: max(0, quota[name] - len(strata[name])) for name in order}
    spare = sum(short.values())
    full = [n for n in order if not short[n]]
    for i, name in enumerate(full):
        quota[name] += spare // len(full) + (1 if i < spare % len(full) else 0)
    chosen = []
    for name in order:
        # every segment that is "broken" under either label rule is kept; the rest of
        # the stratum's quota is a seeded random sample
        pool = strata[name]
        n = min(quota[name], len(pool))
        cand = [k for k in pool if is_broken_candidate(segs[k]["marks"])]
        cand_set = set(cand)
        rest = [k for k in pool if k not in cand_set]
        take = cand if len(cand) <= n else rng.sample(cand, n)
        take = take + rng.sample(rest, n - len(take))
        log(f"stratum {name}: {len(pool)} available ({len(cand)} broken candidates, kept), {len(take)} sampled")
        chosen.extend((name, k) for k in take)
    chosen.sort(key=lambda t: t[1])
    # A segment whose MT output has no letter at all is not a sentence: WMT23 made a
    # closing quotation mark its own segment (a lone '”').  Dropped after sampling so the
    # seeded draw above is not disturbed.
    kept = [(st, k) for st, k in chosen if _LETTER.search(_target_of(segs[k]))]
    log(f"dropped {len(chosen) - len(kept)} sampled segments whose target has no letter (lone quotation marks)")
    chosen = kept

    out_path = Path(args.out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    counts = collections.Counter()
    with out_path.open("w", encoding="utf-8") as f:
        for stratum, key in chosen:
            system, doc, seg = key
            s = segs[key]
            source = s["sources"].most_common(1)[0][0]
            target = _target_of(s)
            split = doc_split(doc)
            label = label_of(s["marks"], args.rule)
            rec = {
                "id": f"wmt23zhen|{doc}|{seg}|{system}",
                "system": system,
                "doc": doc,
                "seg_id": seg,
                "year": YEAR,
                "testset": TESTSET,
                "source": source,
                "target": target,
                "errors": aggregate_errors(s["marks"]),
                "n_raters": len(s["raters"]),
                "stratum": stratum,
                "split": split,
                "label": label,
                "label_rule": args.rule,
                "label_v1": label_of(s["marks"], "v1"),
            }
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            counts[(split, label)] += 1
    docs = collections.Counter(doc_split(d) for d in {k[1] for _, k in chosen})
    log(f"wrote {len(chosen)} rows to {out_path}; documents per split {dict(docs)}")
    for (split, label), n in sorted(counts.items()):
        log(f"  {split:7s} {label:8s} {n}")


if __name__ == "__main__":
    main()
