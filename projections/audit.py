"""The audit trail: every event in the log, who did it, and what it changed.

One ``audit_events`` row per event: global position, recorded-at (UTC), actor, role, the
party the actor acted for, the record (aggregate) and its type, the event, and ``changes``,
a JSON list of ``[field, before, after]``. ``before`` is the record's previous value of an
attribute the event overwrites, else null (the event's own parameters, such as ``on`` or
``reason``, have no before). An event overwrites attributes when it is

- the creation event (version 1): all its fields become the record's attributes;
- a correction, ``field`` + ``value``: the named attribute;
- a change, ``changes`` (a mapping): each attribute named in it;
- one of ``OVERWRITES_ATTRIBUTES``: its fields named like attributes.

Personal data is never copied here: a sealed value (``domain.sealed.Sealed``, transcoded
``sealed``, which views receive as ``SealedText``), a field whose name ends in
``_ciphertext`` and a bytes value are all shown as ``PERSONAL_DATA`` in place of both
values, and nothing is decrypted.

The parties an event concerns: its own record, every record whose id an event of the record
has named (an agreement names its school and enterprise), and the parties of those records
in turn (a placement naming an agreement concerns the agreement's school and enterprise).
``audit_record_parties`` holds one row per record and each other id it names, with
``since``, the position of the event that first named it; a party's trail follows
these names back, recursively, when asked. So an enterprise's trail holds its own events,
its agreements' and those of whatever names them later (placements, policies).
``audit_records`` keeps each record's attributes and the ids it has named, the state this
view needs.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Any

import orjson
from sqlite_utils import Database

from domain.annual_return import AnnualReturn
from domain.school import School
from projections.engine import (
    Page,
    Recorded,
    Rows,
    SealedText,
    View,
    Where,
    json_text,
    page,
    topic,
)
from registry.clock import SHANGHAI

view = View(
    "audit",
    version=2,
    logs={"audit_events": "position", "audit_record_parties": "since"},
    internal={"audit_records"},
)

PERSONAL_DATA = "personal data changed"
CIPHERTEXT_SUFFIX = "_ciphertext"
OVERWRITES_ATTRIBUTES = frozenset({topic(School, "Upgraded"), topic(AnnualReturn, "Corrected")})


@view.migrations()
def m001_audit(db: Database) -> None:
    events = db.table("audit_events")
    events.create(
        {
            "position": int,
            "recorded_at": str,
            "actor": str,
            "role": str,
            "acting_for": str,
            "aggregate_id": str,
            "aggregate_type": str,
            "version": int,
            "event": str,
            "changes": str,
        },
        pk="position",
    )
    for columns in (["aggregate_id"], ["actor"], ["recorded_at"]):
        events.create_index(columns)
    db.execute(
        "CREATE TABLE audit_record_parties (party_id TEXT NOT NULL, aggregate_id TEXT NOT NULL,"
        " since INTEGER NOT NULL, PRIMARY KEY (party_id, aggregate_id)) WITHOUT ROWID"
    )
    db.table("audit_records").create(
        {"aggregate_id": str, "attributes": str, "parties": str}, pk="aggregate_id"
    )


_PERSONAL_TYPES = (bytes, SealedText)


def _shown(name: str, value: Any) -> Any:
    if name.endswith(CIPHERTEXT_SUFFIX) or type(value) in _PERSONAL_TYPES:
        return PERSONAL_DATA
    return value


def _parameters(fields: dict[str, Any]) -> list[list[Any]]:
    return [[name, None, _shown(name, value)] for name, value in fields.items()]


def _overwritten(event: Recorded) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The attributes a correction or change overwrites and its other parameters."""
    if "field" in event and "value" in event:
        rest = {k: v for k, v in event.items() if k not in ("field", "value")}
        return {event["field"]: event["value"]}, rest
    changes = event.get("changes")
    if isinstance(changes, dict):
        return changes, {k: v for k, v in event.items() if k != "changes"}
    return None


