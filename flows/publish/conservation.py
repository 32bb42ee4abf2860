"""Every input record of a run appears exactly once in its output: checked on the records'
identities (``input_ref``), not on counts, just before the run commits.

Counts alone miss a record lost where another was doubled; identities do not.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from flows.publish.layout import StagingLayout


def _files(folder: Path) -> str:
    files = sorted(str(p) for p in folder.glob("*.parquet"))
    return "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"


def conservation(staging: Path, examples: int = 5) -> dict:
    """Compare the records read (the staged batches) with those written (the run's
    ``clean`` and ``rejected`` parts, by ``input_ref``): counts of each, and of refs
    missing from the output, written but never read, or written more than once.
    ``ok`` is True only when all three are zero."""
    read_files = sorted(StagingLayout(staging).batches.glob("*.parquet"))
    out = StagingLayout(staging).out
    written_sets = [
        f"SELECT input_ref FROM read_parquet({_files(out / d)})"
        for d in ("clean", "rejected")
        if list((out / d).glob("*.parquet"))
    ]
    con = duckdb.connect()
    try:
        con.execute("SET threads = 1")
        read_sql = (
            f"SELECT input_ref FROM read_parquet({_files(staging / 'batches')})"
            if read_files
            else "SELECT NULL::VARCHAR AS input_ref WHERE false"
        )
        written_sql = " UNION ALL ".join(written_sets) or "SELECT NULL::VARCHAR AS input_ref WHERE false"
        con.execute(f"CREATE TEMP TABLE r AS {read_sql}")
        con.execute(f"CREATE TEMP TABLE w AS {written_sql}")

        def refs(sql: str) -> tuple[int, list[str]]:
            n = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
            return n, [x for (x,) in con.execute(f"SELECT * FROM ({sql}) ORDER BY 1 LIMIT {examples}").fetchall()]

        missing = refs("SELECT input_ref FROM r EXCEPT SELECT input_ref FROM w")
        unexpected = refs("SELECT input_ref FROM w EXCEPT SELECT input_ref FROM r")
        doubled = refs("SELECT input_ref FROM w GROUP BY input_ref HAVING count(*) > 1")
        read_twice = refs("SELECT input_ref FROM r GROUP BY input_ref HAVING count(*) > 1")
        n_read, n_written = (con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("r", "w"))
    finally:
        con.close()
    result = {
        "read": n_read,
        "written": n_written,
        "missing": missing[0],
        "unexpected": unexpected[0],
        "doubled": doubled[0] + read_twice[0],
    }
    result["ok"] = not (missing[0] or unexpected[0] or result["doubled"])
    result["examples"] = {
        k: v[1]
        for k, v in (("missing", missing), ("unexpected", unexpected), ("doubled", doubled), ("read_twice", read_twice))
        if v[0]
    }
    return result
