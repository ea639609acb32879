"""The files of the test PostgreSQL server's database, to look for bytes left behind."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest


def database_files(conn: psycopg.Connection[tuple[object, ...]]) -> list[Path]:
    """The files of the test server's database, when this process can read them."""
    row = conn.execute(
        "SELECT current_setting('data_directory'), oid FROM pg_database"
        " WHERE datname = current_database()"
    ).fetchone()
    assert row is not None
    directory = Path(str(row[0])) / "base" / str(row[1])
    if not os.access(directory, os.R_OK | os.X_OK):
        pytest.skip("the PostgreSQL server's files are not readable from the tests")
    return sorted(p for p in directory.iterdir() if p.is_file())
