"""Events as views see them: plain values read straight from the stored JSON.

Views store text, numbers and JSON, so they want ids, dates and amounts as text rather than
``UUID``, ``date`` and ``Decimal`` objects. Decoding the stored JSON with orjson and
unwrapping the transcoded values costs about a fifth of building domain event objects with
the application's mapper (which decodes with the standard library's ``json`` and an object
hook per dict), and it is exact: ``date_iso``, ``decimal_str`` and
``datetime_iso`` already hold the text a view stores. Events the fast path cannot read
exactly (an event class whose ``class_version`` moved on and needs upcasting, an unknown
transcoding) go through the mapper and are converted to the same plain values. An event
that decodes neither way raises ``registry.errors.CorruptEvent``, naming it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, NamedTuple
from uuid import UUID

import orjson
from eventsourcing.utils import resolve_topic

from domain.actors import Actor
from registry.decoding import damaged
from registry.errors import CorruptEvent

ENVELOPE = frozenset({"timestamp", "originator_topic", "actor", "class_version"})
_AS_TEXT = frozenset({"date_iso", "decimal_str", "datetime_iso"})


class Recorded(dict[str, Any]):
    """One event of the log: its payload fields as items, its envelope as attributes.

    ``event["on"]`` is a field the event carries; ``event.position`` (notification id),
    ``event.topic``, ``event.aggregate_id`` (hyphenated id text), ``event.version``,
    ``event.timestamp`` (recorded-at, ISO text in UTC with microseconds), ``event.actor``
    (a dict: user_id, role, party_id) and ``event.references`` (the ids the payload names,
    e.g. a proposal's school and enterprise) come from the log. Keeping the two apart
    means no field name can shadow the envelope.
    """

    __slots__ = ("actor", "aggregate_id", "position", "references", "timestamp", "topic", "version")

    def __init__(
        self,
        position: int,
        topic: str,
        aggregate_id: str,
        version: int,
        timestamp: str,
        actor: dict[str, Any],
        fields: dict[str, Any],
        references: list[str],
    ) -> None:
        super().__init__(fields)
        self.position = position
        self.topic = topic
        self.aggregate_id = aggregate_id
        self.version = version
        self.timestamp = timestamp
        self.actor = actor
        self.references = references

    def __repr__(self) -> str:
        return f"<Recorded {self.position} {self.topic} {dict(self)!r}>"

    @property
    def event_name(self) -> str:
        """``Countersigned`` for ``domain.agreement:CooperationAgreement.Countersigned``."""
        return self.topic.rpartition(".")[2]

    @property
    def aggregate_type(self) -> str:
        return self.topic.partition(":")[2].rpartition(".")[0]


class SealedText(str):
    """Personal data as the log holds it (``Sealed`` values, transcoded ``sealed``): ciphertext.

    Views that must show the person to authorised readers may store it and decrypt at read
    time with the subject's key; no view may decrypt it into a table, and the audit shows
    only that personal data changed.
    """

    __slots__ = ()


class CannotReadPlainly(Exception):
    """The stored state holds something only the mapper can decode."""


def hyphenated(hex_id: str) -> str:
    return f"{hex_id[:8]}-{hex_id[8:12]}-{hex_id[12:16]}-{hex_id[16:20]}-{hex_id[20:]}"


def utc_text(iso: str) -> str:
    """ISO text of a UTC moment with microseconds always present, so text order is time order."""
    if len(iso) == 32 and iso.endswith("+00:00"):
        return iso
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        raise ValueError(f"recorded-at time without a timezone: {iso!r}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _actor(data: dict[str, Any] | None) -> dict[str, Any]:
    """The acting user; events from outside the registry's rules may have none."""
    data = data or {}
    party = data.get("party_id")
    return {
        "user_id": data.get("user_id"),
        "role": data.get("role"),
        "party_id": hyphenated(party) if party else None,
    }


class Plain(NamedTuple):
    """A stored event's envelope and payload as plain values (what ``Recorded`` holds)."""

    timestamp: str
    actor: dict[str, Any]
    payload: dict[str, Any]
    references: list[str]


def read_stored(data: bytes, class_version: int) -> Plain:
    """The fast path: a stored event's JSON (decrypted, decompressed) read as plain values.

    The only code that knows eventsourcing's stored layout: the envelope's field names and
    a transcoded value as ``{"_type_": name, "_data_": value}``. ``CannotReadPlainly`` when
    the mapper must decode it instead (an event of an older ``class_version``, an unknown
    transcoding). tests/integration/test_decoding.py compares it with the library's own
    mapper on stored events of every kind, so a change of the library's format fails there.
    """
    state = orjson.loads(data)
    if state.pop("class_version", 1) != class_version:
        raise CannotReadPlainly("class_version")
    timestamp, actor = state.pop("timestamp"), state.pop("actor", None)
    state.pop("originator_topic", None)
    references: list[str] = []
    for name, value in state.items():
        kind = type(value)
        if kind is dict:
            if len(value) == 2 and value.get("_type_") in _AS_TEXT:
                state[name] = value["_data_"]
            else:
                state[name] = _plain(value, references)
        elif kind is list:
            state[name] = _plain(value, references)
    return Plain(
        utc_text(timestamp["_data_"]),
        _actor(actor["_data_"] if actor else None),
        state,
        references,
    )


def _plain(value: Any, references: list[str]) -> Any:
    kind = type(value)
    if kind is dict:
        transcoded = value.get("_type_")
        if transcoded is not None and len(value) == 2 and "_data_" in value:
            data = value["_data_"]
            if transcoded == "uuid_hex":
                text = hyphenated(data)
                references.append(text)
                return text
            if transcoded in _AS_TEXT:
                return data
            if transcoded == "actor":
                return _actor(data)
            if transcoded == "sealed":
                return SealedText(data)
            raise CannotReadPlainly(transcoded)
        return {k: _plain(v, references) for k, v in value.items()}
    if kind is list:
        return [_plain(v, references) for v in value]
    return value


def plain_value(value: Any) -> Any:
    """What ``_plain`` makes of a decoded value: the slow path's half of the same contract."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Actor):
        return _actor(
            {"user_id": value.user_id, "role": value.role.value, "party_id": _hex(value.party_id)}
        )
    if isinstance(value, UUID):
        return str(value)
    if isinstance(getattr(value, "ciphertext", None), str):
        return SealedText(value.ciphertext)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | Decimal):
        return value.isoformat() if isinstance(value, date) else str(value)
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    return value


class Decoder:
    """Turns notifications into ``Recorded`` events, using the mapper only when it must."""

    def __init__(self, mapper: Any) -> None:
        self._mapper = mapper
        self._class_versions: dict[str, int] = {}

    def _class_version(self, topic: str) -> int:
        version = self._class_versions.get(topic)
        if version is None:
            version = getattr(resolve_topic(topic), "class_version", 1)
            self._class_versions[topic] = version
        return version

    def __call__(self, notification: Any) -> Recorded:
        """The event; ``CorruptEvent`` (registry/decoding.py) if it does not decode."""
        try:
            return self._decode(notification)
        except CorruptEvent:
            raise
        except Exception as error:
            raise damaged(notification, error) from error

    def _decode(self, notification: Any) -> Recorded:
        data = notification.state
        if self._mapper.cipher:
            data = self._mapper.cipher.decrypt(data)
        if self._mapper.compressor:
            data = self._mapper.compressor.decompress(data)
        try:
            plain = read_stored(data, self._class_version(notification.topic))
        except CannotReadPlainly:
            return self._mapped(notification)
        return Recorded(
            notification.id,
            notification.topic,
            hyphenated(notification.originator_id.hex),
            notification.originator_version,
            plain.timestamp,
            plain.actor,
            plain.payload,
            plain.references,
        )

    def _mapped(self, notification: Any) -> Recorded:
        event = self._mapper.to_domain_event(notification)
        payload = {
            k: v
            for k, v in vars(event).items()
            if k not in ENVELOPE and k not in ("originator_id", "originator_version")
        }
        references = [str(v) for v in _ids(payload.values())]
        actor = getattr(event, "actor", None)
        return Recorded(
            notification.id,
            notification.topic,
            str(event.originator_id),
            event.originator_version,
            event.timestamp.astimezone(UTC).isoformat(timespec="microseconds"),
            plain_value(actor) if actor else _actor(None),
            {k: plain_value(v) for k, v in payload.items()},
            references,
        )


def _hex(party_id: UUID | None) -> str | None:
    return party_id.hex if party_id else None


def _ids(values: Any) -> list[UUID]:
    found: list[UUID] = []
    for value in values:
        if isinstance(value, UUID):
            found.append(value)
        elif isinstance(value, list | tuple):
            found.extend(_ids(value))
        elif isinstance(value, dict):
            found.extend(_ids(value.values()))
    return found
