"""The moment a page is asked for: now, the end of a day (``?as_of=``) or a log position
(``?position=``), and a date typed into a filter; ``web.reads.read(moment)`` answers as of it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext
from sqlite_utils import Database

from projections.engine.asof import position_on
from registry.clock import today


@dataclass(frozen=True)
class AsOf:
    """The moment a list is asked for: the end of a day, or a position in the log.

    Nothing chosen means now. A day means "as recorded by the end of that day"
    (docs/domain.md#dates-ratios-and-states-without-events),
    and states that follow from effective dates are judged on it.
    """

    day: date | None = None
    position: int | None = None
    refused: str = field(default="", compare=False)

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


EARLIEST = date(1949, 1, 1)
LATEST_POSITION = 2**62


def asked_day(value: str | None, latest: date = date(2100, 12, 31)) -> tuple[date | None, str]:
    """A date typed into a filter: the day, or a sentence saying what to type instead (an
    empty filter is neither). Days outside ``EARLIEST``..``latest`` are refused: nothing was
    recorded then, and a year 1 or 9999 overflows the arithmetic of days."""
    typed = (value or "").strip()
    if not typed:
        return None, ""
    try:
        day = date.fromisoformat(typed)
    except ValueError:
        day = None
    if day is None or not EARLIEST <= day <= latest:
        return None, gettext(
            "Enter a date between %(earliest)s and %(latest)s, as year-month-day.",
            earliest=EARLIEST.isoformat(),
            latest=latest.isoformat(),
        )
    return day, ""


def asked_moment(args: Mapping[str, str]) -> AsOf:
    """The moment ``?as_of=YYYY-MM-DD`` or ``?position=N`` asks for; anything odd is now,
    with a sentence saying why (``AsOf.refused``)."""
    day, refused = asked_day(args.get("as_of"), latest=today())
    position: int | None
    try:
        position = int(args.get("position") or "")
    except ValueError:
        position = None
    if args.get("position") and (position is None or not 1 <= position <= LATEST_POSITION):
        position = None
        refused = gettext("A log position is a whole number from 1 upwards.")
    return AsOf(day, position, refused)


def position_at(db: Database, moment: AsOf) -> int | None:
    """The log position a moment means: the one chosen, or the last recorded by its day."""
    if moment.position is not None:
        return moment.position
    if moment.day is not None:
        return position_on(db, moment.day)
    return None
