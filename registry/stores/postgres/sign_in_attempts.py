"""Failed sign-ins on PostgreSQL, counted once for every node that shares the log.

A client turned away by one node's limit is turned away by all of them: the failures are
rows in the event store's database, next to the password hashes they protect.
"""

from __future__ import annotations

from typing import cast

from registry.stores.postgres import Database

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS failed_sign_ins ("
    " address text NOT NULL, username text NOT NULL, at double precision NOT NULL)",
    "CREATE INDEX IF NOT EXISTS failed_sign_ins_address ON failed_sign_ins (address, at)",
    "CREATE INDEX IF NOT EXISTS failed_sign_ins_at ON failed_sign_ins (at)",
)


class PostgresFailedSignIns:
    def __init__(self, database: Database) -> None:
        self.database = database
        database.create(SCHEMA)

    def recent(self, address: str, since: float) -> list[tuple[str, float]]:
        with self.database.connection() as conn:
            rows = conn.execute(
                "SELECT username, at FROM failed_sign_ins WHERE address = %s AND at > %s"
                " ORDER BY at",
                (address, since),
            ).fetchall()
        return [(cast(str, username), cast(float, at)) for username, at in rows]

    def add(self, address: str, username: str, at: float, forget_before: float) -> None:
        with self.database.transaction() as conn:
            conn.execute("DELETE FROM failed_sign_ins WHERE at <= %s", (forget_before,))
            conn.execute(
                "INSERT INTO failed_sign_ins (address, username, at) VALUES (%s, %s, %s)",
                (address, username, at),
            )

    def clear(self, address: str, username: str) -> None:
        with self.database.connection() as conn:
            conn.execute(
                "DELETE FROM failed_sign_ins WHERE address = %s AND username = %s",
                (address, username),
            )
