"""The read side: rebuilding and catching up the read models, beside a raw sqlite3 baseline.

``python -m bench.projection`` (or ``run(report)`` from the benchmark runner). For each size
the log is generated once (bench/generate.py, cached under ``BENCH_DIR``, default
``var/bench``), then measured in alternating rounds so drift hits both sides alike:

- **baseline**: read the same notifications through the application's recorder in batches
  of 5,000 (as the read models do) and write one row each with raw sqlite3 ``executemany``,
  one transaction per batch, into a WAL file (``synchronous=NORMAL``, as the live files);
- **rebuild**: ``ReadModels.rebuild()`` into a fresh directory, every view;
- **catch-up**: a live file holding the first 80% of the log catches up the last 20%
  (WAL, one transaction per batch, as after a burst of commands).

Rates are the best of the rounds. Each rebuild also runs once in a child process that
reports its own peak RSS, at two sizes: streaming the log keeps it flat.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.generate import GENERATOR_VERSION, generate
from projections import VIEWS, read_models
from projections.engine import ApplicationLog, EventLog, Notification
from projections.events import Recorded
from projections.generations import BATCH, ReadModels
from registry.config import Settings
from registry.registry import Registry

GOAL = 0.30
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


def rebuild(app: Registry, into: Path) -> float:
    models = read_models(app, Settings(data_dir=into))
    start = time.perf_counter()
    models.rebuild()
    return time.perf_counter() - start


def catch_up(app: Registry, into: Path) -> tuple[float, int]:
    """Seconds to catch a live file up from 80% of the log to its end, and how many events."""
    live = read_models(app, Settings(data_dir=into))
    head = app.max_position()
    early = int(head * 0.8)
    ReadModels(live.directory, VIEWS, Upto(ApplicationLog(app), early)).catch_up()
    start = time.perf_counter()
    live.catch_up()
    return time.perf_counter() - start, head - early


def rebuild_peak_rss(data_dir: str, results: Any) -> None:
    """In a fresh process: rebuild, then report the process's peak resident memory (MiB)."""
    app = Registry(Settings(data_dir=Path(data_dir)))
    with tempfile.TemporaryDirectory(dir=data_dir) as into:
        read_models(app, Settings(data_dir=Path(into))).rebuild()
    results.put(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def peak_rss(data_dir: Path) -> float:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=rebuild_peak_rss, args=(str(data_dir), results))
    child.start()
    peak = float(results.get(timeout=3600))
    child.join()
    return peak


def measure(size: int, report: Report, rounds: int = ROUNDS) -> dict[str, float]:
    data_dir = log_at(size)
    app = Registry(Settings(data_dir=data_dir))
    events = app.max_position()
    best = {"baseline": float("inf"), "rebuild": float("inf"), "catch_up": float("inf")}
    caught_up = 0
    try:
        for _ in range(rounds):
            with tempfile.TemporaryDirectory(dir=data_dir) as scratch:
                work = Path(scratch)
                for name in ("baseline", "rebuild", "catch_up"):
                    (work / name).mkdir()
                best["baseline"] = min(best["baseline"], baseline(app, work / "baseline"))
                best["rebuild"] = min(best["rebuild"], rebuild(app, work / "rebuild"))
                seconds, caught_up = catch_up(app, work / "catch_up")
                best["catch_up"] = min(best["catch_up"], seconds)
    finally:
        app.close()
    rates = {
        "events": events,
        "baseline": events / best["baseline"],
        "rebuild": events / best["rebuild"],
        "catch_up": caught_up / best["catch_up"],
        "rss_mib": peak_rss(data_dir),
    }
    for name in ("rebuild", "catch_up"):
        ratio = rates[name] / rates["baseline"]
        verdict = "goal met" if ratio >= GOAL else "BELOW GOAL"
        report(
            f"read side, {events:,} events: {name.replace('_', '-')} {rates[name]:,.0f} events/s"
            f" vs raw sqlite3 baseline {rates['baseline']:,.0f} events/s = {ratio:.0%}"
            f" (goal ≥ {GOAL:.0%}) {verdict}"
        )
    report(f"read side, {events:,} events: peak RSS of a rebuild {rates['rss_mib']:.0f} MiB")
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
