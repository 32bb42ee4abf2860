"""What a run took out, flagged and rejected, with examples, and the distributions that show
drift from run to run: read back from the run's own Parquet (``clean/`` and ``rejected/``).

* ``profile`` (stored in the run manifest, so later runs compare with it): per category
  the documents and characters affected, language scores, document length before and after,
  the share of clean documents with a flag.
* ``examples`` (for the HTML report and the Prefect artifacts): per category the count and
  up to ``EXAMPLES`` examples in their context.  The choice is deterministic and spread
  across sources: each source's documents in an order fixed by a hash of their ``doc_id``,
  the sources taken in turn in an order fixed by a hash of their name.

Categories: edits ``<step>/<kind>`` (``ftfy:…`` kinds as ``ftfy``), flags ``<kind>/<rule>``,
rejected ``<reason up to its first colon>``, duplicates ``<relation>``.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import time
from pathlib import Path

import numpy as np

EXAMPLES = 5
CONTEXT_WORDS = 6
SECTIONS = ("edits", "flags", "rejected", "relations")
SECTION_TITLES = {
    "edits": "Edits (removed or changed text)",
    "flags": "Flags (left in place)",
    "rejected": "Rejected documents",
    "relations": "Duplicates and overlaps",
}
LENGTH_BINS = (0, 250, 500, 1000, 2000, 4000, 8000, 16000, 32000)
SCORE_BINS = tuple(i / 10 for i in range(10))
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_TOKENS = re.compile(r"(\s+)")


def visible(text: str | None) -> str:
    r"""``text`` with line breaks shown as ⏎ (a carriage return as ``\r``, so a line-ending
    repair shows what changed) and control or bidi characters as ``\xNN`` escapes (a terminal
    or page must never act on them).

    >>> visible("a\nb\x1b[31m\u202e"), visible("a\r\nb")
    ('a⏎b\\x1b[31m\\u202e', 'a\\r⏎b')
    """
    if not text:
        return ""
    text = text.replace("\r", "\\r").replace("\n", "⏎").replace("\t", " ")
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def shorten(text: str, limit: int = 240) -> str:
    """``text`` cut in its middle to at most ``limit`` characters.

    >>> shorten("abcdefghij", 7)
    'abc…hij'
    """
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return text[:half] + "…" + text[len(text) - (limit - 1 - half) :]


def words_around(haystack: str | None, needle: str, words: int = CONTEXT_WORDS) -> tuple[str, str]:
    """The ``words`` words before and after the first ``needle`` in ``haystack``, whitespace
    collapsed ('' and '' when it is not there).

    >>> words_around("one two three four five six", "four", 2)
    ('two three ', ' five six')
    >>> words_around("a b", "zzz")
    ('', '')
    """
    if not haystack or not needle:
        return "", ""
    at = haystack.find(needle)
    if at < 0:
        return "", ""
    left = haystack[max(0, at - 40 * words) : at]
    right = haystack[at + len(needle) : at + len(needle) + 40 * words]
    before = left.split()[-words:] if words else []
    after = right.split()[:words] if words else []
    lhs = " ".join(before) + (" " if before and left[-1:].isspace() else "")
    rhs = (" " if after and right[:1].isspace() else "") + " ".join(after)
    return lhs, rhs


def word_diff(before: str, after: str) -> list[list[str]]:
    """``before`` -> ``after`` as runs of ``["=", text]``, ``["-", removed]``, ``["+", added]``,
    compared word by word (whitespace runs are tokens too, so a removed line break shows).

    >>> word_diff("the the cat", "the cat")
    [['-', 'the '], ['=', 'the cat']]
    >>> word_diff("Tweet text", "")
    [['-', 'Tweet text']]
    """
    a, b = _TOKENS.split(before or ""), _TOKENS.split(after or "")
    ops: list[list[str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if ops and ops[-1][0] == op:
            ops[-1][1] += text
        else:
            ops.append([op, text])

    for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("=", "".join(a[a0:a1]))
        else:
            add("-", "".join(a[a0:a1]))
            add("+", "".join(b[b0:b1]))
    return ops


def edit_example(before: str, after: str, raw_text: str | None) -> dict:
    """An edit shown in its document: up to ``CONTEXT_WORDS`` words of ``raw_text`` either
    side of ``before`` (when it is found there), and the word diff, long runs shortened.

    >>> e = edit_example("Follow us!", "", "Troops moved. Follow us! More soon.")
    >>> e["left"], e["ops"], e["right"]
    ('Troops moved. ', [['-', 'Follow us!']], ' More soon.')
    """
    left, right = words_around(raw_text, before)
    ops = [[op, shorten(text, 60 if op == "=" else 240)] for op, text in word_diff(before, after)]
    return {"left": left, "ops": ops, "right": right}


def run_files(out: Path, run_id: str, run_date: str, datasets=("clean", "rejected")) -> list[str]:
    """The Parquet files of one run's partitions of ``datasets``."""
    from flows.publish.layout import OutputLayout

    return [
        str(f)
        for d in datasets
        for f in sorted(OutputLayout(Path(out)).partition(d, run_id, run_date).glob("*.parquet"))
    ]


