"""How each field of an event reads on a page, by its name (``VALUES``), or by the record's
kind and the name where one name means different things (``BY_KIND``: a school's ``kind`` is
its tier, a policy's its kind of insurance). A field named in neither reads as plain text.
A new field that is not plain text gets its entry here (docs/architecture.md, "Adding a
domain event")."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext

from domain.prefectures import PREFECTURES
from web import labels
from web.labels import label

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


def yes_no(value: Any) -> str:
    return str(gettext("Yes") if value else gettext("No"))


def _number(value: Any) -> str:
    return str(int(value))


DATE = _date
MONEY = labels.yuan


def _registration(value: Any) -> str:
    """An enterprise's registration facts, each by its label and shown as its own field."""
    if not isinstance(value, Mapping):
        return str(value)
    parts = []
    for name, fact in value.items():
        show = VALUES.get(name)
        shown = show(fact) if callable(show) else str(fact)
        parts.append(f"{label(labels.FIELDS, name)}: {shown}")
    return "；".join(parts)


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
        name: yes_no
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
            "renews",
            "school_id",
            "student_id",
            "to_id",
        )
    },
    "registration": _registration,
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
    ("StudentNumber", "number"): str,  # a 学号 is text, not a count
    ("Organisation", "kind"): Coded(labels.ORGANISATION_KINDS),
    ("InsurancePolicy", "kind"): Coded(labels.POLICY_KINDS),
    ("Placement", "kind"): Coded(labels.PLACEMENT_KINDS),
    ("IntermediaryAttempt", "kind"): Coded(labels.PLACEMENT_KINDS),
    ("CooperationAgreement", "kind"): Coded(labels.INVESTMENT_KINDS),
}


def shown_by(kind: str, name: str) -> Show | str | None:
    """How a field of a record of ``kind`` reads (None: as plain text)."""
    return BY_KIND.get((kind, name)) or VALUES.get(name)
