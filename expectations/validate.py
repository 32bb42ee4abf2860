"""Run Great Expectations suites (JSON files in ``expectations/suites/``) on a batch and
turn the result into a gate.

Each expectation has a GX ``severity``: ``critical`` failures keep the batch out of
``clean/``; ``warning`` failures are reported.  The GX project (validation results, Data
Docs) lives under the run's output folder: ``<output>/gx/``.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

SUITES_DIR = Path(__file__).parent / "suites"
_LOCK = threading.Lock()  # a GX context is not thread-safe


class SuiteError(ValueError):
    """A suite file is malformed, or GX dropped one of its expectations when loading it."""


@dataclass
class Failure:
    expectation: str
    column: str | None
    severity: str
    rows: list[str]  # doc_ids of offending rows (first 20)
    detail: str

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


@lru_cache(maxsize=4)
def get_context(project_root: str):
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="file", project_root_dir=project_root)
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    return ctx


def load_suite(ctx, name: str, suites_dir: Path = SUITES_DIR):
    """Load a suite file into the context; fail if GX dropped any expectation."""
    import great_expectations as gx

    data = read_suite_file(name, suites_dir)
    suite = gx.ExpectationSuite(**data)
    if len(suite.expectations) != len(data["expectations"]):
        raise SuiteError(
            f"suite {name}: {len(data['expectations'])} expectations in the file, "
            f"{len(suite.expectations)} loaded (is a custom expectation not registered?)"
        )
    return ctx.suites.add_or_update(suite)


def validate_frame(df, suite_name: str, gx_root: str | Path, batch_name: str = "batch") -> Outcome:
    """Validate a pandas DataFrame against a suite; the result is stored under ``gx_root``."""
    import great_expectations as gx

    with _LOCK:
        ctx = get_context(str(gx_root))
        suite = load_suite(ctx, suite_name)
        ds = ctx.data_sources.add_or_update_pandas("newsclean")
        try:
            asset = ds.get_asset(suite_name)
        except LookupError:
            asset = ds.add_dataframe_asset(suite_name)
        try:
            bd = asset.get_batch_definition("whole")
        except (LookupError, KeyError):
            bd = asset.add_batch_definition_whole_dataframe("whole")
        vd = ctx.validation_definitions.add_or_update(
            gx.ValidationDefinition(data=bd, suite=suite, name=f"{suite_name}:{batch_name}")
        )
        result = vd.run(
            batch_parameters={"dataframe": df},
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["doc_id"]}
            if "doc_id" in df.columns
            else "SUMMARY",
        )
    failures = []
    for r in result.results:
        if r.success:
            continue
        cfg = r.expectation_config
        res = r.result or {}
        rows = [str(x.get("doc_id")) for x in (res.get("unexpected_index_list") or []) if isinstance(x, dict)][:20]
        if r.exception_info and r.exception_info.get("raised_exception"):
            detail = f"raised: {r.exception_info.get('exception_message')}"
        elif "unexpected_count" in res:
            detail = f"{res.get('unexpected_count')} unexpected of {res.get('element_count')}"
        else:
            detail = f"observed {res.get('observed_value')!r}"
        severity = str(getattr(cfg, "severity", None) or "critical").lower().split(".")[-1]
        failures.append(Failure(cfg.type, cfg.kwargs.get("column"), severity, rows, detail))
    return Outcome(suite_name, not any(f.severity == "critical" for f in failures), len(result.results), failures)
