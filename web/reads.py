"""Pages read lists and records from the read models, never by replaying the log.

``read()`` opens one consistent snapshot of the read models, caught up to the end of the
log first if another process (a command line load, another node) wrote since; ``read(moment)``
the same snapshot as recorded at a past moment (the date picker's choice).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlite_utils import Database

from projections.asof import as_of, position_on
from projections.generations import ReadModels
from registry.clock import today
from web.auth import registry

PAGE_SIZE = 20


@contextmanager
def read(moment: AsOf | None = None) -> Iterator[Database]:
    """One consistent snapshot of the read models, caught up to the end of the log; with a
    ``moment`` chosen, every view table means itself as recorded then (the one place the
    date picker's choice reaches the queries)."""
    models: ReadModels = current_app.extensions["read_models"]
    with models.reading(at_least=registry().max_position()) as db:
        at = position_at(db, moment) if moment is not None else None
        with as_of(db, at):
            yield db


def page_number(value: str | None) -> int:
    """The 1-based page asked for in ``?page=``; anything odd is page 1."""
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return max(1, min(number, 10_000))


def offset(number: int, size: int = PAGE_SIZE) -> int:
    return (number - 1) * size


@dataclass(frozen=True)
class AsOf:
    """The moment a list is asked for: the end of a day, or a position in the log.

    Nothing chosen means now. A day means "as recorded by the end of that day"
    (DOMAIN.md "Dates"), and states that follow from effective dates are judged on it.
    """

    day: date | None = None
    position: int | None = None

    @property
    def chosen(self) -> bool:
        return self.day is not None or self.position is not None

    @property
    def effective_day(self) -> date:
        return self.day or today()

    def args(self) -> dict[str, str]:
        """The URL parameters that keep this moment across pages and filters."""
        found = {}
        if self.day is not None:
            found["as_of"] = self.day.isoformat()
        if self.position is not None:
            found["position"] = str(self.position)
        return found


def asked_moment(args: Mapping[str, str]) -> AsOf:
    """The moment ``?as_of=YYYY-MM-DD`` or ``?position=N`` asks for; anything odd is now."""
    day = position = None
    try:
        day = date.fromisoformat(args.get("as_of") or "")
    except ValueError:
        day = None
    if day is not None and not date(1949, 1, 1) <= day <= today():
        day = None
    try:
        position = int(args.get("position") or "")
    except ValueError:
        position = None
    if position is not None and position < 1:
        position = None
    return AsOf(day, position)


def position_at(db: Database, moment: AsOf) -> int | None:
    """The log position a moment means: the one chosen, or the last recorded by its day."""
    if moment.position is not None:
        return moment.position
    if moment.day is not None:
        return position_on(db, moment.day)
    return None