def changes_of(
    event: Recorded, record: dict[str, Any] | None
) -> tuple[list[list[Any]], dict[str, Any] | None]:
    """``[[field, before, after], …]`` and the record's attributes if the event changed them."""
    if event.version == 1:
        attributes = {name: _shown(name, value) for name, value in event.items()}
        return [[name, None, value] for name, value in attributes.items()], attributes
    split = _overwritten(event)
    if split is None and event.topic in OVERWRITES_ATTRIBUTES and record is not None:
        known = orjson.loads(record["attributes"])
        named = {k: v for k, v in event.items() if k in known}
        split = named, {k: v for k, v in event.items() if k not in named}
    if split is None:
        return _parameters(event), None
    attributes = orjson.loads(record["attributes"]) if record else {}
    changes = []
    for name, value in split[0].items():
        after = _shown(name, value)
        changes.append([name, attributes.get(name), after])
        attributes[name] = after
    return changes + _parameters(split[1]), attributes


def _needs_record(event: Recorded) -> bool:
    return event.version > 1 and (
        bool(event.references)
        or ("field" in event and "value" in event)
        or "changes" in event
        or event.topic in OVERWRITES_ATTRIBUTES
    )


@view.handles_every_event
def recorded(event: Recorded, rows: Rows) -> None:
    aggregate_id, position = event.aggregate_id, event.position
    record = rows.get("audit_records", aggregate_id) if _needs_record(event) else None
    changes, attributes = changes_of(event, record)

    if event.references:
        parties: list[str] = orjson.loads(record["parties"] or "[]") if record else []
        known = len(parties)
        for referenced in event.references:
            if referenced not in parties and referenced != aggregate_id:
                parties.append(referenced)
        for party in parties[known:]:
            rows.append(
                "audit_record_parties",
                {"party_id": party, "aggregate_id": aggregate_id, "since": position},
            )
        if len(parties) > known:
            rows.put("audit_records", {"aggregate_id": aggregate_id, "parties": json_text(parties)})
    if attributes is not None:
        rows.put(
            "audit_records", {"aggregate_id": aggregate_id, "attributes": json_text(attributes)}
        )
    actor = event.actor
    rows.append(
        "audit_events",
        {
            "position": position,
            "recorded_at": event.timestamp,
            "actor": actor["user_id"],
            "role": actor["role"],
            "acting_for": actor["party_id"],
            "aggregate_id": aggregate_id,
            "aggregate_type": event.aggregate_type,
            "version": event.version,
            "event": event.event_name,
            "changes": json_text(changes),
        },
    )


# --- queries --------------------------------------------------------------------------------

# The records concerning a party: those naming it, those naming those, and so on; each from
# the position where the chain of names begins to hold.


def concerning(at: int | None = None) -> str:
    """SQL keeping the events of the records that concern a party (one parameter)."""
    return (
        "position IN (WITH RECURSIVE concerned(aggregate_id, since) AS (SELECT ?, 0"
        " UNION SELECT p.aggregate_id, max(p.since, c.since)"
        f" FROM {view.source('audit_record_parties', at, 'p')}"
        " JOIN concerned c ON p.party_id = c.aggregate_id)"
        f" SELECT e.position FROM concerned c JOIN {view.source('audit_events', at, 'e')}"
        " ON e.aggregate_id = c.aggregate_id AND e.position >= c.since)"
    )


