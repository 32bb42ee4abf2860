"""Where everything lives: the output folder's layout and a run's staging folder, in one place.

The output layout is public (README, "Outputs: the contract"); staging is private to a run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATASETS = ("clean", "rejected", "sentences")
INDEX_KINDS = ("docs", "sentences")


@dataclass(frozen=True)
class OutputLayout:
    """Paths of an output folder.

    >>> out = OutputLayout(Path("/data"))
    >>> out.partition("clean", "20261124T080000-a1b2c3", "2026-11-24").as_posix()
    '/data/clean/run_date=2026-11-24/run_id=20261124T080000-a1b2c3'
    >>> out.index_file("docs", "r1").as_posix(), out.manifest("r1").as_posix(), out.staging("r1").as_posix()
    ('/data/index/docs/run_id=r1.parquet', '/data/runs/r1.json', '/data/.staging/r1')
    """

    root: Path

    def dataset(self, name: str) -> Path:
        return self.root / name

    def partition(self, dataset: str, run_id: str, run_date: str) -> Path:
        """A run's files of one dataset: hive-style ``run_date=/run_id=``."""
        return self.root / dataset / f"run_date={run_date}" / f"run_id={run_id}"

    @property
    def runs(self) -> Path:
        return self.root / "runs"

    def manifest(self, run_id: str) -> Path:
        """The run's manifest: written last, it commits the run."""
        return self.runs / f"{run_id}.json"

    def index_dir(self, kind: str) -> Path:
        return self.root / "index" / kind

    def index_file(self, kind: str, run_id: str) -> Path:
        return self.index_dir(kind) / f"run_id={run_id}.parquet"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def report(self, run_id: str) -> Path:
        return self.reports / f"{run_id}.html"

    @property
    def latest_report(self) -> Path:
        return self.root / "report.html"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def gx_root(self) -> Path:
        """Great Expectations' project root (its file context keeps the project in ``gx/`` under it)."""
        return self.root.resolve() / "gx"

    @property
    def data_docs_index(self) -> Path:
        """The Data Docs site's front page.

        >>> OutputLayout(Path("/data")).data_docs_index.as_posix()
        '/data/gx/gx/uncommitted/data_docs/local_site/index.html'
        """
        return self.gx_root / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"

    @property
    def staging_root(self) -> Path:
        return self.root / ".staging"

    def staging(self, run_id: str) -> Path:
        return self.staging_root / run_id


@dataclass(frozen=True)
class StagingLayout:
    """Paths of one run's staging folder: staged batches, the dedup step's files, output parts.

    >>> st = StagingLayout(Path("/data/.staging/r1"))
    >>> st.batch(3).as_posix(), st.batches_glob, st.index("docs").as_posix()
    ('/data/.staging/r1/batches/batch-000003.parquet', '/data/.staging/r1/batches/*.parquet', '/data/.staging/r1/index-docs.parquet')
    """

    root: Path

    @property
    def batches(self) -> Path:
        return self.root / "batches"

    def batch(self, index: int) -> Path:
        return self.batches / f"batch-{index:06d}.parquet"

    @property
    def batches_glob(self) -> str:
        return str(self.batches / "*.parquet")

    @property
    def out(self) -> Path:
        """Output parts, one folder per dataset, moved into place when the run publishes."""
        return self.root / "out"

    @property
    def spill(self) -> Path:
        """Where DuckDB spills what does not fit in its memory during the dedup step."""
        return self.root / "duckdb-spill"

    def index(self, kind: str) -> Path:
        """The run's index file of ``kind``, moved under ``index/`` when the run publishes."""
        return self.root / f"index-{kind}.parquet"