META = [
    "doc_id",
    "input_ref",
    "source",
    "title",
    "status",
    "reason",
    "relation",
    "duplicate_of",
    "overlap_share",
    "edits",
    "flags",
]
_GLOB = re.compile(r"[*?\[\]{}]")


def _array(values):
    """One Arrow array from an array or a chunked array."""
    return values.combine_chunks() if hasattr(values, "combine_chunks") else values


def _md5_rank(values: list) -> np.ndarray:
    """Each value's rank in the order of its MD5 (None as ''): a fixed, content-blind order
    (for the few names of sources).

    >>> _md5_rank(["a", "b", "c"]).tolist()
    [0, 2, 1]
    """
    keys = [hashlib.md5(("" if v is None else str(v)).encode("utf-8")).hexdigest() for v in values]
    order = sorted(range(len(keys)), key=lambda i: (keys[i], "" if values[i] is None else str(values[i])))
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys))
    return rank


def fnv_hash(strings, prefix: int = 64) -> np.ndarray:
    """FNV-1a (64 bit) of each string's first ``prefix`` UTF-8 bytes, mixed with its length:
    the same in every process and on every machine (Python's ``hash`` is not), vectorised
    (a Python hash per document would cost a quarter of a second per 20,000).

    >>> import pyarrow as pa
    >>> h = fnv_hash(pa.array(["a", "b", "a", None]))
    >>> bool(h[0] == h[2]), bool(h[0] != h[1]), int(fnv_hash(pa.array([""]))[0]) == 0xcbf29ce484222325
    (True, True, True)
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    binary = _array(pc.fill_null(pc.cast(_array(strings), pa.large_binary()), b""))
    offsets = np.frombuffer(binary.buffers()[1], dtype=np.int64)[binary.offset : binary.offset + len(binary) + 1]
    data = (
        np.frombuffer(binary.buffers()[2], dtype=np.uint8) if binary.buffers()[2] is not None else np.zeros(1, np.uint8)
    )
    lengths = np.diff(offsets)
    h = np.full(len(binary), 0xCBF29CE484222325, dtype=np.uint64)
    prime = np.uint64(0x100000001B3)
    with np.errstate(over="ignore"):
        for j in range(min(prefix, int(lengths.max()) if len(lengths) else 0)):
            live = lengths > j
            h[live] = (h[live] ^ data[offsets[:-1][live] + j].astype(np.uint64)) * prime
        h ^= lengths.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) * (lengths > prefix).astype(np.uint64)
    return h


def _group_rank(*keys: np.ndarray) -> np.ndarray:
    """Each row's rank within its group, groups being equal values of all but the last of
    ``keys`` and the order within a group the last key (then the row number).

    >>> _group_rank(np.array([0, 0, 1, 0]), np.array([5, 3, 1, 4])).tolist()
    [2, 0, 0, 1]
    """
    n = len(keys[0])
    order = np.lexsort((np.arange(n),) + tuple(reversed(keys)))
    group = np.ones(n, dtype=bool)
    for k in keys[:-1]:
        sk = k[order]
        group[1:] &= sk[1:] == sk[:-1]
    starts = np.where(~group | (np.arange(n) == 0), np.arange(n), 0)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - np.maximum.accumulate(starts)
    return rank


def _items(meta) -> list[tuple]:
    """The run's items per section: ``(section, categories, rows, values, rules, chars)``,
    ``rows`` indexing ``meta``'s rows, item by item in document order."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out = []
    for section, column in (("edits", "edits"), ("flags", "flags")):
        lists = meta.column(column).combine_chunks()
        rows = pc.list_parent_indices(lists).to_numpy()
        flat = pc.list_flatten(lists)
        if section == "edits":
            head = pc.list_element(pc.split_pattern(flat.field("kind"), ":", max_splits=1), 0)
            cats = pc.binary_join_element_wise(flat.field("step"), head, "/")
            chars = pc.utf8_length(pc.fill_null(flat.field("before"), "")).to_numpy(
                zero_copy_only=False
            ) - pc.utf8_length(pc.fill_null(flat.field("after"), "")).to_numpy(zero_copy_only=False)
            values = (flat.field("before"), flat.field("after"))
        else:
            cats = pc.if_else(
                pc.is_null(flat.field("rule")),
                flat.field("kind"),
                pc.binary_join_element_wise(flat.field("kind"), flat.field("rule"), "/"),
            )
            chars = np.zeros(len(flat), dtype=np.int64)
            values = (flat.field("detail"), pa.nulls(len(flat), pa.string()))
        out.append((section, cats, rows, values, flat.field("rule"), chars))
    status = meta.column("status")
    rejected = pc.not_equal(status, "clean").to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(rejected)
    reason = meta.column("reason").take(rows)
    out.append(
        (
            "rejected",
            pc.list_element(pc.split_pattern(pc.fill_null(reason, ""), ":", max_splits=1), 0),
            rows,
            (reason, pa.nulls(len(rows), pa.string())),
            pa.nulls(len(rows), pa.string()),
            np.zeros(len(rows), dtype=np.int64),
        )
    )
    rows = np.flatnonzero(pc.is_valid(meta.column("relation")).to_numpy(zero_copy_only=False))
    share = pc.fill_null(meta.column("overlap_share").take(rows), -1.0).to_numpy(zero_copy_only=False)
    out.append(
        (
            "relations",
            meta.column("relation").take(rows),
            rows,
            (meta.column("duplicate_of").take(rows), pa.nulls(len(rows), pa.string())),
            pa.nulls(len(rows), pa.string()),
            np.rint(share * 1000).astype(np.int64),
        )
    )
    return out


