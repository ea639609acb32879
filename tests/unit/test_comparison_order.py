"""The replay's comparison merges two streams SQLite sorted by key: its own order of keys
must be SQLite's, for every kind of value a read-model column holds, or a changed row would
be reported as one missing and one extra (or pairs would be missed)."""

from __future__ import annotations

import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from projections.engine.comparison import _order

values = st.one_of(
    st.none(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.text(st.characters(exclude_categories=["Cs"])),
    st.binary(max_size=8),
)


@given(st.lists(st.tuples(values, values), max_size=30))
def test_keys_sort_as_sqlite_sorts_them(keys: list[tuple[object, object]]) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a, b)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", keys)
    by_sqlite = conn.execute(
        "SELECT a, b FROM t ORDER BY a COLLATE BINARY, b COLLATE BINARY"
    ).fetchall()
    conn.close()
    ranks = [_order(list(key)) for key in by_sqlite]
    assert ranks == sorted(ranks)
