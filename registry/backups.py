"""Backups that keep the proof: the log, the stores beside it, the ledger and the checkpoints
as one consistent set, with a manifest (docs/operations.md).

``backup`` holds the log's write lock while it copies, so no command records anything in
between: the set's log, keys, access log, credentials, ledger and checkpoints are of one
moment. Each file is copied with SQLite's online backup (a consistent copy of a live file,
its WAL included) and listed in ``manifest.json`` with its size and SHA-256, beside the log's
length and the latest checkpoint's size. ``check`` reads a set back against its manifest.
The signing key is configuration, not data: it is never in a set.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from registry.config import ConfigurationError, Settings
from registry.private_files import private_file

MANIFEST = "manifest.json"
FORMAT = 1
FILES = (
    "events.sqlite3",
    "keys.sqlite3",
    "access-log.sqlite3",
    "credentials.sqlite3",
    "checkpoints.sqlite3",
    "read/ledger.sqlite3",
)
"""What a set holds, as paths under the data directory; the read models are rebuilt from
the log instead (they are derived, and a rebuild checks what it reads)."""


class BackupError(Exception):
    """A set that cannot be written or used; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    created_at: str
    events: int
    checkpoint: int | None
    files: dict[str, dict[str, object]]

    def text(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "created_at": self.created_at,
                "events": self.events,
                "checkpoint": self.checkpoint,
                "files": self.files,
            },
            indent=2,
            sort_keys=True,
        )


def digest(path: Path) -> str:
    found = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            found.update(block)
    return found.hexdigest()


def backup(settings: Settings, target: Path) -> Manifest:
    """Write one consistent set of the data directory's stores into ``target`` (new/empty)."""
    if settings.uses_postgres:
        raise ConfigurationError(
            "With a PostgreSQL event store, back up the database with pg_dump (docs/operations.md);"
            " `registry backup` copies the embedded SQLite stores."
        )
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: a set is written into a new directory")
    events = settings.data_dir / "events.sqlite3"
    if not events.exists():
        raise BackupError(f"there is no log in {settings.data_dir} to back up")
    (target / "read").mkdir(parents=True, exist_ok=True)
    target.chmod(0o700)
    files: dict[str, dict[str, object]] = {}
    with closing(sqlite3.connect(events, timeout=60, isolation_level=None)) as log:
        log.execute("BEGIN IMMEDIATE")  # no command records anything while the set is taken
        try:
            count = int(log.execute("SELECT count(*) FROM stored_events").fetchone()[0])
            for name in FILES:
                source = settings.data_dir / name
                if not source.exists():
                    continue
                copy = private_file(target / name)
                # from a connection of its own: SQLite copies a live WAL file while the
                # lock above keeps writers out (the backup cannot run inside that transaction)
                with (
                    closing(sqlite3.connect(copy)) as into,
                    closing(sqlite3.connect(source, timeout=60)) as conn,
                ):
                    conn.backup(into)
                    into.execute("PRAGMA journal_mode = DELETE")
                files[name] = {"bytes": copy.stat().st_size, "sha256": digest(copy)}
        finally:
            log.execute("ROLLBACK")
    checkpoint = _latest_checkpoint(target / "checkpoints.sqlite3")
    manifest = Manifest(datetime.now(UTC).isoformat(timespec="seconds"), count, checkpoint, files)
    private_file(target / MANIFEST).write_text(manifest.text() + "\n")
    return manifest


def _latest_checkpoint(path: Path) -> int | None:
    if not path.exists():
        return None
    with closing(sqlite3.connect(path)) as conn:
        try:
            found = conn.execute("SELECT max(size) FROM ledger_checkpoints").fetchone()[0]
            return None if found is None else int(found)
        except sqlite3.OperationalError:
            return None


def read_manifest(source: Path) -> Manifest:
    try:
        raw = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} has no readable {MANIFEST}: is it a backup set?") from error
    if raw.get("format") != FORMAT:
        raise BackupError(f"{source} is a set of another format ({raw.get('format')})")
    return Manifest(raw["created_at"], raw["events"], raw["checkpoint"], raw["files"])


def check(source: Path) -> Manifest:
    """The set's manifest, once every file it lists is there with its size and SHA-256."""
    manifest = read_manifest(source)
    if "events.sqlite3" not in manifest.files:
        raise BackupError(f"{source} holds no log")
    for name, expected in manifest.files.items():
        path = source / name
        if not path.exists():
            raise BackupError(f"{name} is listed in the manifest but missing from {source}")
        if path.stat().st_size != expected["bytes"] or digest(path) != expected["sha256"]:
            raise BackupError(f"{name} in {source} is not the file the manifest lists")
    return manifest


def install(source: Path, data_dir: Path) -> None:
    """Put a checked set in place of the data directory's stores; the read models go, to be
    rebuilt from the restored log (the ledger comes with the set)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    read = data_dir / "read"
    if read.exists():
        shutil.rmtree(read)
    read.mkdir(mode=0o700)
    for name in FILES:
        for suffix in ("", "-wal", "-shm"):
            (data_dir / f"{name}{suffix}").unlink(missing_ok=True)
        if (source / name).exists():
            shutil.copyfile(source / name, private_file(data_dir / name))
