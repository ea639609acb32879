"""Events are stamped with the real time, except inside the demo loader's simulated clock,
which holds only for the code that set it and is reset afterwards (docs/demo.md)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from eventsourcing.domain import event

from domain.record import Record
from domain.recording_time import recording_time, simulated
from registry.clock import SHANGHAI, local_day, today
from registry.demo.timeline import DemoClock

IN_2021 = datetime(2021, 3, 15, 2, 30, tzinfo=UTC)


class Note(Record):
    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text

    @event("Amended")
    def amend(self, text: str) -> None:
        self.text = text


def test_events_are_stamped_at_the_simulated_moment_only_inside_the_block() -> None:
    with simulated(IN_2021):
        note = Note("written in 2021")
        assert today() == date(2021, 3, 15)
    assert note.created_on == IN_2021
    before = datetime.now(UTC)
    note.amend("amended now")
    assert before <= note.modified_on <= datetime.now(UTC)
    assert today() == datetime.now(SHANGHAI).date()


def test_the_simulated_clock_is_reset_when_its_block_fails() -> None:
    with pytest.raises(RuntimeError), simulated(IN_2021):
        raise RuntimeError("a step failed")
    assert recording_time() > IN_2021 + timedelta(days=365)


def test_other_threads_keep_the_real_clock_while_one_simulates() -> None:
    seen: list[datetime] = []
    with simulated(IN_2021):
        worker = threading.Thread(target=lambda: seen.append(Note("elsewhere").created_on))
        worker.start()
        worker.join()
    assert local_day(seen[0]) == today()


def test_a_simulated_moment_needs_a_timezone() -> None:
    with pytest.raises(ValueError, match="timezone"), simulated(datetime(2021, 3, 15)):
        pass


def test_the_demo_clock_never_goes_back_nor_past_the_time_the_load_began() -> None:
    until = datetime(2026, 5, 1, 12, tzinfo=UTC)
    clock = DemoClock(floor=None, until=until)
    first = clock.moment(date(2021, 3, 15))
    assert first == datetime(2021, 3, 15, 9, tzinfo=SHANGHAI)
    same_day = clock.moment(date(2021, 3, 15))
    earlier_day = clock.moment(date(2020, 1, 1))
    assert first < same_day < earlier_day
    assert local_day(earlier_day) == date(2021, 3, 15)
    assert clock.moment(date(2027, 1, 1)) == until
    assert clock.moment(date(2027, 1, 2)) == until


def test_the_demo_clock_records_nothing_before_the_log_s_last_event() -> None:
    floor = datetime(2026, 4, 30, 8, tzinfo=UTC)
    clock = DemoClock(floor=floor, until=datetime(2026, 5, 1, tzinfo=UTC))
    assert clock.moment(date(2019, 1, 2)) > floor
