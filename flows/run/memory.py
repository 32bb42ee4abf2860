"""Give freed memory back to the operating system between batches and parts, and keep
the garbage collector from walking what a process loads once (``freeze_loaded_objects``).

CPython and Arrow keep freed memory in their allocators' free lists, so a process's RSS
stays at its high-water mark after a 2,000-document batch or a 20,000-document part is
done.  ``release_memory`` asks both to return what is free: glibc's ``malloc_trim`` and
Arrow's ``release_unused``.  It changes no data; where glibc is absent it does less.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

import pyarrow as pa

_LIBC = None
try:
    _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    _LIBC.malloc_trim  # noqa: B018  (glibc only)
except (OSError, AttributeError):
    _LIBC = None


def release_memory() -> None:
    """Return free memory to the operating system (glibc and Arrow allocators).

    >>> release_memory()
    """
    pa.default_memory_pool().release_unused()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def share_one_allocator() -> None:
    """Make Arrow allocate with the C library's malloc, as CPython's large objects do.

    A worker turns a batch's Python records into an Arrow table: with Arrow's own
    allocator (mimalloc), the memory the records free cannot hold the table, and the
    worker's peak is their sum (measured: 438 MiB for a 2,000-document batch, 338 MiB
    with one allocator).  Call it at process start, before Arrow allocates.

    >>> share_one_allocator(); pa.default_memory_pool().backend_name
    'system'
    """
    pa.set_memory_pool(pa.system_memory_pool())


def freeze_loaded_objects() -> int:
    """Move every object alive now (imported modules, loaded models, compiled rules) out of
    the cyclic garbage collector's scans, for a process that keeps them to its end: its full
    collections then walk only what it allocates later.  Call it once a worker or the CLI
    has loaded what it needs.  Returns how many objects were frozen.

    Measured at 100k documents (``gc.callbacks``, bench/results/run-100k-2026-11-24-293f200-a.md): the collector took 3.7 of
    the flow process's 9.9 CPU s (26 full collections, ~140 ms each, walking everything it
    had imported), ~1.6 s of each batch worker's ~95 and ~1.5 s of each part worker's ~14.

    >>> import gc
    >>> freeze_loaded_objects() >= 0, gc.get_freeze_count() > 0
    (True, True)
    >>> gc.unfreeze()
    """
    gc.collect()  # what is garbage now is freed, not frozen
    gc.freeze()
    return gc.get_freeze_count()
