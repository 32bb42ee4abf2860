"""Locality-sensitive bucketing of MinHash signatures: band keys, candidate pairs from a
bucket join (capped, so boilerplate never makes it quadratic), verification and clusters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cleaners.signatures import BANDS, SENTENCE_BANDS, band_keys_rows

if TYPE_CHECKING:
    pass


# An LSH bucket with more members than this is linked as a star (each member with the
# bucket's first) instead of all pairs: thousands of near-identical boilerplate texts
# would otherwise make the candidate join quadratic.
BUCKET_CAP = 64


def band_keys_of(signatures: pa.Array | pa.ChunkedArray, bands: int) -> pa.Array:
    """The LSH band keys of MinHash signature BLOBs, as a list array (NULL for a NULL
    signature): the values the signatures step computed from the same signatures
    (``cleaners.signatures.band_keys_rows``).  The cross-run index stores signatures only and
    gets its band keys from this (38% less index on disk; writing it sorted took twice as long
    with them).

    >>> from cleaners.signatures import minhash, band_keys
    >>> sig = minhash("the talks in moscow were useful said the kremlin on monday")
    >>> band_keys_of(pa.array([sig.tobytes(), None]), BANDS).to_pylist() == [band_keys(sig), None]
    True
    """
    if isinstance(signatures, pa.ChunkedArray):
        signatures = signatures.combine_chunks()
    valid = signatures.is_valid()
    present = signatures.filter(valid) if signatures.null_count else signatures
    keys = band_keys_rows(signature_matrix(present), bands) if len(present) else np.zeros((0, bands), dtype=np.int64)
    counts = np.where(valid.to_numpy(zero_copy_only=False), bands, 0)
    offsets = np.zeros(len(signatures) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    return pa.ListArray.from_arrays(
        pa.array(offsets),
        pa.array(keys.reshape(-1)),
        type=pa.list_(pa.int64()),
        mask=pc.invert(valid) if signatures.null_count else None,
    )


def document_band_keys(signatures: pa.Array) -> pa.Array:
    """SQL ``document_band_keys(signature)``: ``band_keys_of`` a document signature (``BANDS`` keys)."""
    return band_keys_of(signatures, BANDS)


def sentence_band_keys(signatures: pa.Array) -> pa.Array:
    """SQL ``sentence_band_keys(signature)``: ``band_keys_of`` a sentence signature (``SENTENCE_BANDS`` keys)."""
    return band_keys_of(signatures, SENTENCE_BANDS)


class UnionFind:
    """Disjoint sets (path halving); the smaller key becomes the root."""

    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


BAND_ROWS_PER_QUERY = 16_000_000  # band rows (items x bands) bucketed by one query: bounds DuckDB's memory


def bucket_pairs_sql(rows_sql: str, ref: str, exclude: str = "") -> str:
    """Candidate pairs ``(a, b)``, once each, from LSH band rows ``(ref, band, key, ...)``:
    all pairs in buckets of at most ``BUCKET_CAP`` members, a star around the first member
    in larger ones.  ``exclude`` is an extra SQL condition on pairs ``x``/``y`` (e.g. both
    already published)."""
    cond = f"AND NOT ({exclude})" if exclude else ""
    # Bucket sizes by aggregation (spills to disk; a window over every row does not),
    # and only rows of buckets with two or more members go on to the self-join.
    return f"""
        WITH b AS ({rows_sql}),
        buckets AS (SELECT band, key, count(*) AS n, min({ref}) AS first FROM b GROUP BY band, key HAVING count(*) > 1),
        sized AS (SELECT b.*, k.n, k.first FROM b JOIN buckets k USING (band, key)),
        small AS (SELECT * FROM sized WHERE n <= {BUCKET_CAP}),
        big AS (SELECT * FROM sized WHERE n > {BUCKET_CAP})
        SELECT DISTINCT x.{ref} AS a, y.{ref} AS b
        FROM small x JOIN small y ON x.band = y.band AND x.key = y.key AND x.{ref} < y.{ref} {cond}
        UNION
        SELECT DISTINCT x.first AS a, x.{ref} AS b FROM big x JOIN big y ON y.band = x.band AND y.key = x.key AND y.{ref} = x.first
        WHERE x.{ref} <> x.first {cond}
    """


def band_groups(items: int, bands: int, budget: int | None = None) -> list[range]:
    """The LSH bands split into consecutive groups of at most ``budget`` band rows each
    (``items`` rows per band), at least one band a group: all bands in one query for a
    small run, one band per query for a big one (all 16 sentence bands of a million
    documents at once ran DuckDB out of memory).

    >>> band_groups(100, 16), band_groups(3_000_000, 4, budget=8_000_000)
    ([range(0, 16)], [range(0, 2), range(2, 4)])
    """
    size = max(1, min(bands, (budget or BAND_ROWS_PER_QUERY) // max(items, 1)))
    return [range(lo, min(lo + size, bands)) for lo in range(0, bands, size)]


def signature_matrix(blobs: pa.Array) -> np.ndarray:
    """Equal-length signature BLOBs (an Arrow binary array) as a (rows, values) uint32
    matrix, without copying.

    >>> signature_matrix(pa.array([np.arange(3, dtype=np.uint32).tobytes()] * 2)).tolist()
    [[0, 1, 2], [0, 1, 2]]
    """
    if isinstance(blobs, pa.ChunkedArray):
        blobs = blobs.combine_chunks()
    if len(blobs) == 0:
        return np.zeros((0, 0), dtype=np.uint32)
    wide = pa.types.is_large_binary(blobs.type)
    offsets = np.frombuffer(blobs.buffers()[1], dtype=np.int64 if wide else np.int32)[
        blobs.offset : blobs.offset + len(blobs) + 1
    ]
    sizes = np.diff(offsets)
    if blobs.null_count or not (sizes == sizes[0]).all() or sizes[0] % 4:
        raise ValueError("signatures must be non-null BLOBs of one length")
    data = np.frombuffer(blobs.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    return data.view(np.uint32).reshape(len(blobs), int(sizes[0]) // 4)


def near_pairs(
    con, table: str, ref: str, bands_col: str, bands: int, threshold: float, exclude: str = ""
) -> tuple[pa.Array, pa.Array]:
    """Every candidate pair ``(a, b)`` of the ``bands`` LSH bands of ``table``'s rows
    (``ref``, ``prior``, ``bands_col``: the band keys, ``signature``) whose estimated
    Jaccard (share of equal MinHash values) reaches ``threshold``, as two Arrow arrays of
    ``ref`` values.  A group of bands at a time (``band_groups``): its pairs are joined to
    both signatures in DuckDB and compared with NumPy a batch at a time.  A pair found in
    two groups is returned twice."""
    found_a: list[pa.Array] = []
    found_b: list[pa.Array] = []
    items = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    for group in band_groups(items, bands):
        rows = (
            f"SELECT {ref}, prior, unnest(list_slice({bands_col}, {group.start + 1}, {group.stop})) AS key, "
            f"unnest(range({group.start}, {group.stop})) AS band FROM {table}"
        )
        con.execute(f"CREATE OR REPLACE TEMP TABLE cand AS {bucket_pairs_sql(rows, ref, exclude)}")
        reader = con.execute(
            f"""SELECT c.a, c.b, x.signature AS sa, y.signature AS sb FROM cand c
                JOIN {table} x ON x.{ref} = c.a JOIN {table} y ON y.{ref} = c.b"""
        ).fetch_record_batch(200_000)
        for batch in reader:
            if batch.num_rows == 0:
                continue
            sa, sb = signature_matrix(batch.column("sa")), signature_matrix(batch.column("sb"))
            idx = pa.array(np.flatnonzero((sa == sb).mean(axis=1) >= threshold))
            found_a.append(batch.column("a").take(idx))
            found_b.append(batch.column("b").take(idx))
    con.execute("DROP TABLE IF EXISTS cand")
    ref_type = con.execute(f"SELECT {ref} FROM {table} LIMIT 0").fetch_arrow_table().schema.field(0).type
    return (
        pa.concat_arrays(found_a) if found_a else pa.array([], ref_type),
        pa.concat_arrays(found_b) if found_b else pa.array([], ref_type),
    )


def component_roots(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The nodes of the graph with edges ``(a[i], b[i])`` (integers), and for each the
    smallest node of its connected component (what ``UnionFind`` makes the root), with
    SciPy's connected components: millions of edges without a Python loop.

    >>> nodes, roots = component_roots(np.array([5, 9, 2]), np.array([7, 7, 3]))
    >>> nodes.tolist(), roots.tolist()
    ([2, 3, 5, 7, 9], [2, 2, 5, 5, 5])
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    nodes, index = np.unique(np.concatenate([a, b]), return_inverse=True)
    if not len(nodes):
        return nodes, nodes
    m = len(a)
    graph = coo_matrix((np.ones(m, dtype=np.int8), (index[:m], index[m:])), shape=(len(nodes), len(nodes)))
    _, labels = connected_components(graph, directed=False)
    _, first = np.unique(labels, return_index=True)  # nodes are sorted: a label's first node is its smallest
    return nodes, nodes[first][labels]
