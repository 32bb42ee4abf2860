"""The per-batch pipeline steps: one function a step, one interface for all.

Each step takes a list of records and the sections of the run configuration it declares
(``@reads``; ``call_step`` gives it only those), changes the records in place, and returns its counters ``{in, changed, flagged, removed, rejected}``.  Records
already rejected (``status`` set) pass through untouched.  The order of steps is
written once, in ``BATCH_STEPS``.
"""

from __future__ import annotations

from collections.abc import Callable

from cleaners.boilerplate import prose_words
from cleaners.embeds import load_rules, strip_embeds
from cleaners.encoding import clean_field, repair_encoding
from cleaners.language import UNDETERMINED, detect_document
from cleaners.layout import repair_layout
from cleaners.markup import remove_markup
from cleaners.sentences import split_and_find_broken
from cleaners.signatures import batch_signatures
from flows.config import Config

Counts = dict


def reads(*sections: str):
    """Declare the configuration sections a step reads: it is given only those (``Config.view``)."""

    def mark(fn):
        fn.sections = sections
        return fn

    return mark


def call_step(fn, records: list[dict], config: Config) -> Counts:
    """Run a step on ``records`` with the sections of ``config`` it declared."""
    return fn(records, config.view(*fn.sections))


def new_counts() -> Counts:
    return {"in": 0, "changed": 0, "flagged": 0, "removed": 0, "rejected": 0}


def _active(records: list[dict]):
    return (r for r in records if r["status"] is None)


def _reject(rec: dict, reason: str, counts: Counts) -> None:
    rec["status"], rec["reason"] = "quarantined", reason
    counts["rejected"] += 1


METADATA = ("title", "author", "source", "url", "published")


def clean_metadata(rec: dict) -> list:
    """Control characters and line breaks out of the record's metadata fields; their edits."""
    edits: list = []
    for name in METADATA:
        if rec.get(name) is not None:
            rec[name] = clean_field(name, rec[name], edits)
    return edits


@reads("read", "repair")
def repair_step(records: list[dict], config: Config) -> Counts:
    """Encoding and layout repair: ``raw_text`` -> ``text`` with edits."""
    counts = new_counts()
    for rec in _active(records):
        counts["in"] += 1
        rec.setdefault("edits", [])
        rec.setdefault("flags", [])
        raw = rec["raw_text"]
        if len(raw) > config.max_chars:
            rec["text"] = None
            _reject(rec, f"too_long: {len(raw)} characters > max_chars {config.max_chars}", counts)
            continue
        edits = clean_metadata(rec)
        text = remove_markup(raw, edits)
        text, encoding_edits = repair_encoding(text)
        edits.extend(encoding_edits)
        text, layout_edits = repair_layout(text, config.dehyphenate_language)
        edits.extend(layout_edits)
        rec["text"] = text
        rec["edits"].extend(edits)
        counts["changed"] += bool(edits)
        if not text.strip():
            _reject(rec, "empty: no text after repair", counts)
    return counts


@reads("embeds")
def embeds_step(records: list[dict], config: Config) -> Counts:
    """Strip embedded social media posts and boilerplate; reject what is not an article."""
    counts = new_counts()
    rules = load_rules(config.embed_rules) if config.embed_rules else load_rules()
    for rec in _active(records):
        counts["in"] += 1
        text, edits = strip_embeds(
            rec["text"],
            rules,
            rec.get("title"),
            source=rec.get("source"),
            repeated=rec.get("repeated_lines") or frozenset(),
        )
        rec["text"] = text
        rec["edits"].extend(edits)
        counts["changed"] += bool(edits)
        counts["removed"] += len(edits)
        if not text.strip():
            _reject(rec, "empty: nothing left after stripping embeds", counts)
        elif config.min_prose_words and (prose := prose_words(text.split("\n\n"))) < config.min_prose_words:
            _reject(
                rec,
                f"not_article: {prose} words of prose after stripping embeds (min_prose_words {config.min_prose_words})",
                counts,
            )
    return counts


@reads("repair")
def sentences_step(records: list[dict], config: Config) -> Counts:
    """Split sentences and flag (or drop) broken ones."""
    counts = new_counts()
    for rec in _active(records):
        counts["in"] += 1
        text, edits, flags, sentences = split_and_find_broken(
            rec["text"], config.broken_sentences, config.broken_sentences_min_confidence
        )
        rec["text"] = text
        rec["edits"].extend(edits)
        rec["flags"].extend(flags)
        counts["changed"] += bool(edits)
        counts["removed"] += len(edits)
        counts["flagged"] += bool(flags)
        rec["sentences"] = sentences
        if not text.strip():
            _reject(rec, "empty: nothing left after dropping broken sentences", counts)
    return counts


@reads("language")
def language_step(records: list[dict], config: Config) -> Counts:
    """Detect the document language and each paragraph's; reject languages the run
    does not accept."""
    counts = new_counts()
    for rec in records:
        rec.setdefault("language", None)
        rec.setdefault("language_score", None)
        rec.setdefault("languages", None)
    for rec in _active(records):
        counts["in"] += 1
        found = detect_document(rec["text"], backend=config.language_backend)
        rec["language"], rec["language_score"] = found["language"], found["score"]
        rec["languages"] = found["paragraphs"]
        lang = found["language"]
        if config.languages and lang not in config.languages:
            _reject(rec, f"language: {lang} is not in the accepted languages {list(config.languages)}", counts)
        elif lang == UNDETERMINED:
            counts["flagged"] += 1
    return counts


@reads()
def signatures_step(records: list[dict], config: Config) -> Counts:
    """Exact hash, MinHash signature and band keys of each document; exact key and MinHash
    signature of each sentence.  Sentence band keys are not kept: deduplicate computes them
    from the signatures, for the sentences it buckets (``flows.dedup.sorted_band_pairs``),
    which saves staging 16 keys of every sentence."""
    counts = new_counts()
    for rec in records:
        rec.setdefault("exact_hash", None)
        rec.setdefault("band_keys", None)
        rec.setdefault("signature", None)
        rec.setdefault("sentence_keys", None)
        rec.setdefault("sentence_sigs", None)
    active = list(_active(records))
    counts["in"] += len(active)
    found = batch_signatures([rec["text"] for rec in active], [rec["sentences"] for rec in active])
    for rec, values in zip(active, found):
        rec["exact_hash"], rec["band_keys"], rec["signature"], rec["sentence_keys"], rec["sentence_sigs"] = values
    return counts


BATCH_STEPS: tuple[tuple[str, Callable[[list[dict], Config], Counts]], ...] = (
    ("repair", repair_step),
    ("embeds", embeds_step),
    ("sentences", sentences_step),
    ("language", language_step),
    ("signatures", signatures_step),
)
