"""Deterministic demo data: the same records, ids and effective dates on every load.

Each part loads one concept and skips records that exist already, so ``registry demo
--force`` completes a partly loaded demo instead of duplicating it.
"""

from __future__ import annotations

from collections.abc import Callable

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
from registry.demo.base import DemoContext
from registry.facade import Registry

Part = Callable[[DemoContext], None]

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
    context = DemoContext(app)
    for title, part in PARTS:
        progress(title)
        part(context)
    return context
