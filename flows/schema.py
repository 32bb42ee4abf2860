"""Arrow schemas of the public output contract and of the run's staging files.

The output contract (``clean/``, ``rejected/``, ``sentences/``) is public: change it only
on purpose, and document the change in the README.
"""

from __future__ import annotations

import pyarrow as pa

EDIT = pa.struct([("step", pa.string()), ("kind", pa.string()), ("before", pa.string()), ("after", pa.string())])
FLAG = pa.struct([("kind", pa.string()), ("detail", pa.string())])
PARAGRAPH_LANGUAGE = pa.struct([("index", pa.int32()), ("language", pa.string()), ("score", pa.float64())])

DOCUMENTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source", pa.string()),
        ("title", pa.string()),
        ("url", pa.string()),
        ("published", pa.string()),
        ("author", pa.string()),
        ("text", pa.string()),
        ("raw_text", pa.string()),
        ("language", pa.string()),
        ("language_score", pa.float64()),
        ("languages", pa.list_(PARAGRAPH_LANGUAGE)),
        ("status", pa.string()),
        ("reason", pa.string()),
        ("duplicate_of", pa.string()),
        ("repeated_sentence_share", pa.float64()),
        ("edits", pa.list_(EDIT)),
        ("flags", pa.list_(FLAG)),
        ("input_ref", pa.string()),
    ]
)

SENTENCES = pa.schema(
    [
        ("doc_id", pa.string()),
        ("position", pa.int32()),
        ("text", pa.string()),
        ("repeats_doc_id", pa.string()),
        ("repeats_position", pa.int32()),
    ]
)

# What a batch looks like between the per-batch steps and the global steps.
STAGED = pa.schema(
    [f for f in DOCUMENTS if f.name not in ("duplicate_of", "repeated_sentence_share")]
    + [
        pa.field("sentences", pa.list_(pa.string())),
        pa.field("sentence_keys", pa.list_(pa.int64())),
        pa.field("sentence_bands", pa.list_(pa.list_(pa.int64()))),
        pa.field("sentence_sigs", pa.list_(pa.binary())),
        pa.field("exact_hash", pa.string()),
        pa.field("band_keys", pa.list_(pa.int64())),
        pa.field("signature", pa.binary()),
        pa.field("has_mojibake", pa.bool_()),  # for validation, computed in parallel when staged
    ]
)


def records_to_table(records: list[dict], schema: pa.Schema, consume: bool = False) -> pa.Table:
    """Records (dicts) as a table of ``schema``; missing keys become nulls.  With
    ``consume``, each field leaves the records as soon as its column is built, so the
    peak memory is near the larger of the records and the table rather than their sum.

    >>> rows = [{"doc_id": "a", "text": "x"}]
    >>> records_to_table(rows, pa.schema([("doc_id", pa.string())]), consume=True).to_pylist(), rows
    ([{'doc_id': 'a'}], [{'text': 'x'}])
    """
    columns = []
    for f in schema:
        values = [r.pop(f.name, None) for r in records] if consume else [r.get(f.name) for r in records]
        columns.append(pa.array(values, type=f.type))
        del values
    return pa.Table.from_arrays(columns, schema=schema)

# The cross-run deduplication index (``index/docs``, ``index/sentences``).
INDEX_DOCS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("published", pa.string()),
        ("n", pa.int64()),
        ("exact_hash", pa.string()),
        ("band_keys", pa.list_(pa.int64())),
        ("signature", pa.binary()),
    ]
)
INDEX_SENTENCES = pa.schema(
    [
        ("doc_id", pa.string()),
        ("published", pa.string()),
        ("position", pa.int32()),
        ("key", pa.int64()),
        ("bands", pa.list_(pa.int64())),
        ("signature", pa.binary()),
    ]
)
