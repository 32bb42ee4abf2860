"""Progress reporting from the flow to whoever listens (the CLI's rich progress bar).

The flow calls ``progress(stage, done, total)``; with no listener registered (a scheduled
deployment run, a test) it does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

_listeners: list[Callable[[str, int, int], None]] = []


def progress(stage: str, done: int, total: int) -> None:
    for listener in list(_listeners):
        listener(stage, done, total)


@contextmanager
def listening(listener: Callable[[str, int, int], None]):
    """Register ``listener`` for the duration of the block."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)
