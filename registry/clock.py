"""Calendar days are Asia/Shanghai days
(docs/domain.md#dates-ratios-and-states-without-events)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today() -> date:
    return datetime.now(SHANGHAI).date()


def local_day(moment: datetime) -> date:
    """The Asia/Shanghai calendar day of a recorded-at timestamp."""
    return moment.astimezone(SHANGHAI).date()


def local_time(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).isoformat(timespec="seconds")
