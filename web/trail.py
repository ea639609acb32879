"""The audit trail as a person reads it: each event's record by its kind and name, the event
by its name, and each field it set or changed by its label, with its value as a page shows
it (codes by their labels, money in yuan, records by name with a link, a correction as
before → after). Nothing raw reaches the page: a field or a code without a label raises
``labels.Unlabelled`` (tests/web/test_trail_words.py renders every event the domain defines).

How a field's value reads is chosen by its name (``VALUES``), or by the record's kind and
the name where one name means different things (``BY_KIND``: a school's ``kind`` is its
tier, a policy's its kind of insurance). A new event whose fields are all named here needs
only its name in ``labels.EVENTS``; a new field needs a label in ``labels.FIELDS`` and, if
it is not plain text, an entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import url_for
from flask_babel import gettext
from sqlite_utils import Database

from domain.prefectures import PREFECTURES
from projections import audit
from web import labels
from web.access import READERS
from web.addresses import record_url
from web.auth import user
from web.labels import label
from web.reads import read


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


Show = Callable[[Any], str]


@dataclass(frozen=True)
class Coded:
    """A value that is a key of a vocabulary (or a list of them), shown by its label."""

    vocabulary: Mapping[Any, Any]
    many: bool = False
    show: Callable[[str], str] | None = None

    def __call__(self, value: Any) -> str:
        def one(key: Any) -> str:
            return self.show(key) if self.show else label(self.vocabulary, key)

        return "、".join(one(key) for key in value) if self.many else one(value)


def _date(value: Any) -> str:
    return str(value)[:10]


def _yes_no(value: Any) -> str:
    return str(gettext("Yes") if value else gettext("No"))


def _number(value: Any) -> str:
    return str(int(value))


DATE = _date
MONEY = labels.yuan
REFERENCE = "reference"  # a record's id: shown by its name, linked

VALUES: dict[str, Show | str] = {
    **{
        name: DATE
        for name in (
            "on",
            "charged_on",
            "covers_from",
            "covers_until",
            "deadline",
            "due_on",
            "effective_on",
            "ends_on",
            "established_on",
            "filed_on",
            "invested_on",
            "occurred_on",
            "proposed_on",
            "recorded_on",
            "signed_on",
            "starts_on",
        )
    },
    **{name: MONEY for name in ("amount", "amount_paid", "pay", "post_wage")},
    **{
        name: _yes_no
        for name in ("above_designated_size", "holiday_work", "late", "night_shifts", "overtime")
    },
    **{
        name: REFERENCE
        for name in (
            "agreement_id",
            "attempt_id",
            "enterprise_id",
            "from_id",
            "group_id",
            "holder_id",
            "lead_id",
            "party_id",
            "placement_id",
            "placement_ids",
            "policy_id",
            "school_id",
            "student_id",
            "to_id",
        )
    },
    "entry_year": _number,
    "number": _number,
    "valid_hours": _number,
    "year": _number,
    "gender": Coded(labels.GENDERS),
    "modes": Coded(labels.MODES, many=True, show=labels.mode_name),
    "outcome": Coded(labels.CLAIM_OUTCOMES),
    "ownership": Coded(labels.OWNERSHIPS),
    "party_type": Coded(labels.PARTY_TYPES),
    "placement_kind": Coded(labels.PLACEMENT_KINDS),
    "policy_kinds": Coded(labels.POLICY_KINDS, many=True),
    "prefecture": Coded(PREFECTURES),
    "prefectures": Coded(PREFECTURES, many=True),
    "proposed_by": Coded(labels.SIDES),
    "requested_by": Coded(labels.REQUESTED_BY),
    "required_cover": Coded(labels.POLICY_KINDS, many=True),
    "role": Coded(labels.ROLES),
    "severity": Coded(labels.SEVERITIES),
    "via": Coded(labels.PASSWORD_VIA),
    "workplace_prefecture": Coded(PREFECTURES),
}

BY_KIND: dict[tuple[str, str], Show] = {
    ("School", "kind"): Coded(labels.SCHOOL_KINDS),
    ("Organisation", "kind"): Coded(labels.ORGANISATION_KINDS),
    ("InsurancePolicy", "kind"): Coded(labels.POLICY_KINDS),
    ("Placement", "kind"): Coded(labels.PLACEMENT_KINDS),
    ("IntermediaryAttempt", "kind"): Coded(labels.PLACEMENT_KINDS),
    ("CooperationAgreement", "kind"): Coded(labels.INVESTMENT_KINDS),
}


def shown_by(kind: str, name: str) -> Show | str | None:
    """How a field of a record of ``kind`` reads (None: as plain text)."""
    return BY_KIND.get((kind, name)) or VALUES.get(name)


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
                if VALUES.get(name) == REFERENCE:
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
        if url is None and found and self.trail_links:
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
        if isinstance(value, dict):
            keys = labels.FIGURES if name == "figures" else labels.FIELDS
            return [Shown(f"{label(keys, k)} {v}") for k, v in value.items()]
        if callable(show):
            return [Shown(show(value))]
        if isinstance(value, list):
            return [Shown("、".join(str(v) for v in value))]
        if isinstance(value, bool):
            return [Shown(_yes_no(value))]
        if isinstance(value, int | float | Decimal):
            return [Shown(str(value))]
        return [Shown(str(value))]

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
    if actor.startswith("system:"):
        _, what, *who = actor.split(":", 2)
        named = labels.SYSTEM_ACTORS.get(what)
        if named is None:
            return label(labels.ROLES, "system")
        return (
            f"{label(labels.SYSTEM_ACTORS, what)}（{who[0]}）"
            if who
            else label(labels.SYSTEM_ACTORS, what)
        )
    return actor


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
