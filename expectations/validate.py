"""Run Great Expectations suites (JSON files in ``expectations/suites/``) and turn the
results into a gate.

Each expectation carries GX's ``severity``: ``critical`` failures gate (the caller keeps
the batch out of ``clean/`` or stops the run); ``warning`` failures are reported.  The GX
project lives under the run's output folder (``<output>/gx/``): validation results are
stored there by a Checkpoint, which also rebuilds Data Docs
(``gx/gx/uncommitted/data_docs/local_site/index.html``: GX keeps its project in a ``gx/`` folder of the root it is given).
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402

import expectations.custom  # noqa: E402,F401  (register custom expectations before any suite loads)
from expectations.data_docs import localize_site  # noqa: E402

SUITES_DIR = Path(__file__).parent / "suites"
PARTIAL_ROWS = 100  # offending rows listed per failed expectation
DOCUMENT_COLUMNS = ["doc_id", "input_ref", "text", "language", "language_score", "status", "reason", "duplicate_of"]
_LOCK = threading.Lock()  # a GX context is not thread-safe


class SuiteError(ValueError):
    """A suite file is malformed, or GX dropped one of its expectations when loading it."""


@dataclass
class Failure:
    expectation: str
    column: str | None
    severity: str
    rows: list[str]  # doc_ids of offending rows (the first PARTIAL_ROWS)
    detail: str
    count: int | None = None  # how many rows failed, when the expectation is per row

    @property
    def rows_complete(self) -> bool:
        """True when ``rows`` names every offending row (so they can be set apart)."""
        return self.count is not None and 0 < self.count == len(self.rows)

    def describe(self) -> str:
        rows = ", ".join(self.rows[:5]) + (" ..." if len(self.rows) > 5 else "")
        col = f" on {self.column}" if self.column else ""
        return f"{self.expectation}{col} [{self.severity}]: {self.detail}" + (f" (rows: {rows})" if rows else "")


@dataclass
class Outcome:
    suite: str
    success: bool  # no critical failure
    evaluated: int
    failures: list[Failure] = field(default_factory=list)
    data_docs: str | None = None
    results: list[list[str]] = field(
        default_factory=list
    )  # stored validation results (ValidationResultIdentifier tuples)

    @property
    def critical(self) -> list[Failure]:
        return [f for f in self.failures if f.severity == "critical"]

    @property
    def warnings(self) -> list[Failure]:
        return [f for f in self.failures if f.severity != "critical"]

    def to_dict(self) -> dict:
        return {
            "suite": self.suite,
            "success": self.success,
            "evaluated": self.evaluated,
            "critical": [f.describe() for f in self.critical],
            "warnings": [f.describe() for f in self.warnings],
            "data_docs": self.data_docs,
        }


def read_suite_file(name: str, suites_dir: Path = SUITES_DIR) -> dict:
    """The suite's JSON as data, checked for the fields GX needs."""
    path = suites_dir / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SuiteError(f"suite {path}: {exc}") from None
    if not isinstance(data.get("expectations"), list) or not data["expectations"]:
        raise SuiteError(f"suite {path}: no expectations")
    for i, exp in enumerate(data["expectations"]):
        if exp.get("severity", "critical") not in ("critical", "warning", "info"):
            raise SuiteError(f"suite {path}: expectation #{i + 1} has severity {exp.get('severity')!r}")
    return data


@lru_cache(maxsize=8)
def get_context(project_root: str):
    """A file-backed GX context rooted at ``project_root`` (progress bars off)."""
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="file", project_root_dir=project_root)
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    return ctx


def load_suite(ctx, name: str, suites_dir: Path = SUITES_DIR):
    """Load a suite file into the context; fail if GX dropped any expectation."""
    data = read_suite_file(name, suites_dir)
    suite = gx.ExpectationSuite(**data)
    if len(suite.expectations) != len(data["expectations"]):
        loaded = {e.expectation_type for e in suite.expectations}
        missing = sorted({e["type"] for e in data["expectations"]} - loaded)
        raise SuiteError(
            f"suite {name}: {len(data['expectations'])} expectations in the file, {len(suite.expectations)} loaded; "
            f"dropped: {missing} (is a custom expectation not registered?)"
        )
    return ctx.suites.add_or_update(suite)


