"""The data directory and every file in it are its owner's alone: directories 0700, files
0600, whatever the process's umask. The files hold password hashes, students' keys, the log
and the access log; no other account on the machine has any business reading them.

SQLite gives a database's ``-wal`` and ``-shm`` files the mode of the database itself, so
creating the database file first, private, keeps them private too.
"""

from __future__ import annotations

import os
from pathlib import Path

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600


def _restrict(path: Path, mode: int) -> None:
    # a file another account owns (a shared deployment's choice) is left as it is
    if path.stat().st_mode & 0o777 != mode and path.stat().st_uid == os.geteuid():
        os.chmod(path, mode)


def private_directory(path: Path) -> Path:
    """``path`` as a directory only its owner may enter (created with its parents)."""
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    _restrict(path, DIRECTORY_MODE)
    return path


def private_file(path: Path) -> Path:
    """``path`` as a file only its owner may read, created empty if missing, in a private
    directory."""
    private_directory(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    os.close(descriptor)
    _restrict(path, FILE_MODE)
    return path
