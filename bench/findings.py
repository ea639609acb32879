"""Findings for a day and the province indicators on a generated registry.

``python -m bench.findings [SIZE]`` (default 200,000 events), or ``run(report)`` from the
benchmark runner. The log comes from bench/generate.py (cached like bench/projection.py's,
under ``BENCH_DIR``); its read models are built once beside it (``read/``) and reused.

Each query is timed as the best of several rounds, beside a **baseline** measured in the
same run on the same snapshot: reading every row of every table the queries read, with a
plain ``SELECT *`` fetched through sqlite3 (so the ratio says how many such passes a query
costs). A ``SELECT count(*)`` is no baseline here: SQLite answers it from the smallest
index in microseconds. Goals: findings for a day under 500 ms, the indicators under 200 ms.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from bench.projection import log_at
from projections import read_models
from projections.finding_queries import count_findings, findings, upcoming
from projections.indicators import indicator_table, indicators
from registry.config import Settings
from registry.facade import Registry

DAY = date(2026, 6, 30)
YEAR = 2024
ROUNDS = 5
GOALS = {"findings": 0.5, "indicators": 0.2, "indicators of every prefecture": 0.2}
TABLES = (
    "findings",
    "placements",
    "policy_placements",
    "policy_periods",
    "policies",
    "teachers",
    "teacher_periods",
    "agreements",
    "agreement_parties",
    "annual_returns",
    "return_revisions",
    "schools",
    "indicator_schools",
    "groups",
    "group_members",
)
Report = Callable[[str], None]


def best_of(work: Callable[[], Any], rounds: int = ROUNDS) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def run(report: Report = print, size: int = 200_000) -> dict[str, float]:
    """Time each query on the ``size``-event registry; report each beside the baseline."""
    data_dir: Path = log_at(size)
    app = Registry(Settings(data_dir=data_dir))
    try:
        events = app.max_position()
        models = read_models(app)
        models.catch_up()
        with models.reading() as db:
            total = findings(db, on=DAY).total
            school = str(db.execute("SELECT id FROM schools ORDER BY id LIMIT 1").fetchone()[0])
            baseline = best_of(
                lambda: [db.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES]
            )

            # each call on a fresh wrapper of the same snapshot: the day's computed findings,
            # remembered per Database object, are worked out every time
            def fresh() -> Database:
                return Database(db.conn, execute_plugins=False)

            timings = {
                "findings": best_of(lambda: findings(fresh(), on=DAY)),
                "findings counted by rule": best_of(
                    lambda: count_findings(fresh(), "rule", on=DAY)
                ),
                "findings of one school": best_of(lambda: findings(fresh(), on=DAY, school=school)),
                "upcoming notices": best_of(lambda: upcoming(fresh(), on=DAY)),
                "indicators": best_of(lambda: indicators(fresh(), YEAR)),
                "indicators of every prefecture": best_of(lambda: indicator_table(fresh(), YEAR)),
            }
    finally:
        app.close()
    report(
        f"findings and indicators, {events:,}-event registry, day {DAY}: {total:,} findings;"
        f" baseline (every row of the {len(TABLES)} tables read) {baseline * 1000:.1f} ms"
    )
    for name, seconds in timings.items():
        goal, verdict = GOALS.get(name), ""
        if goal is not None:
            verdict = f" (goal < {goal * 1000:.0f} ms) " + (
                "goal met" if seconds < goal else "BELOW GOAL"
            )
        report(
            f"  {name}: {seconds * 1000:.1f} ms = {seconds / baseline:.2f}× the baseline{verdict}"
        )
    return {"baseline": baseline, **timings}


if __name__ == "__main__":
    run(size=int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
