"""DuckDB plumbing of the dedup step: a connection with bounded memory, Parquet in and out."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pyarrow as pa

from flows.dedup.buckets import document_band_keys, sentence_band_keys
from flows.publish.writers import atomic_path

if TYPE_CHECKING:
    import duckdb


def connect(
    threads: int | None = None, memory_limit: str = "600MB", spill_dir: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with bounded threads (default: one per core) and memory; beyond
    ``memory_limit`` it spills to ``spill_dir`` (the run's staging folder) rather than to
    the working directory.  SQL on it can call ``document_band_keys(signature)`` and
    ``sentence_band_keys(signature)`` (``band_keys_of``)."""
    import duckdb  # here, not at the top: the flow's process imports this module but, with workers, never connects (28 MB)
    import duckdb.sqltypes

    con = duckdb.connect()
    con.execute(
        f"SET threads={int(threads or os.cpu_count() or 1)}; SET memory_limit='{memory_limit}'; SET preserve_insertion_order=false"
    )
    if spill_dir:
        con.execute(f"SET temp_directory='{spill_dir}'")
    for fn in (document_band_keys, sentence_band_keys):
        con.create_function(
            fn.__name__,
            fn,
            [duckdb.sqltypes.BLOB],
            duckdb.list_type(duckdb.sqltypes.BIGINT),
            type="arrow",
            null_handling="special",
        )
    return con


def parquet_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


def copy_to_parquet(con, sql: str, path, metadata: dict[str, str] | None = None) -> None:
    """Write a query's rows to a Parquet file with DuckDB (snappy: signatures do not compress), atomically,
    with ``metadata`` as the file's key-value metadata.
    Row groups of 20,000 rows: DuckDB's writer buffers a row group per thread, and a default
    group (122,880 index sentences with their band keys and signature) took the dedup
    process from 977 to 1,053 MB at 100k documents."""
    kv = ""
    if metadata:
        kv = ", KV_METADATA {" + ", ".join(f"{_quote(k)}: {_quote(v)}" for k, v in metadata.items()) + "}"
    with atomic_path(path) as tmp:
        con.execute(
            f"COPY ({sql}) TO {_quote(str(tmp))} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 20000{kv})"
        )


def _quote(value: str) -> str:
    """A SQL string literal.

    >>> _quote("it's")
    "'it''s'"
    """
    return "'" + value.replace("'", "''") + "'"


def temp_table(con, name: str, table: pa.Table) -> None:
    """Copy an Arrow table into a DuckDB temp table (``executemany`` inserts row by row:
    seconds for tens of thousands of rows)."""
    con.register(f"{name}_arrow", table)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    con.unregister(f"{name}_arrow")


def unless_exact_only(expr: str, exact_only: list[str]) -> str:
    """SQL for ``expr`` over index rows, NULL for rows of the files in ``exact_only`` (read with
    ``filename=true``): their signatures were made with other settings.

    >>> unless_exact_only("signature", [])
    'signature'
    >>> unless_exact_only("signature", ["/o/index/docs/r1.parquet"])
    "CASE WHEN filename IN ('/o/index/docs/r1.parquet') THEN NULL ELSE signature END"
    """
    if not exact_only:
        return expr
    return f"CASE WHEN filename IN ({', '.join(map(_quote, exact_only))}) THEN NULL ELSE {expr} END"
