"""How the engine opens a read-model file: live (WAL), read-only, or being built."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from projections.engine.versions import KEY_INDEX, SUFFIX
from registry.private_files import private_file

CACHE_KIB = 65536
CHECKPOINT_PAGES = 65536


def connect(path: Path, *, reading: bool = False, building: bool = False) -> sqlite3.Connection:
    """A connection with explicit transactions only.

    A live file is in WAL mode (readers never wait for the writer). A file being built is
    seen by no one until the pointer names it, and a failed build is never used, so it is
    written without a journal or fsync; ``seal`` makes it a WAL file on disk before it
    goes live.
    """
    if not reading:
        private_file(path)
    conn = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    if building:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        return conn
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    if reading:
        conn.execute("PRAGMA query_only = 1")
    else:
        # checkpoint (and fsync) every 256 MiB of WAL rather than every 4 MiB: a batch with
        # row versions dirties far more than 4 MiB of pages, the same ones again and again
        conn.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
    return conn


def drop_secondary_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the indexes the migrations made (not primary keys); return how to make them again.

    Building an index once over sorted rows is much cheaper than keeping it up to date
    through every insert, so a rebuild loads the rows first. Handlers look rows up by
    primary key, which stays indexed throughout.
    """
    found = [
        (name, sql)
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
        if not name.endswith(SUFFIX + KEY_INDEX)
    ]
    for name, _ in found:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def create_indexes(conn: sqlite3.Connection, indexes: Sequence[str]) -> None:
    """Make again the indexes ``drop_secondary_indexes`` dropped."""
    for sql in indexes:
        conn.execute(sql)


def seal(conn: sqlite3.Connection, path: Path) -> None:
    """Turn a freshly built file into a live one: WAL mode, everything on disk."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
