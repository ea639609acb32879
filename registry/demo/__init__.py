"""Deterministic demo data: the same records, ids and effective dates on every load,
recorded as if entered over the years since January 2019 (docs/demo.md).

Each part plans one concept and gives a story per record; the timeline takes every step of
every story in date order under the demo clock (registry/demo/timeline.py). A story skips a
record that exists already, so ``registry demo --force`` completes a partly loaded demo
instead of duplicating it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from registry.clock import now
from registry.demo import (
    accounts,
    agreements,
    groups,
    parties,
    placements,
    returns,
    students,
    teachers,
)
from registry.demo.base import DemoContext, Story
from registry.demo.timeline import DemoClock, record_over_time
from registry.facade import Registry

Part = Callable[[DemoContext], list[Story]]

PARTS: list[tuple[str, Part]] = [
    ("schools and enterprises", parties.load),
    ("cooperation agreements", agreements.load),
    ("industry parks, associations and training groups", groups.load),
    ("teachers' enterprise practice", teachers.load),
    ("annual statistics returns", returns.load),
    ("students", students.load),
    ("placements and insurance", placements.load),
    ("accounts", accounts.load),
]


def load_demo(app: Registry, progress: Callable[[str], None] = lambda _: None) -> DemoContext:
    """Plan every part, then record them over time; ``context.recorded`` gives the simulated
    recorded-at times of the first and last event recorded."""
    context = DemoContext(app)
    stories = []
    for title, part in PARTS:
        progress(f"planning the {title}")
        stories.append(part(context))
    clock = DemoClock(floor=_last_recorded(app), until=now())
    record_over_time(stories, clock, progress=progress)
    if clock.first and clock.last:
        context.recorded = (clock.first, clock.last)
    return context


def _last_recorded(app: Registry) -> datetime | None:
    """When the log's last event was recorded: the demo records nothing before it."""
    position = app.max_position()
    if not position:
        return None
    [last] = app.recorder.select_notifications(start=position, limit=1)
    event: Any = app.mapper.to_domain_event(last)
    moment: datetime = event.timestamp
    return moment
