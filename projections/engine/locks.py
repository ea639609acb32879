"""The lock files writers of one directory take: a file's for a catch-up, the directory's for
a rebuild.

SQLite's own write lock (``BEGIN IMMEDIATE``) still guards every transaction, so
exactly-once never depends on these: they only spare a process from doing work another
process is doing already.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from registry.private_files import private_file


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created if missing) for the block."""
    with open(private_file(path), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
