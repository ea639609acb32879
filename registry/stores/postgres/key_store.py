"""The key store on PostgreSQL: every node reads, finds and destroys the same keys.

The blind index's uniqueness is the table's primary key, so two nodes registering the same
ID number at once are told apart by the database (the second waits for the first and finds
its row), never by a check made before an insert.

PostgreSQL has no ``secure_delete``: a deleted row stays in its page, and a plain ``VACUUM``
only marks its space free (measured: the key's bytes remain in the page until a later insert
happens to overwrite them). So destruction deletes the rows, then rewrites the tables with
``VACUUM FULL`` outside any transaction, which writes new files without the row and empties
the old ones. What remains after that (the server's WAL and backups) is in
docs/personal-data.md, "Erasure on PostgreSQL".
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast
from uuid import UUID

import psycopg
from psycopg import errors

from registry.stores.key_store import BlindIndexTaken, ErasureResidue
from registry.stores.postgres import Connection, Database

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS subject_keys ("
    " subject_id uuid PRIMARY KEY, key bytea NOT NULL,"
    " created_at timestamptz NOT NULL DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS blind_index ("
    " digest text PRIMARY KEY, subject_id uuid NOT NULL UNIQUE)",
    # the second key finds a subject's rows (a new name, an erasure); declared with the table,
    # so that a node whose role does not own the table still starts
    "CREATE TABLE IF NOT EXISTS name_index ("
    " digest text NOT NULL, subject_id uuid NOT NULL, PRIMARY KEY (digest, subject_id),"
    " UNIQUE (subject_id, digest))",
    "CREATE TABLE IF NOT EXISTS key_store_secrets (name text PRIMARY KEY, value bytea NOT NULL)",
)
# A snapshot taken before the deleting transaction committed keeps the deleted row alive.
# (Autovacuum workers show an xmin but hold back no other vacuum.)
OLDER_SNAPSHOTS = """
SELECT count(*) FROM (
    SELECT backend_xmin AS horizon FROM pg_stat_activity
    WHERE (datname = current_database() OR datname IS NULL) AND pid <> pg_backend_pid()
        AND backend_type <> 'autovacuum worker'
    UNION ALL SELECT xmin FROM pg_replication_slots
    UNION ALL SELECT transaction FROM pg_prepared_xacts WHERE database = current_database()
) AS holders
WHERE horizon IS NOT NULL AND age(horizon) >= age(%s::text::xid)
"""
DIGEST_TAKEN = "blind_index_pkey"


class PostgresKeyStore:
    """Keys in the event store's database; each method is one short transaction."""

    SNAPSHOT_ATTEMPTS = 20
    SNAPSHOT_WAIT = 0.1
    LOCK_TIMEOUT = "2s"

    def __init__(self, database: Database) -> None:
        self.database = database
        database.create(SCHEMA)
        self._hmac_key = self._load_hmac_key()

    def _load_hmac_key(self) -> bytes:
        with self.database.transaction() as conn:
            conn.execute(
                "INSERT INTO key_store_secrets (name, value) VALUES ('blind_index_hmac', %s)"
                " ON CONFLICT (name) DO NOTHING",
                (os.urandom(32),),
            )
            row = conn.execute(
                "SELECT value FROM key_store_secrets WHERE name = 'blind_index_hmac'"
            ).fetchone()
        assert row is not None
        return cast(bytes, row[0])

    def add(self, subject_id: UUID, key: bytes, digest: str) -> None:
        while True:
            try:
                with self.database.transaction() as conn:
                    conn.execute(
                        "INSERT INTO blind_index (digest, subject_id) VALUES (%s, %s)",
                        (digest, subject_id),
                    )
                    conn.execute(
                        "INSERT INTO subject_keys (subject_id, key) VALUES (%s, %s)",
                        (subject_id, key),
                    )
                return
            except errors.UniqueViolation as violation:
                self._raise_if_taken(violation, digest)

    def _raise_if_taken(self, violation: errors.UniqueViolation, digest: str) -> None:
        """Name the digest's owner; return (to try again) if it was destroyed meanwhile."""
        if violation.diag.constraint_name != DIGEST_TAKEN:
            raise violation
        owner = self.owner(digest)
        if owner is not None:
            raise BlindIndexTaken(owner) from None

    def key(self, subject_id: UUID) -> bytes | None:
        with self.database.connection() as conn:
            row = conn.execute(
                "SELECT key FROM subject_keys WHERE subject_id = %s", (subject_id,)
            ).fetchone()
        return cast(bytes, row[0]) if row else None

    def reindex(self, subject_id: UUID, digest: str) -> str | None:
        while True:
            try:
                with self.database.transaction() as conn:
                    row = conn.execute(
                        "SELECT digest FROM blind_index WHERE subject_id = %s FOR UPDATE",
                        (subject_id,),
                    ).fetchone()
                    conn.execute(
                        "INSERT INTO blind_index (digest, subject_id) VALUES (%s, %s)"
                        " ON CONFLICT (subject_id) DO UPDATE SET digest = excluded.digest",
                        (digest, subject_id),
                    )
                return str(row[0]) if row else None
            except errors.UniqueViolation as violation:
                self._raise_if_taken(violation, digest)

    def owner(self, digest: str) -> UUID | None:
        with self.database.connection() as conn:
            row = conn.execute(
                "SELECT subject_id FROM blind_index WHERE digest = %s", (digest,)
            ).fetchone()
        return cast(UUID, row[0]) if row else None

    def digest(self, label: str, value: str) -> str:
        message = f"{label}\x00{value}".encode()
        return hmac.new(self._hmac_key, message, hashlib.sha256).hexdigest()

    def index_name(self, subject_id: UUID, digest: str) -> None:
        with self.database.transaction() as conn:
            conn.execute("DELETE FROM name_index WHERE subject_id = %s", (subject_id,))
            conn.execute(
                "INSERT INTO name_index (digest, subject_id) VALUES (%s, %s)", (digest, subject_id)
            )

    def named(self, digest: str) -> list[UUID]:
        with self.database.connection() as conn:
            rows = conn.execute(
                "SELECT subject_id FROM name_index WHERE digest = %s ORDER BY subject_id",
                (digest,),
            ).fetchall()
        return [cast(UUID, row[0]) for row in rows]

    def destroy(self, subject_id: UUID) -> None:
        """Delete the rows (every node stops decrypting at once), then rewrite the tables.

        Idempotent: a second call deletes nothing and rewrites again, which is how an
        erasure stopped by ``ErasureResidue`` is finished.
        """
        with self.database.transaction() as conn:
            conn.execute("DELETE FROM name_index WHERE subject_id = %s", (subject_id,))
            conn.execute("DELETE FROM blind_index WHERE subject_id = %s", (subject_id,))
            conn.execute("DELETE FROM subject_keys WHERE subject_id = %s", (subject_id,))
            row = conn.execute("SELECT pg_current_xact_id()::text").fetchone()
        assert row is not None
        xid = int(str(row[0])) % 2**32
        with self.database.connection() as conn:
            self._wait_for_older_snapshots(conn, subject_id, xid)
            self._rewrite(conn, subject_id)

    @contextmanager
    def registering(self, digest: str) -> Iterator[None]:
        """A session advisory lock on the digest, on a connection kept for the block: two
        nodes registering one ID number wait for each other, and the server releases the lock
        when a crashed node's connection drops."""
        lock = int.from_bytes(bytes.fromhex(digest[:16]), "big", signed=True)
        with self.database.connection() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (lock,))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (lock,))

    def _wait_for_older_snapshots(self, conn: Connection, subject_id: UUID, xid: int) -> None:
        for _ in range(self.SNAPSHOT_ATTEMPTS):
            row = conn.execute(OLDER_SNAPSHOTS, (str(xid),)).fetchone()
            if row is not None and row[0] == 0:
                return
            time.sleep(self.SNAPSHOT_WAIT)
        raise ErasureResidue(subject_id=str(subject_id), held_by="older_snapshot")

    def _rewrite(self, conn: Connection, subject_id: UUID) -> None:
        """``VACUUM FULL`` the tables; a warning (not their owner: skipped) is a failure."""
        warnings: list[str] = []

        def keep_warning(notice: psycopg.errors.Diagnostic) -> None:
            if notice.severity_nonlocalized == "WARNING":
                warnings.append(notice.message_primary or "")

        conn.add_notice_handler(keep_warning)
        try:
            conn.execute("SELECT set_config('lock_timeout', %s, false)", (self.LOCK_TIMEOUT,))
            conn.execute("VACUUM FULL subject_keys, blind_index, name_index")
        except errors.LockNotAvailable:
            raise ErasureResidue(subject_id=str(subject_id), held_by="table_lock") from None
        finally:
            conn.execute("RESET lock_timeout")
            conn.remove_notice_handler(keep_warning)
        if warnings:
            raise ErasureResidue(subject_id=str(subject_id), held_by="not_owner")

    def close(self) -> None:
        """The connections belong to the shared ``Database``, closed with the application."""
