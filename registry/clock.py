"""Calendar days are Asia/Shanghai days
(docs/domain.md#dates-ratios-and-states-without-events).

"Now" is the time events are recorded at (domain/recording_time.py): the real time, except
inside the demo loader, which records its events at simulated past moments and so needs
"today" (the day a return is filed, the default effective date) to be that moment's day too.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from domain.recording_time import recording_time

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """The time an event recorded now is stamped with."""
    return recording_time()


def today() -> date:
    return local_day(now())


def local_day(moment: datetime) -> date:
    """The Asia/Shanghai calendar day of a recorded-at timestamp."""
    return moment.astimezone(SHANGHAI).date()


def local_time(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).isoformat(timespec="seconds")
