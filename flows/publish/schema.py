"""Arrow schemas of the public output contract and of the run's staging files.

The output contract (``clean/``, ``rejected/``, ``sentences/``) is public: change it only
on purpose, and document the change in the README.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from cleaners.signatures import SentenceRows

EDIT = pa.struct(
    [
        ("step", pa.string()),
        ("kind", pa.string()),
        ("before", pa.string()),
        ("after", pa.string()),
        ("rule", pa.string()),
    ]
)
FLAG = pa.struct([("kind", pa.string()), ("detail", pa.string()), ("rule", pa.string()), ("confidence", pa.float64())])
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
        ("relation", pa.string()),
        ("overlap_share", pa.float64()),
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
        ("passage_doc_id", pa.string()),
        ("passage_position", pa.int32()),
        ("passage_sentences", pa.int32()),
    ]
)

# What a batch looks like between the per-batch steps and the global steps.
STAGED = pa.schema(
    [f for f in DOCUMENTS if f.name not in ("duplicate_of", "relation", "overlap_share", "repeated_sentence_share")]
    + [
        pa.field("sentences", pa.list_(pa.string())),
        pa.field("sentence_keys", pa.list_(pa.int64())),
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
        if any(isinstance(v, SentenceRows) for v in values):
            columns.append(sentence_rows_array(values, f.type))
        else:
            columns.append(pa.array(values, type=f.type))
        del values
    return pa.Table.from_arrays(columns, schema=schema)


def sentence_rows_array(values: list[SentenceRows | None], type: pa.DataType) -> pa.Array:
    """Documents' ``SentenceRows`` as one Arrow column of ``type``: ``list<list<int64>>``
    (band keys) or ``list<binary>`` (signatures), null where a document or a sentence has
    no row; built from the NumPy arrays without a Python object per value.

    >>> rows = SentenceRows(np.array([True, False]), np.array([[1, 2]]))
    >>> sentence_rows_array([rows, None], pa.list_(pa.list_(pa.int64()))).to_pylist()
    [[[1, 2], None], None]
    >>> sigs = SentenceRows(np.array([False, True]), np.array([[7]], dtype=np.uint32), as_bytes=True)
    >>> sentence_rows_array([None, sigs], pa.list_(pa.binary())).to_pylist()
    [None, [None, b'\\x07\\x00\\x00\\x00']]
    """
    present = [v for v in values if v is not None]
    owned = np.concatenate([v.owned for v in present]) if present else np.zeros(0, dtype=bool)
    rows = np.concatenate([v.rows for v in present]) if present else np.zeros((0, 0), dtype=np.int64)
    width = rows.shape[1] * (rows.itemsize if pa.types.is_binary(type.value_type) else 1)
    inner_offsets = np.zeros(len(owned) + 1, dtype=np.int32)
    np.cumsum(owned * width, out=inner_offsets[1:])
    not_owned = pa.array(~owned)
    if pa.types.is_binary(type.value_type):
        validity = pa.array(owned).buffers()[1]
        inner = pa.Array.from_buffers(
            pa.binary(),
            len(owned),
            [validity, pa.py_buffer(inner_offsets), pa.py_buffer(np.ascontiguousarray(rows).tobytes())],
            null_count=int((~owned).sum()),
        )
    else:
        inner = pa.ListArray.from_arrays(
            pa.array(inner_offsets), pa.array(rows.reshape(-1).astype(np.int64)), mask=not_owned
        )
    doc_offsets = np.zeros(len(values) + 1, dtype=np.int32)
    np.cumsum([len(v) if v is not None else 0 for v in values], out=doc_offsets[1:])
    missing = pa.array([v is None for v in values])
    return pa.ListArray.from_arrays(pa.array(doc_offsets), inner, type=type, mask=missing)


# The cross-run deduplication index (``index/docs``, ``index/sentences``).  Band keys are
# not stored: deduplicate computes them from the signatures (``flows.dedup.band_keys_of``);
# files of earlier versions that hold them (``band_keys``, ``bands``) are read the same way.
INDEX_DOCS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("published", pa.string()),
        ("n", pa.int64()),
        ("exact_hash", pa.string()),
        ("signature", pa.binary()),
    ]
)
INDEX_SENTENCES = pa.schema(
    [
        ("doc_id", pa.string()),
        ("published", pa.string()),
        ("position", pa.int32()),
        ("key", pa.int64()),
        ("signature", pa.binary()),
    ]
)
