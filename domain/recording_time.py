"""When events are recorded: now, unless a simulation of the past is under way.

Every event of a record is stamped by ``recording_time``. The demo loader (registry/demo/)
records its events as if entered over the years: it sets each step's moment with
``simulated``; nothing else does, so every real command records the real current time.
The setting is a context variable: it holds only for the code that set it (other threads, and
so other requests and commands, keep the real clock) and ``simulated`` resets it on exit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

import eventsourcing.domain

_SIMULATED: ContextVar[datetime | None] = ContextVar("simulated_recording_time", default=None)


def recording_time() -> datetime:
    """The moment an event recorded now is stamped with."""
    return _SIMULATED.get() or eventsourcing.domain.datetime_now_with_tzinfo()


@contextmanager
def simulated(moment: datetime) -> Iterator[None]:
    """Stamp the events recorded inside the block at ``moment`` (timezone-aware)."""
    if moment.tzinfo is None:
        raise ValueError("a simulated recording time needs a timezone")
    token = _SIMULATED.set(moment)
    try:
        yield
    finally:
        _SIMULATED.reset(token)
