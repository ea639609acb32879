"""The audit trail as a person reads it: each event's record by its kind and name, the event
by its name, and each field it set or changed by its label, with its value as a page shows
it (codes by their labels, money in yuan, records by name with a link, a correction as
before → after). Nothing raw reaches the page: a field or a code without a label raises
``labels.Unlabelled`` (tests/web/test_trail_words.py renders every event the domain defines).

How a field's value reads is in ``web/trail_values.py``. A new event whose fields are all
known needs only its name in ``labels.EVENTS``; a new field needs a label in
``labels.FIELDS`` and, if it is not plain text, an entry in ``trail_values``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from flask_babel import gettext
from sqlite_utils import Database

from projections import audit
from web import labels
from web.access import READERS
from web.addresses import record_url
from web.auth import user
from web.labels import label
from web.reads import read
from web.trail_values import REFERENCE, shown_by, yes_no


@dataclass(frozen=True)
class Shown:
    """A value as the page shows it, with the address of what it names, if any."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class Change:
    """One field: its label, what it was (for a change of a known value) and what it became."""

    name: str
    after: list[Shown]
    before: list[Shown] | None = None


@dataclass(frozen=True)
class Entry:
    """One audit row as read: the row itself, its record, event and changes."""

    row: dict[str, Any]
    kind: str
    record: Shown
    event: str
    changes: list[Change] = field(default_factory=list)


def short(record_id: str) -> str:
    """The 8 characters of an id a page shows (the filters accept them)."""
    return record_id[:8]


def record_name(kind: str, attributes: dict[str, Any]) -> str:
    """What a record is called: its name or title, an account's name, a policy's insurer
    and number; empty for records without one (a student is never named here)."""
    if kind == "InsurancePolicy":
        return " ".join(str(attributes.get(a) or "") for a in ("insurer", "policy_number")).strip()
    if kind in ("AnnualReturn", "ReturnDeadline") and attributes.get("year"):
        return str(attributes["year"])
    if kind == "Placement":
        return str(attributes.get("position") or "")
    if kind == "IntermediaryAttempt":
        return str(attributes.get("intermediary") or "")
    if kind == "Student":
        return ""
    for attribute in audit.NAMING_ATTRIBUTES:
        if attributes.get(attribute):
            return str(attributes[attribute])
    return ""


# the kinds of record whose names every signed-in reader may see (the registry's parties)
PUBLIC_KINDS = frozenset({"School", "Enterprise", "Organisation", "TrainingGroup"})


class Trail:
    """Describes audit rows, naming the records they mention with one query.

    ``trail_links``: the reader may open every record (auditors, administrators): records
    are named and linked, and those without a page of their own link to their trail.
    Otherwise (a record page's history, read by a party) a record an event mentions is
    named only if it is a party, and linked never: the reader may not be allowed to open
    it, and its name (an agreement's title, a placement's post) may be another party's.
    """

    def __init__(self, db: Database, rows: list[dict[str, Any]], trail_links: bool) -> None:
        self.trail_links = trail_links
        ids = {row["aggregate_id"] for row in rows}
        for row in rows:
            for name, before, after in row["changes"]:
                if shown_by(row["aggregate_type"], name) == REFERENCE:
                    ids.update(_ids(before) + _ids(after))
        self.known = audit.records(db, sorted(ids))

    def record(self, record_id: str, kind: str | None = None) -> Shown:
        found = self.known.get(record_id)
        kind = kind or (found["type"] if found else "")
        if not self.trail_links:
            if found and kind in PUBLIC_KINDS:
                return Shown(record_name(kind, found["attributes"]) or short(record_id))
            return Shown(
                f"{label(labels.RECORD_KINDS, kind)} {short(record_id)}"
                if found
                else short(record_id)
            )
        name = record_name(kind, found["attributes"]) if found else ""
        url = record_url(kind, record_id) if kind else None
        if url is None and found:
            url = url_for("audit.index", record=short(record_id))
        if found and not name:
            name = f"{label(labels.RECORD_KINDS, kind)} {short(record_id)}"
        return Shown(name or short(record_id), url)

    def value(self, kind: str, name: str, value: Any) -> list[Shown]:
        if value == audit.PERSONAL_DATA:
            return [Shown(personal_data())]
        show = shown_by(kind, name)
        if show == REFERENCE:
            return [self.record(i) for i in _ids(value)]
        if callable(show):
            return [Shown(show(value))]
        if isinstance(value, dict):
            keys = labels.FIGURES if name == "figures" else labels.FIELDS
            return [Shown(f"{label(keys, k)} {v}") for k, v in value.items()]
        if isinstance(value, list):
            return [Shown("、".join(str(v) for v in value))]
        return [Shown(yes_no(value) if isinstance(value, bool) else str(value))]

    def changes(self, row: dict[str, Any]) -> list[Change]:
        found: list[Change] = []
        kind, own = row["aggregate_type"], row["aggregate_id"]
        for name, before, after in row["changes"]:
            if after == audit.PERSONAL_DATA:  # changed, but neither value is shown
                before = None
            elif after is None or after == own or after in ("", [], {}) or before == after:
                continue
            if isinstance(after, dict) and isinstance(before, dict):
                found.extend(_figures(before, after))
                continue
            text = label(labels.FIELDS, name)
            was = None if before is None else self.value(kind, name, before)
            found.append(Change(text, self.value(kind, name, after), was))
        return found

    def entry(self, row: dict[str, Any]) -> Entry:
        kind = row["aggregate_type"]
        return Entry(
            row,
            label(labels.RECORD_KINDS, kind),
            self.record(row["aggregate_id"], kind),
            label(labels.EVENTS, row["event"]),
            self.changes(row),
        )


def personal_data() -> str:
    """What the trail shows for personal data: that it was set or changed, never what."""
    return str(gettext("personal data (not shown here)"))


def actor_name(actor: str | None, names: Mapping[str, str]) -> str:
    """Who acted, as a page names them: an account holder's name, or what the registry's
    own actor is (``system:cli:root`` → "Command line (root)"), never a raw code."""
    if not actor:
        return label(labels.ROLES, "system")
    if actor in names:
        return names[actor]
    if not actor.startswith("system:"):
        return actor
    _, what, *who = actor.split(":", 2)
    if what not in labels.SYSTEM_ACTORS:
        return label(labels.ROLES, "system")
    named = label(labels.SYSTEM_ACTORS, what)
    return f"{named}（{who[0]}）" if who else named


def _figures(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """A return's corrected figures: each one that changed, as before → after."""
    return [
        Change(label(labels.FIGURES, k), [Shown(str(v))], [Shown(str(before.get(k, "")))])
        for k, v in after.items()
        if before.get(k) != v
    ]


def _ids(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def described(db: Database, rows: Iterable[dict[str, Any]], trail_links: bool) -> list[Entry]:
    """``rows`` of the audit trail as read; ``trail_links``: records without a page of their
    own link to their trail (for readers of the audit trail)."""
    rows = list(rows)
    trail = Trail(db, rows, trail_links)
    return [trail.entry(row) for row in rows]


def history(rows: Iterable[dict[str, Any]]) -> list[Entry]:
    """A record's history as its page shows it (``_timeline.html``), named from a snapshot
    of its own; the records it mentions named and linked for the readers of the trail."""
    everything = getattr(user(), "role", None) in READERS["audit"]
    with read() as db:
        return described(db, rows, trail_links=everything)