def batch_candidates(meta, examples: int = EXAMPLES) -> tuple[dict, list[dict]]:
    """The counts per ``(section, category)`` of a batch of documents (whole rows of
    ``META``), and its candidates: per category and source, the first ``examples`` items in
    the order ``choose`` uses (one item per document first, then the documents' hash)."""
    import pyarrow.compute as pc

    doc_hash = fnv_hash(meta.column("doc_id"))
    sources = pc.dictionary_encode(_array(pc.fill_null(meta.column("source"), "")))
    src = sources.indices.to_numpy(zero_copy_only=False)
    counts: dict[tuple[str, str], dict] = {}
    found: list[dict] = []
    for section, cats, rows, values, rules, chars in _items(meta):
        if not len(rows):
            continue
        enc = pc.dictionary_encode(_array(pc.fill_null(cats, "")))
        cat, names = enc.indices.to_numpy(zero_copy_only=False), enc.dictionary.to_pylist()
        nth = _group_rank(cat, rows, np.arange(len(rows)))
        docs, n = np.bincount(cat[nth == 0], minlength=len(names)), np.bincount(cat, minlength=len(names))
        total = np.bincount(cat, weights=chars, minlength=len(names)) if section == "edits" else np.zeros(len(names))
        for i, name in enumerate(names):
            counts[(section, name)] = {"docs": int(docs[i]), "n": int(n[i]), "chars": int(total[i])}
        near = np.flatnonzero(nth < examples)  # later items of a document can never be picked
        order = np.argsort(doc_hash[rows[near]], kind="stable")  # the hash's rank, as one sort key with nth
        hash_rank = np.empty(len(near), dtype=np.int64)
        hash_rank[order] = np.arange(len(near))
        turn = _group_rank(cat[near], src[rows[near]], nth[near] * (len(near) + 1) + hash_rank)
        chosen = near[turn < examples]
        a, b, r = (
            _array(values[0]).take(chosen).to_pylist(),
            _array(values[1]).take(chosen).to_pylist(),
            _array(rules).take(chosen).to_pylist(),
        )
        docs_of = meta.select(["doc_id", "input_ref", "title", "source"]).take(rows[chosen]).to_pylist()
        for j, item in enumerate(chosen):
            found.append(
                {
                    "section": section,
                    "category": names[cat[item]],
                    "nth": int(nth[item]),
                    "hash": int(doc_hash[rows[item]]),
                    **docs_of[j],
                    "a": a[j],
                    "b": b[j],
                    "rule": r[j],
                    "chars": int(chars[item]),
                }
            )
    return counts, found


