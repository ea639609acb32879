"""The read side's benchmark: its measure of the catch-up's writes alone writes every row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bench import decoding
from bench.generate import generate
from bench.projection import catch_up
from projections import read_models
from projections.engine.asof import RECORDED_DAYS
from projections.engine.projector import TRACKING
from registry.config import Settings
from registry.facade import Registry


def rows_of(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted, but the positions and days the engine keeps itself."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
            if name not in (RECORDED_DAYS, TRACKING)
        ]
        return {
            table: sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }
    finally:
        conn.close()


def test_the_catch_ups_writes_written_again_give_the_same_rows(tmp_path: Path) -> None:
    log = tmp_path / "log"
    generate(log, events=4000, seed=11)
    app = Registry(Settings(data_dir=log))
    views = tmp_path / "views"
    views.mkdir()
    try:
        caught_up, again, events = catch_up(app, views)
        models = read_models(app, Settings(data_dir=views))
        live = models.path(models.live())
        head = app.max_position()
    finally:
        app.close()
    assert events == head - int(head * 0.8) > 0
    assert caught_up > 0 and again > 0
    # the copy held the first 80%: it equals the live file only if every row was written again
    assert rows_of(views / "written-again.sqlite3") == rows_of(live)


def test_the_decoding_benchmark_times_both_paths_over_every_event(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BENCH_DIR", str(tmp_path))
    report = decoding.run(size=600)
    events = int(report.title.split()[1].replace(",", ""))
    assert events >= 600
    assert report.rows[0].startswith("fast path (read_stored): ")
    assert " vs the library's mapper " in report.rows[0]
    assert report.rows[1].startswith("per event: fast path ")
