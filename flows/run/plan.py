"""How a run executes, decided once from its configuration: the task runner and the processes."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class ExecutionPlan:
    """The runner (``default``: Prefect's thread pool with worker processes; ``dask``) and how many
    worker processes the default runner uses (``workers``; 0 in the configuration: one per core).

    >>> from flows.config import Config
    >>> p = ExecutionPlan.of(Config(workers=2))
    >>> p.workers, p.uses_workers, p.holds_in_place
    (2, True, True)
    >>> p = ExecutionPlan.of(Config(runner="dask", workers=2))
    >>> p.workers, p.uses_workers, p.holds_in_place
    (1, False, False)
    """

    runner: str
    workers: int
    dask_address: str = ""
    dask_workers: int = 2

    @classmethod
    def of(cls, config) -> ExecutionPlan:
        if config.runner == "dask":
            return cls("dask", 1, config.dask_address, config.dask_workers)
        return cls("default", config.workers or (os.cpu_count() or 1), config.dask_address, config.dask_workers)

    @property
    def uses_workers(self) -> bool:
        """Whether the per-batch steps and the parts run in worker processes."""
        return self.workers > 1

    @property
    def holds_in_place(self) -> bool:
        """Whether batches stay where they were read (a worker, or the flow's process) and steps
        name them by key: with the default runner. On Dask a task may run on any worker, so the
        records travel with the task results."""
        return self.runner == "default"
