"""Freed memory handed back to the system."""

from __future__ import annotations

import contextlib
import ctypes
import gc

import pyarrow as pa


def release_memory() -> None:
    """Arrow's pool and the C allocator keep what they freed for reuse, which reads as memory still held (on a
    shared server, or while a large file is read batch by batch)."""
    gc.collect()
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # glibc only
        ctypes.CDLL("libc.so.6").malloc_trim(0)
