"""Events as views see them: plain values read straight from the stored JSON.

Views store text, numbers and JSON, so they want ids, dates and amounts as text rather than
``UUID``, ``date`` and ``Decimal`` objects. Decoding the stored JSON with the C decoder and
unwrapping the transcoded values costs about a third of building domain event objects with
the application's mapper, and it is exact: ``date_iso``, ``decimal_str`` and
``datetime_iso`` already hold the text a view stores. Events the fast path cannot read
exactly (an event class whose ``class_version`` moved on and needs upcasting, an unknown
transcoding) go through the mapper and are converted to the same plain values.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.utils import resolve_topic

from domain.actors import Actor

ENVELOPE = frozenset({"timestamp", "originator_topic", "actor", "class_version"})
_NESTED = frozenset({dict, list})
_AS_TEXT = frozenset({"date_iso", "decimal_str", "datetime_iso"})


class Recorded:
    """One event of the log, with its payload fields readable as attributes.

    ``aggregate_id`` is the hyphenated id text; ``timestamp`` the recorded-at time as
    ISO text in UTC with microseconds; ``actor`` a dict (user_id, role, party_id);
    ``references`` the ids the payload names (e.g. a proposal's school and enterprise).
    """

    __slots__ = (
        "actor",
        "aggregate_id",
        "fields",
        "position",
        "references",
        "timestamp",
        "topic",
        "version",
    )

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
        self.position = position
        self.topic = topic
        self.aggregate_id = aggregate_id
        self.version = version
        self.timestamp = timestamp
        self.actor = actor
        self.fields = fields
        self.references = references

    def __getattr__(self, name: str) -> Any:
        try:
            return self.fields[name]
        except KeyError:
            raise AttributeError(f"{self.topic} has no field {name!r}") from None

    def __repr__(self) -> str:
        return f"<Recorded {self.position} {self.topic} {self.fields!r}>"

    @property
    def event_name(self) -> str:
        """``Countersigned`` for ``domain.agreement:CooperationAgreement.Countersigned``."""
        return self.topic.rpartition(".")[2]

    @property
    def aggregate_type(self) -> str:
        return self.topic.partition(":")[2].rpartition(".")[0]


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
        data = notification.state
        if self._mapper.cipher:
            data = self._mapper.cipher.decrypt(data)
        if self._mapper.compressor:
            data = self._mapper.compressor.decompress(data)
        state = json.loads(data)
        if state.get("class_version", 1) == self._class_version(notification.topic):
            references: list[str] = []
            fields = {}
            try:
                for name, value in state.items():
                    if name in ENVELOPE:
                        continue
                    if type(value) is dict and value.get("_type_") in _AS_TEXT:
                        value = value["_data_"]
                    elif type(value) in _NESTED:
                        value = _plain(value, references)
                    fields[name] = value
            except CannotReadPlainly:
                return self._mapped(notification)
            return Recorded(
                notification.id,
                notification.topic,
                str(notification.originator_id),
                notification.originator_version,
                utc_text(state["timestamp"]["_data_"]),
                _actor(state.get("actor", {}).get("_data_")),
                fields,
                references,
            )
        return self._mapped(notification)

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
