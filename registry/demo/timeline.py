"""The demo recorded over time: every record's story, run step by step in date order.

Each part of the demo plans its records, then gives one story per record (or per batch): a
generator that yields the day of its next step and, when resumed, takes that step.
``record_over_time`` merges the stories of every part by day (ties by part, then story) and
takes each step under the demo clock, so the log's positions and its recorded-at times rise
together, from the registry's first week in January 2019 to today (docs/demo.md).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from uuid import UUID

from domain.recording_time import simulated
from registry.clock import SHANGHAI, local_day
from registry.demo.base import Story
from registry.facade import Registry

OFFICE_OPENS = time(9, 0)
STEP = timedelta(seconds=37)
"""How far the clock moves between two steps recorded on the same day."""
Step = tuple[date, Callable[[], object]]


@dataclass
class DemoClock:
    """Simulated recording moments: from 9:00 on a step's day (Asia/Shanghai), a little
    later for each further step that day; never before the previous step's moment (nor the
    log's last event, ``floor``), never after the real time the load began (``until``)."""

    floor: datetime | None
    until: datetime
    last: datetime | None = field(default=None, init=False)

    def moment(self, day: date) -> datetime:
        moment = datetime.combine(day, OFFICE_OPENS, SHANGHAI).astimezone(UTC)
        previous = self.last or self.floor
        if previous is not None:
            moment = max(moment, previous + STEP)
        moment = min(moment, self.until)
        if previous is not None:
            moment = max(moment, previous)
        self.last = moment
        return moment


def record_over_time(
    parts: Iterable[list[Story]],
    clock: DemoClock,
    progress: Callable[[str], None] = lambda _: None,
) -> None:
    """Take every step of every story in date order, each at its simulated moment."""
    queue: list[tuple[date, int, int, Story]] = []
    for part, stories in enumerate(parts):
        for number, story in enumerate(stories):
            _schedule(queue, story, part, number)
    year = None
    while queue:
        day, part, number, story = heapq.heappop(queue)
        moment = clock.moment(day)
        if local_day(moment).year != year:
            year = local_day(moment).year
            progress(f"recording the events of {year} at simulated times")
        with simulated(moment):
            _schedule(queue, story, part, number)


def _schedule(
    queue: list[tuple[date, int, int, Story]], story: Story, part: int, number: int
) -> None:
    """Run ``story`` up to its next step and queue that step by its day (none when it ends)."""
    day = next(story, None)
    if day is not None:
        heapq.heappush(queue, (day, part, number, story))


def in_date_order(steps: list[Step]) -> Story:
    """A story of planned steps, taken in order of their days (same day: as planned)."""
    for day, take in sorted(steps, key=lambda step: step[0]):
        yield day
        take()


def unless_recorded(app: Registry, record_id: UUID, steps: list[Step]) -> Story:
    """A record's story: its first step records it, the others follow in date order; none at
    all for a record that exists already (``registry demo --force``)."""
    yield steps[0][0]
    if app.exists(record_id):
        return
    steps[0][1]()
    yield from in_date_order(steps[1:])


def step(day: date, take: Callable[..., object], *args: object, **kwargs: object) -> Step:
    """A planned step: ``take(*args, **kwargs)`` on ``day``."""
    return day, partial(take, *args, **kwargs)
