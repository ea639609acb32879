"""A benchmark report: rows of measurements, each optionally beside a baseline."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Measurement:
    name: str
    count: int
    seconds: float
    unit: str = "events/s"

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else float("inf")


@dataclass
class Report:
    title: str
    rows: list[str] = field(default_factory=list)

    def compare(self, measured: Measurement, baseline: Measurement, goal: float | None) -> float:
        ratio = measured.rate / baseline.rate
        verdict = "" if goal is None else ("  goal met" if ratio >= goal else "  BELOW GOAL")
        goal_text = "" if goal is None else f" (goal ≥ {goal:.0%})"
        self.rows.append(
            f"{measured.name}: {measured.rate:,.0f} {measured.unit} vs {baseline.name} "
            f"{baseline.rate:,.0f} {baseline.unit} = {ratio:.0%}{goal_text}{verdict}"
        )
        return ratio

    def note(self, line: str) -> None:
        self.rows.append(line)

    def print(self) -> None:
        print(f"\n== {self.title} ==")
        for row in self.rows:
            print(row)


def timed(name: str, count: int, work: Callable[[], object], unit: str = "events/s") -> Measurement:
    start = time.perf_counter()
    work()
    return Measurement(name, count, time.perf_counter() - start, unit)
