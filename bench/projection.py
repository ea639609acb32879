"""The read side: rebuilding and catching up the read models, beside a raw sqlite3 baseline.

``python -m bench.projection`` (or ``run(report)`` from the benchmark runner). For each size
the log is generated once (bench/generate.py, cached under ``BENCH_DIR``, default
``var/bench``), then measured in alternating rounds so drift hits both sides alike:

- **baseline**: read the same notifications through the application's recorder in batches
  of 5,000 (as the read models do) and write one row each with raw sqlite3 ``executemany``,
  one transaction per batch, into a WAL file (``synchronous=NORMAL``, as the live files);
- **rebuild**: ``ReadModels.rebuild()`` into a fresh directory, every view, with the views
  ``apart`` (projections.APART) built in a second process as on any log this long; and the
  same rebuild in one process, for comparison;
- **catch-up**: a live file holding the first 80% of the log catches up the last 20%
  (WAL, one transaction per batch, as after a burst of commands);
- **the catch-up's writes alone**: the rows that catch-up wrote, statement for statement and
  transaction for transaction, written again with raw sqlite3 ``executemany`` into a copy of
  the file as it was before: no reading, decoding or Python per event, so the fastest any
  code writing these rows into these tables can catch up.

Rates are the best of the rounds. Each rebuild also runs once in a child process that
reports its own peak RSS and its second process's, at two sizes: streaming the log keeps
them flat.

Every view keeps row versions (projections/engine/versions.py), so rebuild and catch-up include
writing them. On each rebuilt file, every list query and the indicators are timed as of
two positions (half way and the head) and as recorded by the last day: goal under 200 ms
(findings for a day: under 500 ms).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from bench.generate import GENERATOR_VERSION, generate
from projections import APART, VIEWS, read_models
from projections.accounts import list_accounts
from projections.agreement_queries import count_agreements, list_agreements
from projections.audit import audit_trail
from projections.engine.asof import position_on
from projections.engine.connections import connect
from projections.engine.events import Recorded
from projections.engine.projector import ApplicationLog, EventLog, Notification
from projections.engine.read_models import ReadModels
from projections.engine.rebuilds import BATCH
from projections.engine.rows import Rows, Values
from projections.enterprises import list_enterprises
from projections.finding_queries import findings
from projections.groups import list_groups
from projections.indicators import indicator_table, indicators
from projections.investments import investment_by_year, list_investments
from projections.placements import list_placements
from projections.policies import list_policies
from projections.returns import list_returns
from projections.schools import list_schools
from projections.students import list_students
from projections.teachers import list_teachers
from registry.config import Settings
from registry.facade import Registry

GOAL = 0.30
AS_OF_GOAL_MS = 200.0
AS_OF_GOALS_MS = {"findings": 500.0}  # findings for a day have a goal of their own
DAY = date(2025, 6, 1)
SIZES = (100_000, 200_000)
ROUNDS = 3
Report = Callable[[str], None]


def log_at(size: int) -> Path:
    """A generated registry of ``size`` events, made once and kept for later runs."""
    directory = Path(os.environ.get("BENCH_DIR", "var/bench")) / f"log-{size}-v{GENERATOR_VERSION}"
    if not (directory / "events.sqlite3").exists() or not (directory / "complete").exists():
        if directory.exists():
            for leftover in directory.iterdir():
                leftover.unlink()
        generate(directory, events=size)
        (directory / "complete").touch()
    return directory


def baseline(app: Registry, into: Path) -> float:
    """Seconds to read every notification and write one row each, batched."""
    conn = sqlite3.connect(into / "baseline.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(
        "CREATE TABLE seen (position INTEGER PRIMARY KEY, topic TEXT, aggregate_id TEXT,"
        " version INTEGER)"
    )
    start, position = time.perf_counter(), 0
    while True:
        notifications = app.recorder.select_notifications(
            start=position, limit=BATCH, inclusive_of_start=False
        )
        if not notifications:
            break
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO seen VALUES (?, ?, ?, ?)",
            [(n.id, n.topic, str(n.originator_id), n.originator_version) for n in notifications],
        )
        conn.execute("COMMIT")
        position = notifications[-1].id
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


class Upto:
    """The log as it was at ``end`` (to leave a live file behind for the catch-up)."""

    def __init__(self, log: EventLog, end: int) -> None:
        self.log, self.end = log, end

    def select(self, after: int, limit: int) -> Sequence[Notification]:
        return [n for n in self.log.select(after, limit) if n.id <= self.end]

    def decode(self, notification: Notification) -> Recorded:
        return self.log.decode(notification)

    def head(self) -> int:
        return min(self.end, self.log.head())


def rebuild(app: Registry, into: Path, *, in_two: bool = True) -> float:
    models = read_models(app, Settings(data_dir=into))
    if not in_two:
        models.apart = frozenset()
    start = time.perf_counter()
    models.rebuild()
    return time.perf_counter() - start


Written = list[list[tuple[str, Values]]]
"""The statements the views ran with their rows, one list per transaction."""


@contextmanager
def recording_writes() -> Iterator[Written]:
    """Every statement the views write rows with, and its rows, while inside."""
    written: Written = [[]]
    write, execute, forget = Rows._write, Rows.execute, Rows.forget

    def recorded_write(rows: Rows, table: str, sql: str, values: Values) -> None:
        written[-1].append((sql, values))
        write(rows, table, sql, values)

    def recorded_execute(rows: Rows, sql: str, params: Any = ()) -> None:
        values = tuple(params)
        execute(rows, sql, values)  # first: it writes what it reads beforehand
        written[-1].append((sql, [values]))

    def recorded_forget(rows: Rows) -> None:  # after every commit (or rollback)
        if written[-1]:
            written.append([])
        forget(rows)

    Rows._write = recorded_write  # type: ignore[assignment]
    Rows.execute = recorded_execute  # type: ignore[assignment]
    Rows.forget = recorded_forget  # type: ignore[assignment]
    try:
        yield written
    finally:
        Rows._write, Rows.execute, Rows.forget = write, execute, forget  # type: ignore[method-assign]


def write_again(path: Path, written: Written) -> float:
    """Seconds to write the recorded rows with raw sqlite3, each transaction as recorded."""
    conn = connect(path)  # as a live file is opened for writing: WAL, cache, checkpoints
    start = time.perf_counter()
    for transaction in written:
        if not transaction:
            continue
        conn.execute("BEGIN IMMEDIATE")
        for sql, values in transaction:
            conn.executemany(sql, values)
        conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


def catch_up(app: Registry, into: Path) -> tuple[float, float, int]:
    """Seconds to catch a live file up from 80% of the log to its end, seconds to write the
    same rows again with raw sqlite3 into a copy of the file as it was, and how many events."""
    live = read_models(app, Settings(data_dir=into))
    head = app.max_position()
    early = int(head * 0.8)
    before = ReadModels(live.directory, VIEWS, Upto(ApplicationLog(app), early))
    before.catch_up()
    copy = into / "written-again.sqlite3"
    source, target = sqlite3.connect(before.path(before.live())), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    with recording_writes() as written:
        start = time.perf_counter()
        live.catch_up()
        seconds = time.perf_counter() - start
    return seconds, write_again(copy, written), head - early


def as_of_queries(db: Database) -> list[tuple[str, Callable[[int], object]]]:
    """Every list query (a few with filters) and the indicators, each given a position."""
    party = db.execute("SELECT id FROM enterprises ORDER BY id LIMIT 1").fetchone()[0]
    return [
        ("list_schools", lambda at: list_schools(db, at=at)),
        ("list_enterprises", lambda at: list_enterprises(db, at=at)),
        ("list_enterprises certified_on", lambda at: list_enterprises(db, certified_on=DAY, at=at)),
        ("list_agreements", lambda at: list_agreements(db, on=DAY, at=at)),
        ("list_agreements active", lambda at: list_agreements(db, status="active", on=DAY, at=at)),
        ("list_agreements prefecture", lambda at: list_agreements(db, prefecture="510100", at=at)),
        ("count_agreements status", lambda at: count_agreements(db, "status", on=DAY, at=at)),
        ("list_investments year", lambda at: list_investments(db, year=2024, at=at)),
        ("investment_by_year", lambda at: investment_by_year(db, year=2024, at=at)),
        ("audit_trail", lambda at: audit_trail(db, at=at)),
        ("audit_trail party", lambda at: audit_trail(db, party=party, at=at)),
        ("list_accounts", lambda at: list_accounts(db, at=at)),
        ("list_groups", lambda at: list_groups(db, on=DAY, at=at)),
        ("list_students", lambda at: list_students(db, at=at)),
        ("list_placements", lambda at: list_placements(db, on=DAY, at=at)),
        ("list_policies", lambda at: list_policies(db, on=DAY, at=at)),
        ("list_teachers", lambda at: list_teachers(db, on=DAY, at=at)),
        ("list_returns", lambda at: list_returns(db, at=at)),
        ("findings", lambda at: findings(db, on=DAY, at=at)),
        ("indicators", lambda at: indicators(db, 2024, at=at)),
        ("indicator_table", lambda at: indicator_table(db, 2024, at=at)),
    ]


def as_of_latency(app: Registry, into: Path) -> dict[str, float]:
    """Milliseconds of each query as of half way, the head, and the last day recorded."""
    models = read_models(app, Settings(data_dir=into))
    slowest: dict[str, float] = {}
    with models.reading() as db:
        head = models.position()
        (last_day,) = db.execute("SELECT max(day) FROM _recorded_days").fetchone()
        positions = [head // 2, head, position_on(db, date.fromisoformat(last_day))]
        for at in positions:
            # a fresh wrapper of the same snapshot per position: nothing a query remembers
            # on its Database object (the day's computed findings) carries over
            for name, query in as_of_queries(Database(db.conn, execute_plugins=False)):
                start = time.perf_counter()
                query(at)
                seconds = time.perf_counter() - start
                slowest[name] = max(slowest.get(name, 0.0), seconds * 1000)
    return slowest


def own_peak_mib() -> float:
    """This process's own peak resident memory (MiB): Linux's ``VmHWM``.

    Not ``getrusage``'s ``ru_maxrss``: a process started by fork and exec, as
    multiprocessing's "spawn" starts one, inherits its parent's ``maxrss``, so it would
    report the benchmark's own memory whenever that is larger.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rebuild_peak_rss(data_dir: str, results: Any) -> None:
    """In a fresh process: rebuild, then report the process's peak resident memory (MiB).

    The second process's is ``getrusage``'s: at least what this process held when it started
    the second (a freshly started interpreter, far below either's peak).
    """
    app = Registry(Settings(data_dir=Path(data_dir)))
    with tempfile.TemporaryDirectory(dir=data_dir) as into:
        read_models(app, Settings(data_dir=Path(into))).rebuild()
    results.put((own_peak_mib(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))


def peak_rss(data_dir: Path) -> tuple[float, float]:
    """Peak RSS (MiB) of a rebuild's process and of its second process."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=rebuild_peak_rss, args=(str(data_dir), results))
    child.start()
    peak, second = results.get(timeout=3600)
    child.join()
    return float(peak), float(second)


def measure(size: int, report: Report, rounds: int = ROUNDS) -> dict[str, float]:
    data_dir = log_at(size)
    app = Registry(Settings(data_dir=data_dir))
    events = app.max_position()
    best = dict.fromkeys(
        ("baseline", "rebuild", "rebuild_one", "catch_up", "writes_alone"), float("inf")
    )
    caught_up = 0
    latency: dict[str, float] = {}
    try:
        for _ in range(rounds):
            with tempfile.TemporaryDirectory(dir=data_dir) as scratch:
                work = Path(scratch)
                for name in ("baseline", "rebuild", "rebuild_one", "catch_up"):
                    (work / name).mkdir()
                best["baseline"] = min(best["baseline"], baseline(app, work / "baseline"))
                best["rebuild"] = min(best["rebuild"], rebuild(app, work / "rebuild"))
                one = rebuild(app, work / "rebuild_one", in_two=False)
                best["rebuild_one"] = min(best["rebuild_one"], one)
                for name, ms in as_of_latency(app, work / "rebuild").items():
                    latency[name] = min(latency.get(name, float("inf")), ms)
                seconds, alone, caught_up = catch_up(app, work / "catch_up")
                best["catch_up"] = min(best["catch_up"], seconds)
                best["writes_alone"] = min(best["writes_alone"], alone)
    finally:
        app.close()
    rates = {
        "events": events,
        "baseline": events / best["baseline"],
        "rebuild": events / best["rebuild"],
        "rebuild_one": events / best["rebuild_one"],
        "catch_up": caught_up / best["catch_up"],
        "writes_alone": caught_up / best["writes_alone"],
    }
    rates["rss_mib"], rates["second_rss_mib"] = peak_rss(data_dir)
    for name in ("rebuild", "catch_up"):
        ratio = rates[name] / rates["baseline"]
        verdict = "goal met" if ratio >= GOAL else "BELOW GOAL"
        report(
            f"read side, {events:,} events: {name.replace('_', '-')} {rates[name]:,.0f} events/s"
            f" vs raw sqlite3 baseline {rates['baseline']:,.0f} events/s = {ratio:.0%}"
            f" (goal ≥ {GOAL:.0%}) {verdict}"
        )
    report(
        f"read side, {events:,} events: the catch-up's writes alone, the same rows written"
        f" again with raw sqlite3 in the same transactions, {rates['writes_alone']:,.0f}"
        f" events/s = {rates['writes_alone'] / rates['baseline']:.0%} of the baseline: the"
        " most a catch-up writing these rows can reach"
    )
    report(
        f"read side, {events:,} events: rebuild in one process {rates['rebuild_one']:,.0f}"
        f" events/s = {rates['rebuild_one'] / rates['baseline']:.0%}; the second process"
        f" building {', '.join(APART)} makes it {rates['rebuild'] / rates['rebuild_one']:.2f}×"
    )
    report(
        f"read side, {events:,} events: peak RSS of a rebuild {rates['rss_mib']:.0f} MiB,"
        f" its second process {rates['second_rss_mib']:.0f} MiB"
    )
    lists = {n: ms for n, ms in latency.items() if n not in AS_OF_GOALS_MS}
    name, worst = max(lists.items(), key=lambda item: item[1])
    verdict = "goal met" if worst < AS_OF_GOAL_MS else "ABOVE GOAL"
    report(
        f"read side, {events:,} events: as-of queries of the list views and indicators,"
        f" slowest {name} {worst:.0f} ms (goal < {AS_OF_GOAL_MS:.0f} ms) {verdict}; "
        + ", ".join(f"{n} {ms:.0f}" for n, ms in sorted(lists.items(), key=lambda i: -i[1]))
    )
    for name, goal in AS_OF_GOALS_MS.items():
        verdict = "goal met" if latency[name] < goal else "ABOVE GOAL"
        report(
            f"read side, {events:,} events: as-of {name} {latency[name]:.0f} ms"
            f" (goal < {goal:.0f} ms) {verdict}"
        )
    rates["as_of_ms"] = worst
    return rates


def run(report: Report = print, sizes: Sequence[int] = SIZES) -> list[dict[str, float]]:
    """Measure each size; the last line compares the rebuilds' peak memory across sizes."""
    results = [measure(size, report) for size in sizes]
    if len(results) > 1:
        low, high = results[0], results[-1]
        report(
            f"read side: peak RSS {low['rss_mib']:.0f} MiB at {low['events']:,.0f} events,"
            f" {high['rss_mib']:.0f} MiB at {high['events']:,.0f} events"
            f" ({high['rss_mib'] / low['rss_mib'] - 1:+.0%} for"
            f" {high['events'] / low['events']:.1f}× the events)"
        )
    return results


if __name__ == "__main__":
    chosen = tuple(int(a) for a in sys.argv[1:]) or SIZES
    run(sizes=chosen)
