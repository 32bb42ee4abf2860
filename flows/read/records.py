"""Input records: the fields every reader fills, ids derived from where a record came from,
and quarantined records for what cannot be read.
"""

from __future__ import annotations

import hashlib

from flows.read.headers import normalise_date, site_of

META_FIELDS = ("title", "url", "published", "source")


MAX_JSON_DEPTH = 64


def derived_id(ref: str) -> str:
    """A stable document id from where the record came from (its input's identity).

    >>> derived_id("/data/seeds/000.txt")
    'cee30afca1795a8a'
    """
    return hashlib.blake2b(ref.encode("utf-8"), digest_size=8).hexdigest()


def base_record(ref: str, **fields) -> dict:
    """A record with every input column present (``None`` where unknown)."""
    rec = {
        "doc_id": derived_id(ref),
        "source": None,
        "title": None,
        "url": None,
        "published": None,
        "author": None,
        "raw_text": None,
        "input_ref": ref,
        "status": None,
        "reason": None,
    }
    rec.update(fields)
    return rec


def quarantined(ref: str, reason: str, **fields) -> dict:
    """A record that cannot be cleaned: it goes to ``rejected/`` with ``reason``."""
    return base_record(ref, status="quarantined", reason=reason, **fields)


def meta_of(meta: dict) -> dict:
    return {k: meta.get(k) for k in ("title", "url", "published", "author")}


def json_depth(value, limit: int) -> int:
    stack = [(value, 1)]
    deepest = 0
    while stack:
        v, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        if isinstance(v, dict):
            stack.extend((x, d + 1) for x in v.values())
        elif isinstance(v, list):
            stack.extend((x, d + 1) for x in v)
    return deepest


def record_from_mapping(obj, ref: str) -> dict:
    """A record from one JSON object / Parquet row, or a quarantined one with the reason.

    >>> record_from_mapping({"id": 7, "text": "Hello."}, "a.jsonl:1")["doc_id"]
    '7'
    >>> record_from_mapping({"id": 7, "text": 3}, "a.jsonl:1")["reason"]
    'bad_text: text is int, not a string'
    """
    if not isinstance(obj, dict):
        return quarantined(ref, f"bad_record: a JSON {type(obj).__name__}, not an object")
    extra = {}
    raw_id = obj.get("id")
    if raw_id is not None and not isinstance(raw_id, (dict, list)) and str(raw_id).strip():
        extra["doc_id"] = str(raw_id).strip()
    for key in META_FIELDS:
        value = obj.get(key)
        extra[key] = None if value is None or isinstance(value, (dict, list)) else str(value)
    if extra.get("published"):
        extra["published"] = normalise_date(extra["published"])
    if not extra.get("source"):
        extra["source"] = site_of(extra.get("url"))
    text = obj.get("text")
    if text is None:
        return quarantined(ref, "missing_text: no 'text' field", **extra)
    if not isinstance(text, str):
        return quarantined(ref, f"bad_text: text is {type(text).__name__}, not a string", **extra)
    return base_record(ref, raw_text=text, **extra)