def _moment(value: datetime | date) -> str:
    """A bound as stored: an aware datetime, or a date meaning 00:00 that day in Shanghai."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0), SHANGHAI)
    if value.tzinfo is None:
        raise ValueError("give an aware datetime (or a date) for an audit time range")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


# the orders the trail can be listed in: a column, newest first unless ``oldest``
ORDERS = {
    "newest": "{time} DESC, position DESC",
    "oldest": "{time}, position",
    "actor": "actor, position DESC",
    "record": "aggregate_type, aggregate_id, position DESC",
    "event": "event, position DESC",
}


def _among(column: str, values: list[str]) -> str:
    return f"{column} IN ({', '.join('?' for _ in values)})"


def audit_trail(
    db: Database,
    *,
    aggregate_id: str | list[str] | None = None,
    actor: str | list[str] | None = None,
    party: str | list[str] | None = None,
    since: datetime | date | None = None,
    before: datetime | date | None = None,
    order: str = "oldest",
    limit: int = 50,
    offset: int = 0,
    at: int | None = None,
) -> Page:
    """Audit rows by record, by actor, by party, in a time range [since, before), in log
    order (``order``: one of ``ORDERS``; a record's history reads oldest first).

    A time range alone is listed in recorded-at order (the same as log order but for
    clocks of different processes), which lets it use the index on recorded-at.

    ``party`` gives the party's own events and every event of the records that concern it.
    A list for any of the three keeps the events of any of its members.
    ``at``: the trail as of that position (its events up to it; the log is only appended).
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {sorted(ORDERS)}, not {order!r}")
    where = Where()
    for column, value in (("aggregate_id", aggregate_id), ("actor", actor)):
        if isinstance(value, list):
            where.add(_among(column, value), *value)
        else:
            where.add_if(value, f"{column} = ?")
    if party is not None:
        parties = party if isinstance(party, list) else [party]
        where.add(f"({' OR '.join(concerning(at) for _ in parties)})", *parties)
    if since is not None:
        where.add("recorded_at >= ?", _moment(since))
    if before is not None:
        where.add("recorded_at < ?", _moment(before))
    in_time = since is not None or before is not None
    by_time = in_time and not (aggregate_id or party)
    found = page(
        db,
        select="*",
        source=view.source("audit_events", at),
        where=where,
        order_by=ORDERS[order].format(time="recorded_at" if by_time else "position"),
        limit=limit,
        offset=offset,
    )
    items = [{**row, "changes": json.loads(row["changes"])} for row in found.items]
    return Page(items, found.total, limit, offset)


def records_starting(db: Database, prefix: str, at: int | None = None) -> list[str]:
    """The ids of records whose id begins with ``prefix`` (the short id a page shows)."""
    rows = db.execute(
        f"SELECT DISTINCT aggregate_id FROM {view.source('audit_events', at)}"
        " WHERE aggregate_id >= ? AND aggregate_id < ? LIMIT 20",
        [prefix, prefix + "~"],
    )
    return [row[0] for row in rows]


# the attributes a record is known by, in the order they are tried
NAMING_ATTRIBUTES = ("name", "title", "display_name", "username", "staff_number")


def records_named(db: Database, name: str) -> list[str]:
    """The ids of records named ``name`` exactly (a party's or group's name, an agreement's
    title, an account's name or username, a teacher's staff number), by their current
    attributes. A scan of one row per record: the trail's filter by name is rare."""
    tried = " OR ".join(f"json_extract(attributes, '$.{a}') = ?" for a in NAMING_ATTRIBUTES)
    rows = db.execute(
        f"SELECT aggregate_id FROM audit_records WHERE {tried} LIMIT 20",
        [name] * len(NAMING_ATTRIBUTES),
    )
    return [row[0] for row in rows]


def records(db: Database, ids: list[str]) -> dict[str, dict[str, Any]]:
    """``{id: {"type": aggregate type, "attributes": {…}}}`` for the records ``ids`` name:
    what a page needs to name and link a record an event mentions. Attributes are the
    record's current ones, as corrected (personal data never among them)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = db.execute(
        "SELECT e.aggregate_id, e.aggregate_type, r.attributes FROM audit_events e"
        " LEFT JOIN audit_records r ON r.aggregate_id = e.aggregate_id"
        f" WHERE e.version = 1 AND {_among('e.aggregate_id', wanted)}",
        wanted,
    )
    return {
        aggregate_id: {"type": kind, "attributes": orjson.loads(attributes or "{}")}
        for aggregate_id, kind, attributes in rows
    }


def has_acted(db: Database, actor: str, at: int | None = None) -> bool:
    """Whether ``actor`` (a username or a system actor) recorded any event."""
    found = db.execute(
        f"SELECT 1 FROM {view.source('audit_events', at)} WHERE actor = ? LIMIT 1", [actor]
    ).fetchone()
    return found is not None


def actors_starting(db: Database, prefix: str, at: int | None = None) -> list[str]:
    """The actors whose name begins with ``prefix`` (the registry's own: ``system:cli:…``)."""
    rows = db.execute(
        f"SELECT DISTINCT actor FROM {view.source('audit_events', at)}"
        " WHERE actor >= ? AND actor < ? LIMIT 20",
        [prefix, prefix + "\U0010ffff"],
    )
    return [row[0] for row in rows]
