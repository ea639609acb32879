"""The write-behind rows a view writes in one transaction (in-memory SQLite, no files)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from projections.engine.rows import Rows, json_text


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE things (id TEXT PRIMARY KEY, name TEXT, size INTEGER)")
    conn.execute("CREATE TABLE parts (thing TEXT, part TEXT, PRIMARY KEY (thing, part))")
    conn.execute("CREATE TABLE log (n INTEGER, what TEXT)")
    yield conn
    conn.close()


def test_get_sees_rows_put_before_they_are_written(conn: sqlite3.Connection) -> None:
    rows = Rows(conn)
    rows.put("things", {"id": "a", "name": "one", "size": 1})
    assert rows.get("things", "a") == {"id": "a", "name": "one", "size": 1}
    assert conn.execute("SELECT count(*) FROM things").fetchone() == (0,)
    rows.flush()
    assert conn.execute("SELECT * FROM things").fetchall() == [("a", "one", 1)]


def test_putting_some_columns_changes_only_those(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO things VALUES ('a', 'one', 1)")
    rows = Rows(conn)
    rows.put("things", {"id": "a", "size": 2})
    # reading the partly known row merges the stored columns with the change
    assert rows.get("things", "a") == {"id": "a", "name": "one", "size": 2}
    rows.put("things", {"id": "a", "name": "uno"})
    rows.flush()
    assert conn.execute("SELECT * FROM things").fetchall() == [("a", "uno", 2)]


def test_a_new_row_put_with_some_columns_reads_the_others_as_null(
    conn: sqlite3.Connection,
) -> None:
    rows = Rows(conn)
    rows.put("things", {"id": "b", "size": 3})
    # not in the table yet: the columns nobody set read as NULL, not as missing keys
    assert rows.get("things", "b") == {"id": "b", "name": None, "size": 3}
    rows.flush()
    assert conn.execute("SELECT * FROM things").fetchall() == [("b", None, 3)]


def test_many_changes_to_one_row_are_one_write(conn: sqlite3.Connection) -> None:
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    rows = Rows(conn)
    for size in range(5):
        rows.put("things", {"id": "a", "name": "one", "size": size})
    statements.clear()
    rows.flush()
    assert [s for s in statements if s.startswith("INSERT")] == [
        'INSERT INTO "things" ("id", "name", "size") VALUES (\'a\', \'one\', 4) ON CONFLICT '
        '("id") DO UPDATE SET "name" = excluded."name", "size" = excluded."size"'
    ]


def test_delete_then_put_again_keeps_the_last(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO parts VALUES ('a', 'x'), ('a', 'y')")
    rows = Rows(conn)
    rows.delete("parts", "a", "x")
    rows.delete("parts", "a", "y")
    rows.put("parts", {"thing": "a", "part": "y"})
    assert rows.get("parts", "a", "x") is None
    rows.flush()
    assert conn.execute("SELECT * FROM parts").fetchall() == [("a", "y")]


def test_a_row_deleted_and_put_again_keeps_nothing_of_the_old_one(
    conn: sqlite3.Connection,
) -> None:
    conn.execute("INSERT INTO things VALUES ('a', 'one', 1)")
    rows = Rows(conn)
    rows.get("things", "a")
    rows.delete("things", "a")
    rows.put("things", {"id": "a", "name": "new"})
    rows.flush()
    assert conn.execute("SELECT * FROM things").fetchall() == [("a", "new", None)]


def test_select_and_execute_see_buffered_rows(conn: sqlite3.Connection) -> None:
    rows = Rows(conn)
    rows.put("things", {"id": "a", "name": "one", "size": 1})
    rows.append("log", {"n": 1, "what": json_text(["数控", 1])})
    assert rows.select("SELECT count(*) AS n FROM things") == [{"n": 1}]
    rows.execute("UPDATE things SET size = size + 1")
    # the statement changed rows behind the cache: reads go to the database again
    assert rows.get("things", "a") == {"id": "a", "name": "one", "size": 2}
    assert rows.select("SELECT what FROM log") == [{"what": '["数控",1]'}]


def test_a_select_flushes_only_the_tables_it_reads(conn: sqlite3.Connection) -> None:
    rows = Rows(conn)
    rows.put("things", {"id": "a", "name": "one", "size": 1})
    rows.put("parts", {"thing": "a", "part": "x"})
    # a lookup in one table leaves the other table's rows buffered for the batch's end
    assert rows.select("SELECT count(*) AS n FROM parts WHERE thing = ?", ["a"]) == [{"n": 1}]
    assert conn.execute("SELECT count(*) FROM things").fetchone() == (0,)
    rows.flush()
    assert conn.execute("SELECT count(*) FROM things").fetchone() == (1,)


def test_forget_drops_what_was_not_flushed(conn: sqlite3.Connection) -> None:
    rows = Rows(conn)
    rows.put("things", {"id": "a", "name": "one", "size": 1})
    rows.append("log", {"n": 1, "what": "x"})
    rows.forget()
    rows.flush()
    assert conn.execute("SELECT count(*) FROM things").fetchone() == (0,)
    assert rows.get("things", "a") is None


def test_a_value_sqlite_cannot_store_names_the_table(conn: sqlite3.Connection) -> None:
    rows = Rows(conn)
    rows.append("log", {"n": 1, "what": ["not", "json", "text"]})
    with pytest.raises(sqlite3.ProgrammingError) as raised:
        rows.flush()
    assert "writing log" in "\n".join(raised.value.__notes__)


def test_unknown_table_is_refused(conn: sqlite3.Connection) -> None:
    with pytest.raises(LookupError, match="no table 'nothing'"):
        Rows(conn).put("nothing", {"id": "a"})
