"""The key store on both kinds of store: keys and blind-index digests, destroyed without residue.

The behaviour every key store shares runs against the SQLite file and the PostgreSQL tables;
what each does about the bytes left behind is tested per kind.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest

from registry.stores.key_store import (
    BlindIndexTaken,
    ErasureResidue,
    KeyStore,
    SQLiteKeyStore,
    new_key,
)
from registry.stores.postgres import Database
from registry.stores.postgres.key_store import PostgresKeyStore
from tests.integration.postgres_files import database_files


@pytest.fixture
def database(postgres_url: str) -> Iterator[Database]:
    shared = Database(postgres_url)
    yield shared
    shared.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KeyStore]:
    key_store: KeyStore
    if request.param == "sqlite":
        key_store = SQLiteKeyStore(tmp_path / "var" / "keys.sqlite3")
    else:
        key_store = PostgresKeyStore(request.getfixturevalue("database"))
    yield key_store
    key_store.close()


def test_a_key_is_stored_with_its_digest_and_a_digest_has_one_owner(store: KeyStore) -> None:
    first, second, key = uuid4(), uuid4(), new_key()
    store.add(first, key, store.digest("id_number", "510104200703151233"))
    assert store.key(first) == key
    assert store.owner(store.digest("id_number", "510104200703151233")) == first
    with pytest.raises(BlindIndexTaken) as taken:
        store.add(second, new_key(), store.digest("id_number", "510104200703151233"))
    assert taken.value.owner == first
    assert store.key(second) is None


def test_digests_are_keyed_per_store_and_stable_across_reopening(tmp_path: Path) -> None:
    one = SQLiteKeyStore(tmp_path / "one.sqlite3")
    digest = one.digest("id_number", "510104200703151233")
    one.close()
    reopened = SQLiteKeyStore(tmp_path / "one.sqlite3")
    other = SQLiteKeyStore(tmp_path / "other.sqlite3")
    try:
        assert reopened.digest("id_number", "510104200703151233") == digest
        assert other.digest("id_number", "510104200703151233") != digest
        assert reopened.digest("passport", "510104200703151233") != digest
    finally:
        reopened.close()
        other.close()


def test_reindexing_moves_a_subject_to_a_new_digest(store: KeyStore) -> None:
    subject, other = uuid4(), uuid4()
    store.add(subject, new_key(), "old")
    store.add(other, new_key(), "taken")
    assert store.reindex(subject, "new") == "old"
    assert (store.owner("old"), store.owner("new")) == (None, subject)
    with pytest.raises(BlindIndexTaken):
        store.reindex(subject, "taken")


def test_destroying_a_subject_is_idempotent_and_leaves_others(store: KeyStore) -> None:
    gone, kept = uuid4(), uuid4()
    store.add(gone, new_key(), "gone")
    store.add(kept, new_key(), "kept")
    store.destroy(gone)
    store.destroy(gone)
    assert (store.key(gone), store.owner("gone")) == (None, None)
    assert store.key(kept) is not None and store.owner("kept") == kept


def test_the_file_is_private_and_runs_with_secure_delete(tmp_path: Path) -> None:
    store = SQLiteKeyStore(tmp_path / "var" / "keys.sqlite3")
    try:
        assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
        with sqlite3.connect(store.path) as db:
            assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert store._db.execute("PRAGMA secure_delete").fetchone() == (1,)
    finally:
        store.close()


# --- PostgreSQL: one key store for every node ------------------------------------------------


@pytest.mark.postgres
def test_nodes_share_the_hmac_key_and_see_each_others_keys_at_once(postgres_url: str) -> None:
    # construct: two nodes, each with its own connections to one database
    first, second = Database(postgres_url), Database(postgres_url)
    node_a, node_b = PostgresKeyStore(first), PostgresKeyStore(second)
    try:
        subject, key = uuid4(), new_key()
        digest = node_a.digest("id_number", "510104200703151233")
        assert node_b.digest("id_number", "510104200703151233") == digest
        # evolve: node A stores the key
        node_a.add(subject, key, digest)
        assert (node_b.key(subject), node_b.owner(digest)) == (key, subject)
        # query: node B destroys it, and node A can no longer read it
        node_b.destroy(subject)
        assert (node_a.key(subject), node_a.owner(digest)) == (None, None)
    finally:
        first.close()
        second.close()


@pytest.mark.postgres
@pytest.mark.parametrize("other_node_commits", [True, False], ids=["commits", "rolls_back"])
def test_a_digest_being_stored_by_another_node_waits_for_its_outcome(
    postgres_url: str, database: Database, other_node_commits: bool
) -> None:
    store = PostgresKeyStore(database)
    digest = store.digest("id_number", "510104200703151233")
    first, second = uuid4(), uuid4()
    outcome: list[object] = []

    def add_second() -> None:
        try:
            store.add(second, new_key(), digest)
            outcome.append("stored")
        except BlindIndexTaken as taken:
            outcome.append(taken.owner)

    # construct: another node's registration has inserted the digest but not committed
    with psycopg.connect(postgres_url) as other:
        other.execute(
            "INSERT INTO blind_index (digest, subject_id) VALUES (%s, %s)", (digest, first)
        )
        adding = threading.Thread(target=add_second)
        adding.start()
        # evolve: this node's insert waits on the primary key, not on a check made before it
        adding.join(timeout=0.5)
        assert adding.is_alive() and outcome == []
        if other_node_commits:
            other.commit()
        else:
            other.rollback()
    adding.join(timeout=10)
    # query
    if other_node_commits:
        assert outcome == [first]
        assert (store.owner(digest), store.key(second)) == (first, None)
    else:
        assert outcome == ["stored"]
        assert store.owner(digest) == second


def files_holding(conn: psycopg.Connection[tuple[object, ...]], needle: bytes) -> list[str]:
    conn.execute("CHECKPOINT")
    return [path.name for path in database_files(conn) if needle in path.read_bytes()]


@pytest.mark.postgres
def test_destroying_leaves_the_key_and_digest_in_no_file_of_the_database(
    postgres_url: str, database: Database
) -> None:
    # construct: keys for fifty subjects; the one destroyed is the last stored
    store = PostgresKeyStore(database)
    subjects = [(uuid4(), new_key(), os.urandom(16).hex()) for _ in range(50)]
    for subject, key, digest in subjects:
        store.add(subject, key, digest)
    gone, kept = subjects[-1], subjects[0]
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        # (the scan finds what is there)
        assert files_holding(conn, gone[1]) and files_holding(conn, gone[2].encode())
        # evolve
        store.destroy(gone[0])
        # query
        assert files_holding(conn, gone[1]) == []
        assert files_holding(conn, gone[2].encode()) == []
        assert files_holding(conn, kept[1]) and store.key(kept[0]) == kept[1]


@pytest.mark.postgres
def test_an_older_snapshot_stops_the_erasure_until_it_ends(
    postgres_url: str, database: Database
) -> None:
    # construct: a transaction somewhere took its snapshot before the erasure
    store = PostgresKeyStore(database)
    store.SNAPSHOT_ATTEMPTS, store.SNAPSHOT_WAIT = 3, 0.01
    subject, key = uuid4(), new_key()
    store.add(subject, key, "digest")
    with psycopg.connect(postgres_url) as reader:
        reader.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        reader.execute("SELECT count(*) FROM key_store_secrets")
        # evolve: the key is deleted at once, but its bytes cannot be removed yet
        with pytest.raises(ErasureResidue) as residue:
            store.destroy(subject)
        assert residue.value.params == {"subject_id": str(subject), "held_by": "older_snapshot"}
        assert store.key(subject) is None
    # query: once the snapshot is gone, running the erasure again finishes it
    store.destroy(subject)
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        assert files_holding(conn, key) == []


@pytest.mark.postgres
def test_a_table_lock_held_elsewhere_stops_the_erasure_after_the_lock_timeout(
    postgres_url: str, database: Database
) -> None:
    store = PostgresKeyStore(database)
    store.LOCK_TIMEOUT = "100ms"
    subject = uuid4()
    store.add(subject, new_key(), "digest")
    with psycopg.connect(postgres_url) as holder:
        holder.execute("LOCK TABLE subject_keys IN ACCESS SHARE MODE")
        with pytest.raises(ErasureResidue) as residue:
            store.destroy(subject)
        assert residue.value.params == {"subject_id": str(subject), "held_by": "table_lock"}
    assert store.key(subject) is None
    store.destroy(subject)


@pytest.mark.postgres
def test_a_role_that_does_not_own_the_tables_cannot_finish_an_erasure(
    postgres_url: str, database: Database
) -> None:
    # construct: the tables belong to the first role; another role may only read and write them
    store = PostgresKeyStore(database)
    subject = uuid4()
    store.add(subject, new_key(), "digest")
    role = f"node_{uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
        admin.execute(
            f"GRANT ALL ON subject_keys, blind_index, name_index, key_store_secrets TO {role}"
        )
        admin.execute(f"GRANT CREATE ON SCHEMA public TO {role}")
        other = Database(postgres_url.replace("//postgres@", f"//{role}@"))
        try:
            # evolve: PostgreSQL skips its VACUUM with a warning, which is not taken for success
            with pytest.raises(ErasureResidue) as residue:
                PostgresKeyStore(other).destroy(subject)
            assert residue.value.params == {"subject_id": str(subject), "held_by": "not_owner"}
            # query: the key is gone for every node all the same; the owner finishes the job
            assert store.key(subject) is None
            store.destroy(subject)
        finally:
            other.close()
            admin.execute(f"DROP OWNED BY {role}")
            admin.execute(f"DROP ROLE {role}")