def _candidate_key(c: dict) -> tuple:
    """The order of candidates within a category and source.

    >>> _candidate_key({"nth": 0, "hash": 7, "doc_id": "d", "input_ref": "/a", "a": "x"})
    (0, 7, 'd', '/a', 'x')
    """
    return c["nth"], c["hash"], c["doc_id"] or "", c["input_ref"] or "", c["a"] or ""


def keep_best(best: dict, candidates: list[dict], examples: int = EXAMPLES) -> dict:
    """``best`` (per ``(section, category, source)`` the first ``examples`` candidates) with
    ``candidates`` merged in: batches can be read one at a time."""
    for c in candidates:
        best.setdefault((c["section"], c["category"], c["source"] or ""), []).append(c)
    for key in {(c["section"], c["category"], c["source"] or "") for c in candidates}:
        best[key] = sorted(best[key], key=_candidate_key)[:examples]
    return best


def choose(best: dict, examples: int = EXAMPLES) -> list[dict]:
    """Per category, ``examples`` candidates: the sources in turn (in the order of a hash of
    their name), each giving its next candidate.

    >>> c = lambda src, h: {"section": "edits", "category": "embeds/ad", "source": src, "nth": 0, "hash": h, "doc_id": f"{src}{h}", "input_ref": "", "a": ""}
    >>> best = keep_best({}, [c("big", 1), c("big", 2), c("big", 3), c("small", 9)], 2)
    >>> [p["doc_id"] for p in choose(best, 2)]
    ['big1', 'small9']
    """
    sources = sorted({source for _, _, source in best})
    rank = dict(zip(sources, _md5_rank(sources).tolist()))
    picked = []
    for section, category in sorted({(s, c) for s, c, _ in best}):
        turns = [
            (turn, rank[source], c)
            for (s, cat, source), cands in best.items()
            if (s, cat) == (section, category)
            for turn, c in enumerate(cands)
        ]
        picked += [c for _, _, c in sorted(turns, key=lambda t: (t[0], t[1]))[:examples]]
    return picked


def _bodies(files: list[str], doc_ids: list[str]) -> dict[str, dict]:
    """``raw_text`` of a few documents, by ``input_ref`` (the biggest column: only it is read,
    by DuckDB, which reads as little of it as ``doc_id`` allows)."""
    if not doc_ids:
        return {}
    if _GLOB.search("".join(files)):  # DuckDB would read these paths as globs
        import pyarrow.dataset as ds

        table = ds.dataset(files, format="parquet").to_table(
            columns=["input_ref", "raw_text"], filter=ds.field("doc_id").isin(doc_ids)
        )
        return {r["input_ref"]: r for r in table.to_pylist()}
    import duckdb

    con = duckdb.connect()
    try:
        rows = con.execute(
            "SELECT input_ref, raw_text FROM read_parquet($files) WHERE list_contains($ids, doc_id)",
            {"files": files, "ids": doc_ids},
        ).fetchall()
    finally:
        con.close()
    return {ref: {"raw_text": raw} for ref, raw in rows}


