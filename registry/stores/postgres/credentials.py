"""Password hashes and reset-token digests on PostgreSQL, shared by every node.

An account created, a password changed or a reset link spent through one node holds at once
on the others. A reset token is spent with one ``DELETE … RETURNING``, so the same link
never works twice, even from two nodes at the same moment. A session signed out through one
node is refused by every other at its next request.
"""

from __future__ import annotations

from typing import cast
from uuid import UUID

from registry.stores.postgres import Database

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS passwords ("
    " account_id uuid PRIMARY KEY, hash text NOT NULL,"
    " changed_at timestamptz NOT NULL DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS reset_tokens ("
    " digest text PRIMARY KEY, account_id uuid NOT NULL, expires_at double precision NOT NULL)",
    "CREATE INDEX IF NOT EXISTS reset_tokens_account ON reset_tokens (account_id)",
    "CREATE TABLE IF NOT EXISTS ended_sessions ("
    " digest text PRIMARY KEY, until double precision NOT NULL)",
)


class PostgresCredentialStore:
    def __init__(self, database: Database) -> None:
        self.database = database
        database.create(SCHEMA)

    def password_hash(self, account_id: UUID) -> str | None:
        with self.database.connection() as conn:
            row = conn.execute(
                "SELECT hash FROM passwords WHERE account_id = %s", (account_id,)
            ).fetchone()
        return cast(str, row[0]) if row else None

    def set_password_hash(self, account_id: UUID, password_hash: str) -> None:
        with self.database.transaction() as conn:
            conn.execute(
                "INSERT INTO passwords (account_id, hash) VALUES (%s, %s)"
                " ON CONFLICT (account_id) DO UPDATE SET hash = excluded.hash, changed_at = now()",
                (account_id, password_hash),
            )
            # a new password makes every earlier reset link useless
            conn.execute("DELETE FROM reset_tokens WHERE account_id = %s", (account_id,))

    def add_reset_token(self, account_id: UUID, digest: str, expires_at: float) -> None:
        with self.database.transaction() as conn:
            conn.execute("DELETE FROM reset_tokens WHERE account_id = %s", (account_id,))
            conn.execute(
                "INSERT INTO reset_tokens (digest, account_id, expires_at) VALUES (%s, %s, %s)",
                (digest, account_id, expires_at),
            )

    def reset_token_account(self, digest: str, now: float) -> UUID | None:
        with self.database.connection() as conn:
            row = conn.execute(
                "SELECT account_id FROM reset_tokens WHERE digest = %s AND expires_at > %s",
                (digest, now),
            ).fetchone()
        return cast(UUID, row[0]) if row else None

    def use_reset_token(self, digest: str, now: float) -> UUID | None:
        with self.database.connection() as conn:
            row = conn.execute(
                "DELETE FROM reset_tokens WHERE digest = %s RETURNING account_id, expires_at",
                (digest,),
            ).fetchone()
        if row is None or cast(float, row[1]) <= now:
            return None
        return cast(UUID, row[0])

    def end_session(self, digest: str, until: float, now: float) -> None:
        with self.database.transaction() as conn:
            conn.execute("DELETE FROM ended_sessions WHERE until <= %s", (now,))
            conn.execute(
                "INSERT INTO ended_sessions (digest, until) VALUES (%s, %s)"
                " ON CONFLICT (digest) DO UPDATE"
                " SET until = greatest(ended_sessions.until, excluded.until)",
                (digest, until),
            )

    def session_ended(self, digest: str) -> bool:
        with self.database.connection() as conn:
            row = conn.execute(
                "SELECT 1 FROM ended_sessions WHERE digest = %s", (digest,)
            ).fetchone()
        return row is not None

    def close(self) -> None:
        """The connections belong to the side stores' pool, closed with it."""
