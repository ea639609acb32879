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
    recorded-at times of the first and last event this load recorded (None if none)."""
    context = DemoContext(app)
    stories = []
    for title, part in PARTS:
        progress(f"planning the {title}")
        stories.append(part(context))
    before = app.max_position()
    floor = _recorded_at(app, before) if before else None
    record_over_time(stories, DemoClock(floor=floor, until=now()), progress=progress)
    if app.max_position() > before:
        context.recorded = (_recorded_at(app, before + 1), _recorded_at(app, app.max_position()))
    return context


def _recorded_at(app: Registry, position: int) -> datetime:
    """When the event at ``position`` (or the next one there is) was recorded."""
    [notification] = app.recorder.select_notifications(start=position, limit=1)
    event: Any = app.mapper.to_domain_event(notification)
    moment: datetime = event.timestamp
    return moment
