"""Password hashes, one-time reset tokens and signed-out sessions: the account data outside the log.

The log records that a password changed or a reset link was issued, never a secret. The
store keeps an argon2 hash per account and the SHA-256 of each unused reset token (tokens are
random 256-bit strings, so a fast hash is enough; passwords are not, so they get argon2).
A session signed out on its own leaves the digest of its random id, kept until the cookie
would have expired anyway, so a copy of that cookie is refused; the events that end all of
an account's sessions are in the log (``Account.session_epoch``).
It sits behind ``CredentialStore``: with the SQLite event store it is the SQLite file here;
nodes sharing a PostgreSQL log share ``registry/stores/postgres/credentials.py`` in that database.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Protocol
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.errors import DomainError
from registry.private_files import private_file

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128


class PasswordTooWeak(DomainError):
    """The new password is too short, too long or the same as the username."""

    code = "password_too_weak"


class PasswordIncorrect(DomainError):
    """The current password given is not the account's password."""

    code = "password_incorrect"


class ResetLinkInvalid(DomainError):
    """The password-reset link is unknown, used already or expired."""

    code = "reset_link_invalid"


def check_password(password: str, username: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooWeak(reason="too_short", min_length=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordTooWeak(reason="too_long", max_length=MAX_PASSWORD_LENGTH)
    if password.strip().lower() == username.lower():
        raise PasswordTooWeak(reason="same_as_username")
    return password


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CredentialStore(Protocol):
    """Where hashes live; every method is one short transaction."""

    def password_hash(self, account_id: UUID) -> str | None: ...

    def set_password_hash(self, account_id: UUID, password_hash: str) -> None: ...

    def add_reset_token(self, account_id: UUID, digest: str, expires_at: float) -> None: ...

    def reset_token_account(self, digest: str, now: float) -> UUID | None: ...

    def use_reset_token(self, digest: str, now: float) -> UUID | None: ...

    def end_session(self, digest: str, until: float, now: float) -> None: ...

    def session_ended(self, digest: str) -> bool: ...

    def close(self) -> None: ...


class SQLiteCredentialStore:
    """Credentials in their own SQLite file (never the event store's, never a read model's)."""

    SCHEMA = (
        "CREATE TABLE IF NOT EXISTS passwords ("
        " account_id TEXT PRIMARY KEY, hash TEXT NOT NULL, changed_at REAL NOT NULL)",
        "CREATE TABLE IF NOT EXISTS reset_tokens ("
        " digest TEXT PRIMARY KEY, account_id TEXT NOT NULL, expires_at REAL NOT NULL)",
        "CREATE TABLE IF NOT EXISTS ended_sessions (digest TEXT PRIMARY KEY, until REAL NOT NULL)",
    )

    def __init__(self, path: Path) -> None:
        self.path = path
        self._reader: tuple[int, sqlite3.Connection] | None = None
        self._reader_lock = threading.Lock()
        private_file(path)
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            for statement in self.SCHEMA:
                conn.execute(statement)
        finally:
            conn.close()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection per call: safe across forked server workers, cheap for SQLite."""
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()

    def password_hash(self, account_id: UUID) -> str | None:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT hash FROM passwords WHERE account_id = ?", (str(account_id),)
            ).fetchone()
        return str(row[0]) if row else None

    def set_password_hash(self, account_id: UUID, password_hash: str) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO passwords (account_id, hash, changed_at) VALUES (?, ?, ?)"
                " ON CONFLICT (account_id) DO UPDATE SET hash = excluded.hash,"
                " changed_at = excluded.changed_at",
                (str(account_id), password_hash, time.time()),
            )
            # a new password makes every earlier reset link useless
            conn.execute("DELETE FROM reset_tokens WHERE account_id = ?", (str(account_id),))

    def add_reset_token(self, account_id: UUID, digest: str, expires_at: float) -> None:
        with self._connect() as conn:
            conn.execute("DELETE FROM reset_tokens WHERE account_id = ?", (str(account_id),))
            conn.execute(
                "INSERT INTO reset_tokens (digest, account_id, expires_at) VALUES (?, ?, ?)",
                (digest, str(account_id), expires_at),
            )

    def reset_token_account(self, digest: str, now: float) -> UUID | None:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT account_id FROM reset_tokens WHERE digest = ? AND expires_at > ?",
                (digest, now),
            ).fetchone()
        return UUID(row[0]) if row else None

    def use_reset_token(self, digest: str, now: float) -> UUID | None:
        """Consume a token: the same link never works twice, even from two requests at once."""
        with self._connect() as conn:
            row = conn.execute(
                "DELETE FROM reset_tokens WHERE digest = ? RETURNING account_id, expires_at",
                (digest,),
            ).fetchone()
        if row is None or row[1] <= now:
            return None
        return UUID(row[0])

    def end_session(self, digest: str, until: float, now: float) -> None:
        """Refuse a session until its cookie would expire anyway; forget those past that."""
        with self._connect() as conn:
            conn.execute("DELETE FROM ended_sessions WHERE until <= ?", (now,))
            conn.execute(
                "INSERT INTO ended_sessions (digest, until) VALUES (?, ?)"
                " ON CONFLICT (digest) DO UPDATE SET until = max(until, excluded.until)",
                (digest, until),
            )

    def session_ended(self, digest: str) -> bool:
        """Asked on every request, so read on a connection the process keeps open (opening
        one and reading its schema costs ten times the query); it takes no lock in WAL mode
        and each statement sees every commit made before it."""
        with self._reader_lock:
            if self._reader is None or self._reader[0] != os.getpid():
                conn = sqlite3.connect(
                    self.path, timeout=10, isolation_level=None, check_same_thread=False
                )
                self._reader = (os.getpid(), conn)
            row = (
                self._reader[1]
                .execute("SELECT 1 FROM ended_sessions WHERE digest = ?", (digest,))
                .fetchone()
            )
        return row is not None

    def close(self) -> None:
        with self._reader_lock:
            if self._reader is not None and self._reader[0] == os.getpid():
                self._reader[1].close()
            self._reader = None


class Passwords:
    """Hashing and checking passwords with argon2id, against a credential store."""

    def __init__(self, store: CredentialStore, hasher: PasswordHasher | None = None) -> None:
        self.store = store
        self.hasher = hasher or PasswordHasher()

    @cached_property
    def _dummy(self) -> str:
        return self.hasher.hash(secrets.token_hex(8))

    def set(self, account_id: UUID, password: str) -> None:
        self.store.set_password_hash(account_id, self.hasher.hash(password))

    def verify(self, account_id: UUID, password: str) -> bool:
        """Check a password; an unknown account costs as much time as a wrong password."""
        stored = self.store.password_hash(account_id)
        try:
            self.hasher.verify(stored or self._dummy, password)
        except (VerificationError, InvalidHashError):
            return False
        if stored is None:
            return False
        if self.hasher.check_needs_rehash(stored):
            self.set(account_id, password)
        return True

    def issue_reset_token(self, account_id: UUID, valid_hours: int) -> str:
        token = secrets.token_urlsafe(32)
        self.store.add_reset_token(
            account_id, token_digest(token), time.time() + valid_hours * 3600
        )
        return token

    def reset_token_account(self, token: str) -> UUID | None:
        return self.store.reset_token_account(token_digest(token), time.time())

    def use_reset_token(self, token: str) -> UUID:
        account_id = self.store.use_reset_token(token_digest(token), time.time())
        if account_id is None:
            raise ResetLinkInvalid()
        return account_id

    def end_session(self, session_id: str, until: float) -> None:
        self.store.end_session(token_digest(session_id), until, time.time())

    def session_ended(self, session_id: str) -> bool:
        return self.store.session_ended(token_digest(session_id))
