"""The key store: one AES-256 key per data subject, kept outside the log so it can be destroyed.

Four tables, each a plain key–value shape that maps one-to-one onto PostgreSQL tables::

    subject_keys (subject_id TEXT PRIMARY KEY, key BLOB NOT NULL, created_at TEXT NOT NULL)
    blind_index  (digest TEXT PRIMARY KEY, subject_id TEXT NOT NULL UNIQUE)
    name_index   (digest TEXT, subject_id TEXT, PRIMARY KEY (digest, subject_id))
    secrets      (name TEXT PRIMARY KEY, value BLOB NOT NULL)

``blind_index`` maps a keyed HMAC of an identifier (the ID number) to its subject, which is how
duplicates are found without storing the identifier; the HMAC key is the one row of
``secrets``. ``name_index`` maps the keyed HMAC of a school and a full name to the students
of that school with that name (names are not unique), which is how a school finds its own
students by name without reading anyone's personal data. Destroying a subject deletes its
key and its index rows in one transaction. The SQLite file runs with ``secure_delete``
(freed pages are zeroed) and a truncating WAL checkpoint follows each destruction, so the
deleted bytes survive in no file of the store.

A registration stores the key and the digest before it saves the student's event, holding
``registering(digest)`` from before the one to after the other. The lock dies with its
process, so a registration that finds the digest taken while holding it knows the row's
writer is finished: if the log has no such student, the row is an orphan of a crash
(docs/personal-data.md, "Duplicates").
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.errors import DomainError
from registry.private_files import private_file

SCHEMA = """
CREATE TABLE IF NOT EXISTS subject_keys (
    subject_id TEXT PRIMARY KEY,
    key BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS blind_index (
    digest TEXT PRIMARY KEY,
    subject_id TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS name_index (
    digest TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    PRIMARY KEY (digest, subject_id)
);
CREATE INDEX IF NOT EXISTS name_index_subject ON name_index (subject_id);
CREATE TABLE IF NOT EXISTS secrets (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
"""
CHECKPOINT_ATTEMPTS = 20


class BlindIndexTaken(Exception):
    """Another subject already holds this blind-index digest."""

    def __init__(self, owner: UUID) -> None:
        super().__init__(str(owner))
        self.owner = owner


class ErasureResidue(DomainError):
    """The key is deleted but another process kept the key store busy; run the erasure again."""

    code = "erasure_residue"


class KeyStore(Protocol):
    """What the application needs of a key store; a PostgreSQL table can provide it too."""

    def add(self, subject_id: UUID, key: bytes, digest: str) -> None:
        """Store a new subject's key and blind-index digest; ``BlindIndexTaken`` if in use."""

    def key(self, subject_id: UUID) -> bytes | None:
        """The subject's key, or None once destroyed."""

    def reindex(self, subject_id: UUID, digest: str) -> str | None:
        """Move the subject to a new digest; return the previous one."""

    def owner(self, digest: str) -> UUID | None:
        """The subject holding ``digest``, if any."""

    def digest(self, label: str, value: str) -> str:
        """The keyed HMAC of an identifier; ``label`` keeps kinds of identifier apart."""

    def index_name(self, subject_id: UUID, digest: str) -> None:
        """File the subject under ``digest`` in the name index, in place of any earlier entry."""

    def named(self, digest: str) -> list[UUID]:
        """The subjects filed under ``digest`` in the name index."""

    def destroy(self, subject_id: UUID) -> None:
        """Delete the subject's key and digest so that no copy remains in the store's files."""

    def registering(self, digest: str) -> AbstractContextManager[None]:
        """Hold the right to register ``digest``: one registration at a time, released when
        the block ends or its process dies."""

    def close(self) -> None: ...


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


class SQLiteKeyStore:
    """The key store in its own SQLite file (``var/keys.sqlite3``), readable only by its owner."""

    def __init__(self, path: Path) -> None:
        private_file(path)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
        self._db.execute("PRAGMA secure_delete = ON")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.executescript(SCHEMA)
        self._hmac_key = self._load_hmac_key()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _load_hmac_key(self) -> bytes:
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO secrets (name, value) VALUES ('blind_index_hmac', ?)",
                (os.urandom(32),),
            )
            row = db.execute("SELECT value FROM secrets WHERE name = 'blind_index_hmac'").fetchone()
        return bytes(row[0])

    def add(self, subject_id: UUID, key: bytes, digest: str) -> None:
        with self._transaction() as db:
            row = db.execute(
                "SELECT subject_id FROM blind_index WHERE digest = ?", (digest,)
            ).fetchone()
            if row is not None:
                raise BlindIndexTaken(UUID(row[0]))
            created_at = datetime.now(UTC).isoformat(timespec="seconds")
            db.execute(
                "INSERT INTO subject_keys (subject_id, key, created_at) VALUES (?, ?, ?)",
                (str(subject_id), key, created_at),
            )
            db.execute(
                "INSERT INTO blind_index (digest, subject_id) VALUES (?, ?)",
                (digest, str(subject_id)),
            )

    def key(self, subject_id: UUID) -> bytes | None:
        with self._lock:
            row = self._db.execute(
                "SELECT key FROM subject_keys WHERE subject_id = ?", (str(subject_id),)
            ).fetchone()
        return bytes(row[0]) if row else None

    def reindex(self, subject_id: UUID, digest: str) -> str | None:
        with self._transaction() as db:
            row = db.execute(
                "SELECT subject_id FROM blind_index WHERE digest = ?", (digest,)
            ).fetchone()
            if row is not None and row[0] != str(subject_id):
                raise BlindIndexTaken(UUID(row[0]))
            previous = db.execute(
                "SELECT digest FROM blind_index WHERE subject_id = ?", (str(subject_id),)
            ).fetchone()
            db.execute(
                "INSERT INTO blind_index (digest, subject_id) VALUES (?, ?) "
                "ON CONFLICT (subject_id) DO UPDATE SET digest = excluded.digest",
                (digest, str(subject_id)),
            )
        return str(previous[0]) if previous else None

    def owner(self, digest: str) -> UUID | None:
        with self._lock:
            row = self._db.execute(
                "SELECT subject_id FROM blind_index WHERE digest = ?", (digest,)
            ).fetchone()
        return UUID(row[0]) if row else None

    def digest(self, label: str, value: str) -> str:
        message = f"{label}\x00{value}".encode()
        return hmac.new(self._hmac_key, message, hashlib.sha256).hexdigest()

    def index_name(self, subject_id: UUID, digest: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM name_index WHERE subject_id = ?", (str(subject_id),))
            db.execute(
                "INSERT INTO name_index (digest, subject_id) VALUES (?, ?)",
                (digest, str(subject_id)),
            )

    def named(self, digest: str) -> list[UUID]:
        with self._lock:
            rows = self._db.execute(
                "SELECT subject_id FROM name_index WHERE digest = ? ORDER BY subject_id", (digest,)
            ).fetchall()
        return [UUID(row[0]) for row in rows]

    def destroy(self, subject_id: UUID) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM name_index WHERE subject_id = ?", (str(subject_id),))
            db.execute("DELETE FROM blind_index WHERE subject_id = ?", (str(subject_id),))
            db.execute("DELETE FROM subject_keys WHERE subject_id = ?", (str(subject_id),))
        self._checkpoint(subject_id)

    @contextmanager
    def registering(self, digest: str) -> Iterator[None]:
        """An exclusive ``flock`` on ``keys.sqlite3.registering``, one open file per holder so
        that threads exclude each other too; the kernel drops it when the process dies. One
        lock for every digest: the SQLite log takes one writer at a time anyway."""
        fd = os.open(
            self.path.with_name(self.path.name + ".registering"), os.O_RDWR | os.O_CREAT, 0o600
        )
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _checkpoint(self, subject_id: UUID) -> None:
        """Copy the zeroed pages into the database file and empty the WAL file.

        Until this succeeds, the WAL still holds the page images written when the key was
        stored. A reader in another process can hold the checkpoint back; wait a little.
        """
        for _ in range(CHECKPOINT_ATTEMPTS):
            with self._lock:
                busy, _log, _done = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return
            time.sleep(0.1)
        raise ErasureResidue(subject_id=str(subject_id), path=str(self.path))

    def close(self) -> None:
        with self._lock:
            self._db.close()
