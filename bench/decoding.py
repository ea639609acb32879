"""Decoding stored events: the engine's fast path beside the library's mapper.

``python -m bench.decoding [SIZE]`` (or ``run(size)`` from the benchmark runner). Every
notification of a generated log (bench/generate.py, cached like the read side's) is turned
into the ``Recorded`` event views receive, two ways, in alternating rounds (best of three):

- **the library's mapper**: ``mapper.to_domain_event`` builds the domain event object, whose
  attributes are then turned into plain values (``Decoder``'s fallback for old class
  versions and unknown transcodings);
- **the fast path**: ``read_stored`` reads the stored JSON as plain values directly.

The notifications are read once beforehand, so only decoding is timed. The fast path is kept
only while it pays: docs/benchmarks.md, "Decoding stored events".
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench.projection import log_at
from bench.report import Measurement, Report
from projections.engine.events import Decoder
from registry.config import Settings
from registry.facade import Registry

ROUNDS = 3


def notifications_of(app: Registry) -> list[Any]:
    found: list[Any] = []
    while True:
        batch = app.recorder.select_notifications(
            start=found[-1].id if found else 0, limit=10_000, inclusive_of_start=False
        )
        if not batch:
            return found
        found.extend(batch)


def best(decode: Callable[[Any], object], notifications: Sequence[Any]) -> float:
    start = time.perf_counter()
    for notification in notifications:
        decode(notification)
    return time.perf_counter() - start


def run(size: int = 100_000) -> Report:
    app = Registry(Settings(data_dir=log_at(size)))
    try:
        notifications = notifications_of(app)
        decoder = Decoder(app.mapper)
        fast = mapped = float("inf")
        for _ in range(ROUNDS):
            mapped = min(mapped, best(decoder._mapped, notifications))
            fast = min(fast, best(decoder, notifications))
    finally:
        app.close()
    count = len(notifications)
    report = Report(f"Decoding {count:,} stored events")
    ratio = report.compare(
        Measurement("fast path (read_stored)", count, fast),
        Measurement("the library's mapper", count, mapped),
        goal=None,
    )
    report.note(
        f"per event: fast path {fast / count * 1e6:.1f} µs, mapper {mapped / count * 1e6:.1f} µs;"
        f" the fast path {'pays' if ratio > 1.2 else 'does not pay: remove it'}"
    )
    return report


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000).print()
