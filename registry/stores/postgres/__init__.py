"""The stores beside the log on PostgreSQL, in the event store's own database.

When several nodes share one PostgreSQL event store, the stores that live beside the log
(students' keys, the access log, password hashes) must be shared too: a student registered
through one node is read or erased through another, an account made on one signs in on
another. ``Database`` is one small connection pool built from the event store's URL; each
store creates its tables on first use, under an advisory lock so that nodes starting together
do not race on ``CREATE TABLE``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import LiteralString

import psycopg
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool

from registry.config import postgres_env

SCHEMA_LOCK = 0x5EC5_0001  # pg_advisory_xact_lock key held while tables are created
POOL_MAX_SIZE = 4
Connection = psycopg.Connection[TupleRow]


class Database:
    """Connections to the event store's database, in autocommit mode unless in ``transaction``.

    Autocommit matters beyond convenience: an idle connection inside a transaction holds a
    snapshot, and a snapshot older than an erasure keeps the erased row's bytes on disk.
    """

    def __init__(self, url: str) -> None:
        env = postgres_env(url)
        self.schema = env.get("POSTGRES_SCHEMA", "public")
        self.pool: ConnectionPool[Connection] = ConnectionPool(
            kwargs={
                "dbname": env["POSTGRES_DBNAME"],
                "host": env["POSTGRES_HOST"],
                "port": env["POSTGRES_PORT"],
                "user": env["POSTGRES_USER"],
                "password": env["POSTGRES_PASSWORD"],
                "connect_timeout": env["POSTGRES_CONNECT_TIMEOUT"],
                "autocommit": True,
                "options": f"-c search_path={self.schema}",
            },
            min_size=1,
            max_size=POOL_MAX_SIZE,
            timeout=float(env["POSTGRES_CONNECT_TIMEOUT"]),
            open=True,
            name="registry-side-stores",
        )

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A connection in autocommit mode: each statement is its own transaction."""
        with self.pool.connection() as conn:
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self.pool.connection() as conn, conn.transaction():
            yield conn

    def create(self, statements: Iterable[LiteralString]) -> None:
        with self.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            for statement in statements:
                conn.execute(statement)

    def close(self) -> None:
        self.pool.close()