@contextmanager
def _project_lock(project_root: str | Path):
    """Held while a process writes the GX project's configuration (suites, data source,
    checkpoint): part workers validate in parallel, one project folder."""
    root = Path(project_root)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".newsclean.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _checkpoint(ctx, suite_name: str, suite, docs: bool = True):
    from great_expectations.checkpoint import UpdateDataDocsAction

    try:  # add_or_update would replace the data source, dropping the other suites' assets
        ds = ctx.data_sources.get("newsclean")
    except (KeyError, ValueError, LookupError):
        ds = ctx.data_sources.add_pandas("newsclean")
    try:
        asset = ds.get_asset(suite_name)
    except LookupError:
        asset = ds.add_dataframe_asset(suite_name)
    try:
        bd = asset.get_batch_definition("whole")
    except (LookupError, KeyError):
        bd = asset.add_batch_definition_whole_dataframe("whole")
    vd = ctx.validation_definitions.add_or_update(gx.ValidationDefinition(data=bd, suite=suite, name=suite_name))
    return ctx.checkpoints.add_or_update(
        gx.Checkpoint(
            name=suite_name if docs else f"{suite_name}-results",
            validation_definitions=[vd],
            actions=[UpdateDataDocsAction(name="data_docs")] if docs else [],
            # SUMMARY: counts plus the first 20 offending rows; COMPLETE lists every row and
            # cost seconds per 10,000 documents
            result_format={
                "result_format": "SUMMARY",
                "unexpected_index_column_names": ["doc_id"],
                "partial_unexpected_count": PARTIAL_ROWS,
            },
        )
    )


def prepare_results_checkpoints(gx_root: str | Path, suite_names: list[str]) -> None:
    """Save the suites, and a checkpoint without Data Docs for each, in the GX project:
    once per run, before part workers validate with ``validate_frame(..., docs=False)``
    (which only reads them: processes saving the same suite concurrently make GX refuse
    to run with a stale copy)."""
    with _LOCK:
        ctx = get_context(str(gx_root))
        with _project_lock(gx_root):
            for name in suite_names:
                _checkpoint(ctx, name, load_suite(ctx, name), docs=False)


def _stored_checkpoint(ctx, suite_name: str):
    """The Data-Docs-free checkpoint of ``prepare_results_checkpoints``, checked to hold
    every expectation of the suite file (GX drops unknown expectation types silently)."""
    checkpoint = ctx.checkpoints.get(f"{suite_name}-results")
    expected = len(read_suite_file(suite_name)["expectations"])
    loaded = len(checkpoint.validation_definitions[0].suite.expectations)
    if loaded != expected:
        raise SuiteError(f"suite {suite_name}: {expected} expectations in the file, {loaded} in the stored checkpoint")
    return checkpoint