def histogram(values: np.ndarray, edges: tuple) -> list[int]:
    """Counts of ``values`` in ``[edges[i], edges[i+1])``, the last bin open-ended.

    >>> histogram(np.array([0, 10, 300, 40000]), (0, 250, 500))
    [2, 1, 1]
    """
    bins = np.searchsorted(np.asarray(edges), values, side="right") - 1
    return np.bincount(np.clip(bins, 0, len(edges) - 1), minlength=len(edges)).astype(int).tolist()


def audit_run(out: Path, run_id: str, run_date: str, shape: dict | None = None, examples: int = EXAMPLES) -> dict:
    """``{"profile": …, "examples": …}`` of one run, read from its published Parquet;
    ``shape`` (``part_shape`` summed over the parts) completes the profile."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    t0 = time.perf_counter()
    files = run_files(Path(out), run_id, run_date)
    counts: dict = {}
    best: dict = {}
    documents = 0
    # a batch at a time: at a million documents the edits alone would hold a gigabyte
    for batch in ds.dataset(files, format="parquet").to_batches(columns=META, batch_size=20_000) if files else []:
        if batch.num_rows:
            found, candidates = batch_candidates(pa.Table.from_batches([batch]), examples)
            for key, v in found.items():
                total = counts.setdefault(key, {"docs": 0, "n": 0, "chars": 0})
                for k in total:
                    total[k] += v[k]
            keep_best(best, candidates, examples)
            documents += batch.num_rows
    picked = choose(best, examples)
    bodies = _bodies(files, sorted({p["doc_id"] for p in picked}))
    profile = {"documents": documents, **(shape or {}), "categories": tally(counts)}
    profile["seconds"] = round(time.perf_counter() - t0, 4)
    return {"profile": profile, "examples": make_examples(counts, picked, bodies)}


def tally(counts: dict) -> dict:
    """``{section: {category: {docs, n, chars}}}``, categories by documents, most first.

    >>> tally({("edits", "embeds/ad"): {"docs": 1, "n": 2, "chars": 9}})
    {'edits': {'embeds/ad': {'docs': 1, 'n': 2, 'chars': 9}}, 'flags': {}, 'rejected': {}, 'relations': {}}
    """
    found: dict[str, dict] = {s: {} for s in SECTIONS}
    for (section, cat), v in sorted(
        counts.items(), key=lambda kv: (SECTIONS.index(kv[0][0]), -kv[1]["docs"], kv[0][1])
    ):
        found[section][cat] = dict(v)
    return found


def part_shape(docs) -> dict:
    """The distributions of one output part's documents (an Arrow table of ``DOCUMENTS``),
    from the tables in memory when the part is written: summed over parts with ``add_shapes``.

    >>> import pyarrow as pa
    >>> from flows.publish.schema import DOCUMENTS
    >>> rows = [{"status": "clean", "raw_text": "x" * 600, "text": "x" * 300, "language_score": 0.95, "flags": [{"kind": "k"}]},
    ...         {"status": "duplicate", "raw_text": "y", "text": "y"}]
    >>> s = part_shape(pa.Table.from_pylist(rows, schema=DOCUMENTS))
    >>> s["clean"], s["flagged"], s["length_before"][:3], s["length_after"][:3], s["language_scores"][-1]
    (1, 1, [0, 0, 1], [0, 1, 0], 1)
    """
    import pyarrow.compute as pc

    clean = docs.filter(pc.equal(docs.column("status"), "clean"))
    before = pc.fill_null(pc.utf8_length(clean.column("raw_text")), 0).to_numpy(zero_copy_only=False)
    after = pc.fill_null(pc.utf8_length(clean.column("text")), 0).to_numpy(zero_copy_only=False)
    scores = pc.drop_null(clean.column("language_score")).to_numpy()
    flagged = pc.sum(pc.greater(pc.fill_null(pc.list_value_length(clean.column("flags")), 0), 0)).as_py() or 0
    return {
        "clean": clean.num_rows,
        "flagged": int(flagged),
        "chars_before": int(before.sum()),
        "chars_after": int(after.sum()),
        "length_bins": list(LENGTH_BINS),
        "length_before": histogram(before, LENGTH_BINS),
        "length_after": histogram(after, LENGTH_BINS),
        "language_scores": histogram(scores, SCORE_BINS),
    }


def add_shapes(total: dict, shape: dict) -> dict:
    """``total`` plus ``shape``, number by number and bin by bin.

    >>> add_shapes({"clean": 1, "length_bins": [0, 9], "length_before": [1, 0]}, {"clean": 2, "length_bins": [0, 9], "length_before": [0, 3]})
    {'clean': 3, 'length_bins': [0, 9], 'length_before': [1, 3]}
    """
    if not total:
        return dict(shape)
    out = dict(total)
    for k, v in shape.items():
        if k == "length_bins":
            continue
        out[k] = [x + y for x, y in zip(total[k], v)] if isinstance(v, list) else total.get(k, 0) + v
    return out


def make_examples(counts: dict, picked: list[dict], bodies: dict) -> dict:
    """Per section, per category: counts and examples in context (``choose``'s items,
    ``bodies`` by ``input_ref``)."""
    found = {
        section: {cat: {**v, "examples": []} for cat, v in cats.items()} for section, cats in tally(counts).items()
    }
    for p in picked:
        body = bodies.get(p["input_ref"]) or {}
        example = {"doc_id": p["doc_id"], "title": p["title"], "source": p["source"], "rule": p["rule"], "note": None}
        if p["section"] == "edits":
            example.update(edit_example(p["a"] or "", p["b"] or "", body.get("raw_text")))
        elif p["section"] == "flags":
            left, right = words_around(
                body.get("raw_text"), p["a"] or ""
            )  # the sentence as read, if no repair touched it
            example.update(left=left, ops=[["!", shorten(p["a"] or "")]], right=right)
        else:  # a rejected or linked document: its opening words, and why
            first = " ".join((body.get("raw_text") or "").split()[:24])
            example.update(left="", ops=[["=", shorten(first, 160)]], right="")
            share = f" ({p['chars'] / 10:.0f}% of it found there)" if p["chars"] >= 0 else ""
            example["note"] = p["a"] if p["section"] == "rejected" else f"{p['category']} {p['a']}{share}"
        found[p["section"]][p["category"]]["examples"].append(example)
    return found


def rates(profile: dict) -> dict[str, float]:
    """Documents affected per 1,000 documents of the run, per ``section: category``.

    >>> rates({"documents": 200, "categories": {"edits": {"embeds/tweet": {"docs": 4}}}})
    {'edits: embeds/tweet': 20.0}
    """
    n = profile.get("documents") or 0
    return {
        f"{s}: {c}": round(1000 * v["docs"] / n, 3) if n else 0.0
        for s, cats in profile.get("categories", {}).items()
        for c, v in cats.items()
    }


def moved_most(profile: dict, earlier: list[dict], top: int = 5) -> list[dict]:
    """The categories whose rate (``rates``) moved most against the mean of ``earlier``
    runs' profiles: ``[{category, now, before, change}]``, largest change first.

    >>> p = {"documents": 100, "categories": {"edits": {"embeds/ad": {"docs": 9}}}}
    >>> q = {"documents": 100, "categories": {"edits": {"embeds/ad": {"docs": 1}}}}
    >>> moved_most(p, [q])
    [{'category': 'edits: embeds/ad', 'now': 90.0, 'before': 10.0, 'change': 80.0}]
    """
    if not earlier:
        return []
    past = [rates(p) for p in earlier]
    now = rates(profile)
    keys = sorted(set(now).union(*past))
    moves = []
    for k in keys:
        before = sum(r.get(k, 0.0) for r in past) / len(past)
        change = now.get(k, 0.0) - before
        if change:
            moves.append(
                {"category": k, "now": now.get(k, 0.0), "before": round(before, 3), "change": round(change, 3)}
            )
    return sorted(moves, key=lambda m: (-abs(m["change"]), m["category"]))[:top]
