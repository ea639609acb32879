"""Moving one host's SQLite side stores into the PostgreSQL database of its event store.

Before the stores beside the log had PostgreSQL tables, a host on a PostgreSQL event store
kept its keys, access log and password hashes in SQLite files under its data directory. A node
that finds such files refuses to start (its students would read as unreadable, its users could
not sign in), until ``registry import-side-stores`` copies them here in one transaction and
deletes them: a key file left behind would be a copy that no later erasure reaches.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from registry.config import ConfigurationError, Settings
from registry.stores.postgres import Connection, Database
from registry.stores.postgres.access_log import PostgresAccessLog
from registry.stores.postgres.credentials import PostgresCredentialStore
from registry.stores.postgres.key_store import PostgresKeyStore


def sqlite_side_stores(settings: Settings) -> list[Path]:
    """The SQLite side-store files in the data directory, with their -wal and -shm files."""
    names = (settings.key_store_path, settings.access_log_path, settings.credentials_path)
    return sorted(
        path
        for name in names
        for path in name.parent.glob(f"{name.name}*")
        if path.name in {name.name, f"{name.name}-wal", f"{name.name}-shm"}
    )


def refuse_sqlite_leftovers(settings: Settings) -> None:
    """Stop a node on PostgreSQL that still holds side stores of its own."""
    if any(path.suffix == ".sqlite3" for path in sqlite_side_stores(settings)):
        raise ConfigurationError(
            f"{settings.data_dir} holds SQLite key, access-log or credential files, but the "
            "event store is PostgreSQL: stop every node, then run `registry import-side-stores`"
        )


@dataclass(frozen=True)
class Imported:
    keys: int
    access_log_entries: int
    passwords: int


def import_side_stores(settings: Settings) -> Imported:
    """Copy the SQLite side stores into PostgreSQL (one transaction), then delete the files.

    Refused if PostgreSQL holds keys already: the blind index's digests are keyed with the
    SQLite store's HMAC key, which replaces PostgreSQL's, so the two cannot be mixed.
    """
    if not settings.uses_postgres:
        raise ConfigurationError("REGISTRY_EVENT_STORE is not PostgreSQL: nothing to import into")
    database = Database(settings.event_store)
    try:
        for store in (PostgresKeyStore, PostgresAccessLog, PostgresCredentialStore):
            store(database)  # creates the tables
        with database.transaction() as conn:
            conn.execute(
                "LOCK TABLE subject_keys, blind_index, name_index, key_store_secrets, access_log,"
                " passwords, reset_tokens, ended_sessions IN EXCLUSIVE MODE"
            )
            imported = Imported(
                keys=_import_keys(conn, settings.key_store_path),
                access_log_entries=_import_access_log(conn, settings.access_log_path),
                passwords=_import_credentials(conn, settings.credentials_path),
            )
    finally:
        database.close()
    for path in sqlite_side_stores(settings):
        path.unlink()
    return imported


def _rows(path: Path, query: str) -> Iterator[tuple[object, ...]]:
    if not path.exists():
        return
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        yield from db.execute(query)


def _import_keys(conn: Connection, path: Path) -> int:
    if not path.exists():
        return 0
    held = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM subject_keys) OR EXISTS (SELECT 1 FROM blind_index)"
    ).fetchone()
    if held and held[0]:
        raise ConfigurationError(
            "PostgreSQL holds students' keys already; a SQLite key store cannot be merged into it"
        )
    for name, value in _rows(path, "SELECT name, value FROM secrets"):
        conn.execute(
            "INSERT INTO key_store_secrets (name, value) VALUES (%s, %s)"
            " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )
    keys = [
        (UUID(str(subject_id)), key, datetime.fromisoformat(str(created_at)))
        for subject_id, key, created_at in _rows(
            path, "SELECT subject_id, key, created_at FROM subject_keys"
        )
    ]
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO subject_keys (subject_id, key, created_at) VALUES (%s, %s, %s)", keys
        )
        cursor.executemany(
            "INSERT INTO blind_index (digest, subject_id) VALUES (%s, %s)",
            [
                (digest, UUID(str(subject_id)))
                for digest, subject_id in _rows(path, "SELECT digest, subject_id FROM blind_index")
            ],
        )
        # a key store from before the name index has none to copy
        named = any(_rows(path, "SELECT 1 FROM sqlite_master WHERE name = 'name_index'"))
        cursor.executemany(
            "INSERT INTO name_index (digest, subject_id) VALUES (%s, %s)",
            [
                (digest, UUID(str(subject_id)))
                for digest, subject_id in (
                    _rows(path, "SELECT digest, subject_id FROM name_index") if named else ()
                )
            ],
        )
    return len(keys)


def _import_access_log(conn: Connection, path: Path) -> int:
    """Entries keep their order; they keep their positions too if PostgreSQL has none yet."""
    entries = [
        (
            position,
            datetime.fromisoformat(str(at)),
            reader,
            role,
            UUID(str(party_id)) if party_id else None,
            UUID(str(subject_id)),
            *rest,
        )
        for position, at, reader, role, party_id, subject_id, *rest in _rows(
            path,
            "SELECT position, at, reader, role, party_id, subject_id, purpose, reason, outcome"
            " FROM access_log ORDER BY position",
        )
    ]
    empty = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM access_log)").fetchone()
    with conn.cursor() as cursor:
        if empty and empty[0]:
            cursor.executemany(
                "INSERT INTO access_log (position, at, reader, role, party_id, subject_id,"
                " purpose, reason, outcome) OVERRIDING SYSTEM VALUE"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                entries,
            )
            conn.execute(
                "SELECT setval(pg_get_serial_sequence('access_log', 'position'),"
                " (SELECT coalesce(max(position), 0) + 1 FROM access_log), false)"
            )
        else:
            cursor.executemany(
                "INSERT INTO access_log (at, reader, role, party_id, subject_id, purpose,"
                " reason, outcome) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [entry[1:] for entry in entries],
            )
    return len(entries)


ENDED_SESSIONS_TABLE = "SELECT 1 FROM sqlite_master WHERE name = 'ended_sessions'"


def _import_credentials(conn: Connection, path: Path) -> int:
    """A hash already in PostgreSQL (set through another node) is newer and is kept."""
    passwords = [
        (UUID(str(account_id)), password_hash, datetime.fromtimestamp(float(str(changed_at)), UTC))
        for account_id, password_hash, changed_at in _rows(
            path, "SELECT account_id, hash, changed_at FROM passwords"
        )
    ]
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO passwords (account_id, hash, changed_at) VALUES (%s, %s, %s)"
            " ON CONFLICT (account_id) DO NOTHING",
            passwords,
        )
        cursor.executemany(
            "INSERT INTO reset_tokens (digest, account_id, expires_at) VALUES (%s, %s, %s)"
            " ON CONFLICT (digest) DO NOTHING",
            [
                (digest, UUID(str(account_id)), expires_at)
                for digest, account_id, expires_at in _rows(
                    path, "SELECT digest, account_id, expires_at FROM reset_tokens"
                )
            ],
        )
        # signed-out sessions stay refused; a file older than sign-out records has none
        if any(_rows(path, ENDED_SESSIONS_TABLE)):
            cursor.executemany(
                "INSERT INTO ended_sessions (digest, until) VALUES (%s, %s)"
                " ON CONFLICT (digest) DO NOTHING",
                list(_rows(path, "SELECT digest, until FROM ended_sessions")),
            )
    return len(passwords)
