"""The SQLite key store: keys and blind-index digests, destroyed without residue."""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from registry.key_store import BlindIndexTaken, SQLiteKeyStore, new_key


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteKeyStore]:
    key_store = SQLiteKeyStore(tmp_path / "var" / "keys.sqlite3")
    yield key_store
    key_store.close()


def test_a_key_is_stored_with_its_digest_and_a_digest_has_one_owner(store: SQLiteKeyStore) -> None:
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


def test_reindexing_moves_a_subject_to_a_new_digest(store: SQLiteKeyStore) -> None:
    subject, other = uuid4(), uuid4()
    store.add(subject, new_key(), "old")
    store.add(other, new_key(), "taken")
    assert store.reindex(subject, "new") == "old"
    assert (store.owner("old"), store.owner("new")) == (None, subject)
    with pytest.raises(BlindIndexTaken):
        store.reindex(subject, "taken")


def test_destroying_a_subject_is_idempotent_and_leaves_others(store: SQLiteKeyStore) -> None:
    gone, kept = uuid4(), uuid4()
    store.add(gone, new_key(), "gone")
    store.add(kept, new_key(), "kept")
    store.destroy(gone)
    store.destroy(gone)
    assert (store.key(gone), store.owner("gone")) == (None, None)
    assert store.key(kept) is not None and store.owner("kept") == kept


def test_the_file_is_private_and_runs_with_secure_delete(store: SQLiteKeyStore) -> None:
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert store._db.execute("PRAGMA secure_delete").fetchone() == (1,)
