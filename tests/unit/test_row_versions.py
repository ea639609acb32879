"""Row versions: every change a view makes through Rows keeps the row's past (in memory)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projections.engine.rows import Rows
from projections.engine.versions import ensure_versions


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    create_tables(conn)
    yield conn
    conn.close()


def create_tables(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE things (id TEXT PRIMARY KEY, name TEXT, size INTEGER)")
    conn.execute("CREATE INDEX things_by_name ON things (name)")
    conn.execute("CREATE TABLE parts (thing TEXT, part TEXT, PRIMARY KEY (thing, part))")
    ensure_versions(conn)


def versions(conn: sqlite3.Connection, table: str = "things") -> list[tuple[Any, ...]]:
    return sorted(conn.execute(f"SELECT * FROM {table}__versions").fetchall(), key=repr)


def at(rows: Rows, position: int) -> Rows:
    rows.position = position
    return rows


def test_a_new_row_has_one_open_version_from_its_position(conn: sqlite3.Connection) -> None:
    rows = Rows(conn)
    at(rows, 7).put("things", {"id": "a", "name": "one", "size": 1})
    rows.flush()
    assert versions(conn) == [("a", "one", 1, 7, None)]


def test_a_change_in_a_later_batch_closes_the_open_version(conn: sqlite3.Connection) -> None:
    rows = Rows(conn)
    at(rows, 3).put("things", {"id": "a", "name": "one", "size": 1})
    rows.flush()
    rows.forget()
    # only one column named: the version holds the whole row as it became
    at(rows, 9).put("things", {"id": "a", "size": 2})
    rows.flush()
    assert versions(conn) == [("a", "one", 1, 3, 9), ("a", "one", 2, 9, None)]


def test_changes_within_one_event_are_one_version(conn: sqlite3.Connection) -> None:
    rows = Rows(conn)
    at(rows, 5).put("things", {"id": "a", "name": "one", "size": 1})
    rows.put("things", {"id": "a", "size": 2})
    rows.delete("things", "a")
    rows.put("things", {"id": "a", "name": "again", "size": 3})
    rows.flush()
    assert versions(conn) == [("a", "again", 3, 5, None)]


def test_changes_in_different_events_of_a_batch_are_separate_versions(
    conn: sqlite3.Connection,
) -> None:
    conn.execute("INSERT INTO things VALUES ('a', 'one', 1)")
    conn.execute("INSERT INTO things__versions VALUES ('a', 'one', 1, 1, NULL)")
    rows = Rows(conn)
    # three events change the stored row without reading it, then one deletes it
    at(rows, 4).put("things", {"id": "a", "size": 2})
    at(rows, 6).put("things", {"id": "a", "name": "uno"})
    at(rows, 8).put("things", {"id": "a", "size": 3})
    at(rows, 11).delete("things", "a")
    rows.flush()
    assert versions(conn) == [
        ("a", "one", 1, 1, 4),
        ("a", "one", 2, 4, 6),
        ("a", "uno", 2, 6, 8),
        ("a", "uno", 3, 8, 11),
    ]
    assert conn.execute("SELECT count(*) FROM things").fetchone() == (0,)


def test_a_select_between_changes_of_one_event_leaves_one_version(
    conn: sqlite3.Connection,
) -> None:
    rows = Rows(conn)
    at(rows, 2).put("things", {"id": "a", "name": "one", "size": 1})
    rows.flush()
    rows.forget()
    at(rows, 5).put("things", {"id": "a", "size": 2})
    # the handler looks something up: the table is flushed in the middle of the event
    assert rows.select("SELECT size FROM things WHERE id = 'a'") == [{"size": 2}]
    rows.put("things", {"id": "a", "size": 3})
    rows.flush()
    assert versions(conn) == [("a", "one", 1, 2, 5), ("a", "one", 3, 5, None)]


def test_rows_an_execute_changes_get_versions(conn: sqlite3.Connection) -> None:
    rows = Rows(conn)
    at(rows, 1).put("things", {"id": "a", "name": "one", "size": 1})
    rows.put("things", {"id": "b", "name": "two", "size": 2})
    rows.flush()
    rows.forget()
    at(rows, 4).execute("UPDATE things SET size = size * 10 WHERE size > ?", [1])
    at(rows, 6).execute("DELETE FROM things WHERE id = ?", ["a"])
    rows.flush()
    assert versions(conn) == [
        ("a", "one", 1, 1, 6),
        ("b", "two", 2, 1, 4),
        ("b", "two", 20, 4, None),
    ]
    # the temporary triggers are gone once the statement ran
    assert conn.execute(
        "SELECT count(*) FROM temp.sqlite_master WHERE type = 'trigger'"
    ).fetchone() == (0,)


def test_appended_rows_get_versions_too(conn: sqlite3.Connection) -> None:
    rows = Rows(conn)
    at(rows, 3).append("parts", {"thing": "a", "part": "x"})
    at(rows, 4).append("parts", {"thing": "a", "part": "y"})
    rows.flush()
    assert versions(conn, "parts") == [("a", "x", 3, None), ("a", "y", 4, None)]


def test_a_log_table_is_not_changed_in_place(conn: sqlite3.Connection) -> None:
    rows = Rows(conn, logs={"parts"})
    with pytest.raises(ValueError, match="parts is a log"):
        rows.put("parts", {"thing": "a", "part": "x"})
    with pytest.raises(ValueError, match="parts is a log"):
        rows.delete("parts", "a", "x")


def test_version_tables_follow_the_tables_columns_and_indexes(conn: sqlite3.Connection) -> None:
    # a later migration adds a column and an index: the versions get both
    conn.execute("ALTER TABLE things ADD COLUMN colour TEXT")
    conn.execute("CREATE INDEX things_by_colour ON things (colour, size DESC)")
    ensure_versions(conn)
    columns = [c[1] for c in conn.execute("PRAGMA table_info(things__versions)")]
    assert columns == ["id", "name", "size", "valid_from", "valid_to", "colour"]
    indexed = {
        name: [c[2] for c in conn.execute(f"PRAGMA index_info({name})")]
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'things__versions'"
        )
    }
    assert indexed == {
        "things__versions_key": ["id", "valid_from"],
        "things_by_name__versions": ["name", "valid_from"],
        "things_by_colour__versions": ["colour", "size", "valid_from"],
    }


def test_a_table_may_not_use_the_version_columns_names(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE odd (id TEXT PRIMARY KEY, valid_from INTEGER)")
    with pytest.raises(ValueError, match="odd: valid_from and valid_to are the engine's"):
        ensure_versions(conn)


# --- versions never depend on how events were cut into batches ------------------------------

KEYS = ["a", "b", "c"]
change = st.one_of(
    st.tuples(st.just("put"), st.sampled_from(KEYS), st.sampled_from(["name", "size", "all"])),
    st.tuples(st.just("delete"), st.sampled_from(KEYS), st.just("")),
    st.tuples(st.just("get"), st.sampled_from(KEYS), st.just("")),
    st.tuples(st.just("select"), st.sampled_from(KEYS), st.just("")),
    st.tuples(st.just("execute"), st.sampled_from(KEYS), st.just("")),
)
events = st.lists(st.lists(change, min_size=1, max_size=4), min_size=1, max_size=12)


def replay(
    conn: sqlite3.Connection, drawn: list[list[tuple[str, str, str]]], commits: set[int]
) -> None:
    """Apply the events, committing (flush, forget) after those numbered in ``commits``."""
    rows = Rows(conn)
    for number, changes in enumerate(drawn):
        rows.position = 10 * (number + 1)
        for step, (what, key, column) in enumerate(changes):
            value = rows.position + step
            if what == "put":
                row = {"id": key, "name": f"n{value}", "size": value}
                rows.put("things", row if column == "all" else {"id": key, column: row[column]})
            elif what == "delete":
                rows.delete("things", key)
            elif what == "get":
                rows.get("things", key)
            elif what == "select":
                rows.select("SELECT * FROM things WHERE id = ?", [key])
            else:
                rows.execute("UPDATE things SET size = ? WHERE id = ?", [value, key])
        if number in commits:
            rows.flush()
            rows.forget()
    rows.flush()


def expected(drawn: list[list[tuple[str, str, str]]]) -> list[tuple[Any, ...]]:
    """The versions worked out event by event from the rows' states."""
    state: dict[str, dict[str, Any] | None] = {}
    touched: dict[str, list[tuple[int, dict[str, Any] | None]]] = {}
    for number, changes in enumerate(drawn):
        position = 10 * (number + 1)
        for step, (what, key, column) in enumerate(changes):
            value = position + step
            row = state.get(key)
            if what == "put":
                new = {"id": key, "name": f"n{value}", "size": value}
                state[key] = (
                    new
                    if column == "all"
                    else {
                        **(row or {"id": key, "name": None, "size": None}),
                        column: new[column],
                    }
                )
            elif what == "delete":
                state[key] = None
            elif what == "execute" and row is not None:
                state[key] = {**row, "size": value}
            else:
                continue
            history = touched.setdefault(key, [])
            if history and history[-1][0] == position:
                history.pop()
            history.append((position, state[key]))
    found = []
    for history in touched.values():
        ends = [later for later, _ in history[1:]] + [None]
        for (since, row), until in zip(history, ends, strict=True):
            if row is not None:
                found.append((row["id"], row["name"], row["size"], since, until))
    return sorted(found, key=repr)


@settings(max_examples=300, deadline=None)
@given(events, st.sets(st.integers(0, 11)))
def test_versions_are_the_same_however_the_events_were_batched(
    drawn: list[list[tuple[str, str, str]]], commits: set[int]
) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        create_tables(conn)
        replay(conn, drawn, commits)
        assert versions(conn) == expected(drawn)
        # the open versions are the table itself
        assert sorted(conn.execute("SELECT * FROM things").fetchall()) == sorted(
            conn.execute(
                "SELECT id, name, size FROM things__versions WHERE valid_to IS NULL"
            ).fetchall()
        )
    finally:
        conn.close()