def validate_frame(
    df: pd.DataFrame,
    suite_name: str,
    gx_root: str | Path,
    batch_name: str = "batch",
    parameters: dict | None = None,
    docs: bool = True,
) -> Outcome:
    """Validate a DataFrame against a suite through a Checkpoint; results are stored under
    ``gx_root``, and so are Data Docs unless ``docs`` is False (then build them later for
    many results at once with ``build_docs(gx_root, outcome.results)``: rebuilding the
    site for every part cost as much as validating it)."""
    if "doc_id" not in df.columns:
        df = df.assign(doc_id=[f"row-{i}" for i in range(len(df))])
    with _LOCK:
        ctx = get_context(str(gx_root))
        if docs:
            with _project_lock(gx_root):
                checkpoint = _checkpoint(ctx, suite_name, load_suite(ctx, suite_name))
        else:
            checkpoint = _stored_checkpoint(ctx, suite_name)
        result = checkpoint.run(
            batch_parameters={"dataframe": df},
            expectation_parameters=parameters or {},
            run_id=gx.RunIdentifier(run_name=batch_name),
        )
        site = next(iter(ctx.get_docs_sites_urls() or [{}]), {}).get("site_url") if docs else None
    failures = []
    evaluated = 0
    for vr in result.run_results.values():
        for r in vr.results:
            evaluated += 1
            if r.success:
                continue
            cfg = r.expectation_config
            res = r.result or {}
            found = res.get("unexpected_index_list") or res.get("partial_unexpected_index_list") or []
            rows = [str(x.get("doc_id")) for x in found if isinstance(x, dict)][:PARTIAL_ROWS]
            if r.exception_info and r.exception_info.get("raised_exception"):
                detail = f"raised: {r.exception_info.get('exception_message')}"
            elif "unexpected_count" in res:
                detail = f"{res.get('unexpected_count')} unexpected of {res.get('element_count')}"
            else:
                detail = f"observed {res.get('observed_value')!r}"
            severity = str(getattr(cfg, "severity", None) or "critical").lower().split(".")[-1]
            count = res.get("unexpected_count")
            failures.append(
                Failure(
                    cfg.type,
                    cfg.kwargs.get("column") or cfg.kwargs.get("column_A"),
                    severity,
                    rows,
                    detail,
                    count if isinstance(count, int) else None,
                )
            )
    return Outcome(
        suite_name,
        not any(f.severity == "critical" for f in failures),
        evaluated,
        failures,
        site,
        [list(key.to_tuple()) for key in result.run_results],
    )


def build_docs(gx_root: str | Path, results: list[list[str]]) -> str | None:
    """Build the Data Docs pages of stored validation ``results`` (``Outcome.results``),
    of their suites, and the site's index, once; returns the index page's URL."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    keys = [ValidationResultIdentifier.from_tuple(tuple(r)) for r in results]
    suites = sorted({k.expectation_suite_identifier.name for k in keys})
    with _LOCK:
        ctx = get_context(str(gx_root))
        with _project_lock(gx_root):
            ctx.build_data_docs(resource_identifiers=keys + [ExpectationSuiteIdentifier(name) for name in suites])
            url = next(iter(ctx.get_docs_sites_urls() or [{}]), {}).get("site_url")
            if url and url.startswith("file://"):
                localize_site(Path(unquote(urlparse(url).path)).parent)  # readable offline
        return url


def documents_frame(table, mojibake=None) -> pd.DataFrame:
    """The document columns the suites check, plus computed ones: ``has_mojibake``
    (ftfy's badness heuristic on the text, ``cleaners.quality.has_mojibake``; pass it
    when it is already computed, one value per row) and ``text_chars``."""
    from cleaners.quality import has_mojibake

    df = table.select(DOCUMENT_COLUMNS).to_pandas()
    texts = df["text"].fillna("")
    if mojibake is None:
        df["has_mojibake"] = texts.map(has_mojibake).astype(bool)
    else:
        df["has_mojibake"] = pa.array(mojibake, pa.bool_()).fill_null(False).to_numpy(zero_copy_only=False)
    df["text_chars"] = texts.str.len()
    return df


def run_frame(counts: dict) -> pd.DataFrame:
    """One row describing a run, for the ``run`` suite."""
    read, clean, rejected = counts["read"], counts["clean"], counts["rejected"]
    dup, quarantined = counts["duplicates"], counts["quarantined"]
    return pd.DataFrame(
        [
            {
                "doc_id": "run",
                "records_read": read,
                "clean_plus_rejected": clean + rejected,
                "rejected": rejected,
                "duplicates_plus_quarantined": dup + quarantined,
                "quarantined_share": quarantined / read if read else 0.0,
                "duplicate_share": dup / read if read else 0.0,
            }
        ]
    )
