"""Deduplication: signatures to decisions, as DuckDB joins over the staged batches and the index.

``buckets`` (band keys, candidate pairs, verification, clusters) and ``duck`` (the connection)
are the machinery; ``documents`` decides exact, near, contained and overlapping documents;
``sentences`` finds repeated sentences and the passages they form; ``repeated_lines`` finds a
source's recurring lines before the embeds step; ``step`` is the run's dedup step as one call.
``band_sort`` buckets the many short sentence signatures in NumPy.
The names below are the algorithm's interface (``from flows import dedup; dedup.decide(...)``).
"""

from flows.dedup.band_sort import sorted_band_pairs
from flows.dedup.buckets import (
    BAND_ROWS_PER_QUERY,
    BUCKET_CAP,
    UnionFind,
    band_groups,
    band_keys_of,
    bucket_pairs_sql,
    component_roots,
    document_band_keys,
    near_pairs,
    sentence_band_keys,
    signature_matrix,
)
from flows.dedup.documents import MIN_LINK_SENTENCES, PART_ROWS, decide, link_overlaps
from flows.dedup.duck import connect, copy_to_parquet, parquet_list, temp_table
from flows.dedup.sentences import (
    NEAR_SENTENCE_THRESHOLD,
    PASSAGE_MIN_SENTENCES,
    SID_SHIFT,
    document_overlaps,
    sentence_repeats,
    shared_passages,
)

__all__ = [
    "BAND_ROWS_PER_QUERY",
    "BUCKET_CAP",
    "MIN_LINK_SENTENCES",
    "NEAR_SENTENCE_THRESHOLD",
    "PART_ROWS",
    "PASSAGE_MIN_SENTENCES",
    "SID_SHIFT",
    "UnionFind",
    "band_groups",
    "band_keys_of",
    "bucket_pairs_sql",
    "component_roots",
    "connect",
    "copy_to_parquet",
    "decide",
    "document_band_keys",
    "document_overlaps",
    "link_overlaps",
    "near_pairs",
    "parquet_list",
    "sentence_band_keys",
    "sentence_repeats",
    "shared_passages",
    "signature_matrix",
    "sorted_band_pairs",
    "temp_table",
]
