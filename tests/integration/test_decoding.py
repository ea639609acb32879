"""Events as views see them: the fast path over stored JSON equals the application's mapper."""

from __future__ import annotations

from datetime import UTC, date
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
import pytest
from eventsourcing.domain import Aggregate, event

from domain.actors import Actor, Role
from projections.engine.events import Decoder, Recorded, _plain, plain_value, read_stored
from registry.demo import load_demo
from registry.facade import Registry

ACTOR = Actor("clerk", Role.SCHOOL_USER, UUID(int=7))


class Logbook(Aggregate):
    """An aggregate whose event class later gains a field, with an upcaster for old events."""

    @event("Opened")
    def __init__(self, *, title: str, on: date, actor: Actor) -> None:
        self.title = title


def as_tuple(recorded: Recorded) -> tuple[Any, ...]:
    return (
        recorded.position,
        recorded.topic,
        recorded.aggregate_id,
        recorded.version,
        recorded.timestamp,
        recorded.actor,
        dict(recorded),
        sorted(recorded.references),
    )


def test_the_fast_path_reads_every_demo_event_as_the_mapper_does(registry: Registry) -> None:
    load_demo(registry)
    decode = Decoder(registry.mapper)
    notifications = registry.recorder.select_notifications(start=None, limit=10_000)
    assert len(notifications) == registry.max_position()
    for notification in notifications:
        assert as_tuple(decode(notification)) == as_tuple(decode._mapped(notification))


def test_plain_values_are_text_ids_dates_and_amounts(registry: Registry) -> None:
    load_demo(registry)
    decode = Decoder(registry.mapper)
    found = {
        n.topic.partition(":")[2]: decode(n)
        for n in registry.recorder.select_notifications(start=None, limit=10_000)
    }
    invested = found["CooperationAgreement.InvestmentRecorded"]
    # the demo's renewal names the agreement it renews among its references too
    (proposed,) = [
        event
        for n in registry.recorder.select_notifications(start=None, limit=10_000)
        if n.topic.endswith(":CooperationAgreement.Proposed") and (event := decode(n))["renews"]
    ]
    assert isinstance(proposed["school_id"], str) and len(proposed["school_id"]) == 36
    assert proposed.references == [
        proposed["agreement_id"],
        proposed["school_id"],
        proposed["enterprise_id"],
        proposed["renews"],
    ]
    assert isinstance(invested["amount"], str) and isinstance(invested["invested_on"], str)
    assert proposed.timestamp.endswith("+00:00") and len(proposed.timestamp) == 32
    assert proposed.actor == {
        "user_id": "system:demo",
        "role": "system",
        "party_id": proposed.actor["party_id"],
    }


def test_an_event_needing_an_upcast_goes_through_the_mapper(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    logbook = Logbook(title="实习日志", on=date(2024, 3, 1), actor=ACTOR)
    registry.save_changes(logbook)
    (stored,) = registry.recorder.select_notifications(start=None, limit=10)

    # the code moves on: version 2 of the event carries a field old events lack
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["pages"] = 0

    monkeypatch.setattr(Logbook.Opened, "class_version", 2, raising=False)
    monkeypatch.setattr(Logbook.Opened, "upcast_v1_v2", staticmethod(upcast_v1_v2), raising=False)
    recorded = Decoder(registry.mapper)(stored)
    assert dict(recorded) == {"title": "实习日志", "on": "2024-03-01", "pages": 0}
    assert recorded.actor == {
        "user_id": "clerk",
        "role": "school_user",
        "party_id": str(UUID(int=7)),
    }


def a_few_of_every_kind(app: Registry, each: int = 3) -> dict[str, list[Any]]:
    """Up to ``each`` stored events of every topic in ``app``'s log."""
    kinds: dict[str, list[Any]] = {}
    for notification in app.recorder.select_notifications(start=None, limit=10_000):
        found = kinds.setdefault(notification.topic, [])
        if len(found) < each:
            found.append(notification)
    return kinds


def test_the_fast_path_reads_a_few_events_of_every_kind_as_the_librarys_mapper(
    registry: Registry,
) -> None:
    load_demo(registry)
    kinds = a_few_of_every_kind(registry)
    assert len(kinds) >= 20
    decode = Decoder(registry.mapper)
    for topic, stored in kinds.items():
        for notification in stored:
            # the fast path alone, with no fallback: it must read the library's layout itself
            plain = read_stored(notification.state, decode._class_version(topic))
            event = registry.mapper.to_domain_event(notification)
            by_mapper = decode._mapped(notification)
            assert plain.payload == dict(by_mapper), topic
            # always with microseconds (text order is time order), even at a whole second
            recorded_at = event.timestamp.astimezone(UTC).isoformat(timespec="microseconds")
            assert plain.timestamp == by_mapper.timestamp == recorded_at
            assert plain.actor == by_mapper.actor
            assert sorted(plain.references) == sorted(by_mapper.references)


def test_the_fast_path_knows_the_names_the_library_gives_transcoded_values(
    registry: Registry,
) -> None:
    transcoder = registry.mapper.transcoder
    values = {
        "uuid_hex": UUID(int=7),
        "date_iso": date(2024, 3, 1),
        "decimal_str": Decimal("12.50"),
        "actor": ACTOR,
    }
    for name, value in values.items():
        assert transcoder.names[name].type is type(value)
        encoded = orjson.loads(transcoder.encode({"value": value}))["value"]
        assert encoded == {"_type_": name, "_data_": transcoder.names[name].encode(value)}
        assert plain_value(transcoder.decode(transcoder.encode(value))) == _plain(encoded, [])
