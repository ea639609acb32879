"""Industry parks 产业园区 and associations 行业协会: parties that join training groups (§四(五)2).

They hold a USCC like schools and enterprises and share their natural-key ids, so one code
registers one party whatever its type.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import event

from domain.actors import Actor
from domain.errors import InvalidValue
from domain.prefectures import validate_prefecture
from domain.record import Record
from domain.rules import check_correction, require_administrator, require_text
from domain.uscc import party_id_for, validate_uscc


class OrganisationKind(StrEnum):
    INDUSTRY_PARK = "industry_park"
    ASSOCIATION = "association"


def validate_organisation_kind(kind: str) -> str:
    try:
        return OrganisationKind(kind).value
    except ValueError:
        raise InvalidValue(field="kind", problem="unknown", value=kind) from None


class Organisation(Record):
    """An industry park or an association, identified by its USCC."""

    CORRECTABLE: ClassVar[dict[str, Any]] = {
        "name": lambda v: require_text(str(v), "name"),
        "prefecture": lambda v: validate_prefecture(str(v)),
        "kind": lambda v: validate_organisation_kind(str(v)),
    }

    @staticmethod
    def create_id(uscc: str) -> UUID:
        return party_id_for(uscc)

    @classmethod
    def register(
        cls, *, uscc: str, name: str, kind: str, prefecture: str, actor: Actor
    ) -> Organisation:
        require_administrator(actor, "register_organisation")
        organisation: Organisation = cls(
            uscc=validate_uscc(uscc),
            name=require_text(name, "name"),
            kind=validate_organisation_kind(kind),
            prefecture=validate_prefecture(prefecture),
            actor=actor,
        )
        return organisation

    @event("Registered")
    def __init__(self, *, uscc: str, name: str, kind: str, prefecture: str, actor: Actor) -> None:
        self.uscc = uscc
        self.name = name
        self.kind = OrganisationKind(kind)
        self.prefecture = prefecture

    def correct(self, *, field: str, value: Any, reason: str, actor: Actor) -> None:
        """Fix a fact registered wrongly; the original event stays in the log."""
        require_administrator(actor, "correct_organisation")
        value, reason = check_correction(self.CORRECTABLE, field, value, reason)
        self._correct(field=field, value=value, reason=reason, actor=actor)

    @event("Corrected")
    def _correct(self, *, field: str, value: Any, reason: str, actor: Actor) -> None:
        setattr(self, field, OrganisationKind(value) if field == "kind" else value)
