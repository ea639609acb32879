"""The access log on PostgreSQL: one log of personal-data reads for every node.

Positions are taken under a table lock, so they are committed in the order they are handed
out and an auditor paging with ``after`` never skips an entry committed late by another node.
Times come from the database server's clock, one clock for every node. Triggers refuse
``UPDATE``, ``DELETE`` and ``TRUNCATE``; the code has no path that issues them.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast
from uuid import UUID

from domain.actors import Actor
from registry.clock import local_time
from registry.stores.access_log import AccessEntry, Outcome, Purpose, entries_query
from registry.stores.postgres import Database

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS access_log ("
    " position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " at timestamptz NOT NULL DEFAULT clock_timestamp(),"
    " reader text NOT NULL, role text NOT NULL, party_id uuid, subject_id uuid NOT NULL,"
    " purpose text NOT NULL, reason text NOT NULL, outcome text NOT NULL)",
    "CREATE INDEX IF NOT EXISTS access_log_subject ON access_log (subject_id, position)",
    "CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS"
    " $$ BEGIN RAISE EXCEPTION 'the access log is append-only'; END $$",
    "CREATE OR REPLACE TRIGGER access_log_no_rewrite BEFORE UPDATE OR DELETE ON access_log"
    " FOR EACH ROW EXECUTE FUNCTION access_log_append_only()",
    "CREATE OR REPLACE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log"
    " FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()",
)


class PostgresAccessLog:
    def __init__(self, database: Database) -> None:
        self.database = database
        database.create(SCHEMA)

    def record(
        self, *, reader: Actor, subject_id: UUID, purpose: Purpose, reason: str, outcome: Outcome
    ) -> int:
        with self.database.transaction() as conn:
            conn.execute("LOCK TABLE access_log IN EXCLUSIVE MODE")
            row = conn.execute(
                "INSERT INTO access_log (reader, role, party_id, subject_id, purpose, reason,"
                " outcome) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING position",
                (
                    reader.user_id,
                    reader.role.value,
                    reader.party_id,
                    subject_id,
                    purpose.value,
                    reason,
                    outcome.value,
                ),
            ).fetchone()
        assert row is not None
        return cast(int, row[0])

    def entries(
        self,
        *,
        subject_id: UUID | None = None,
        reader: str | None = None,
        after: int = 0,
        limit: int = 100,
    ) -> list[AccessEntry]:
        query, params = entries_query(
            "%s", subject_id=subject_id, reader=reader, after=after, limit=limit
        )
        with self.database.connection() as conn:
            rows = conn.execute(query, params).fetchall()
        return [
            AccessEntry(
                position=cast(int, row[0]),
                at=local_time(cast(datetime, row[1])),
                reader=cast(str, row[2]),
                role=cast(str, row[3]),
                party_id=str(row[4]) if row[4] is not None else None,
                subject_id=str(row[5]),
                purpose=cast(str, row[6]),
                reason=cast(str, row[7]),
                outcome=cast(str, row[8]),
            )
            for row in rows
        ]

    def close(self) -> None:
        """The connections belong to the shared ``Database``, closed with the application."""
