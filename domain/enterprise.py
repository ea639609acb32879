"""Enterprises 企业, identified by USCC; certification as 产教融合型企业 (§四(七)2)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import event

from domain.actors import Actor, Role
from domain.errors import DomainError, InvalidValue
from domain.prefectures import validate_prefecture
from domain.record import Record
from domain.rules import (
    check_correction,
    require_administrator,
    require_party_or_administrator,
    require_reason,
    require_role,
    require_text,
)
from domain.uscc import party_id_for, validate_uscc


class Ownership(StrEnum):
    STATE_OWNED = "state_owned"
    PRIVATE = "private"
    FOREIGN = "foreign"
    MIXED = "mixed"


def validate_ownership(value: str) -> str:
    try:
        return Ownership(value).value
    except ValueError:
        raise InvalidValue(field="ownership", problem="unknown", value=value) from None


def validate_flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue(field=field, problem="not_boolean", value=value)
    return value


REGISTRATION_FACTS = ("prefecture", "industry", "above_designated_size", "ownership")


def registration_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """An enterprise's registration facts besides its code and name, checked as
    ``Enterprise.register`` checks them (an account request carries them for review)."""
    missing = [name for name in REGISTRATION_FACTS if facts.get(name) is None]
    if missing:
        raise InvalidValue(field=missing[0], problem="required")
    return {name: Enterprise.ATTRIBUTES[name](facts[name]) for name in REGISTRATION_FACTS}


class AlreadyCertified(DomainError):
    """The enterprise is already certified as an industry–education integration enterprise."""

    code = "already_certified"


class NotCertified(DomainError):
    """The enterprise holds no certification to withdraw."""

    code = "not_certified"


class Enterprise(Record):
    """An enterprise; one registration per unified social credit code."""

    ATTRIBUTES: ClassVar[dict[str, Any]] = {
        "name": lambda v: require_text(str(v), "name"),
        "prefecture": lambda v: validate_prefecture(str(v)),
        "industry": lambda v: require_text(str(v), "industry", 100),
        "above_designated_size": lambda v: validate_flag(v, "above_designated_size"),
        "ownership": lambda v: validate_ownership(str(v)),
    }

    @staticmethod
    def create_id(uscc: str) -> UUID:
        return party_id_for(uscc)

    @classmethod
    def register(
        cls,
        *,
        uscc: str,
        name: str,
        prefecture: str,
        industry: str,
        above_designated_size: bool,
        ownership: str,
        actor: Actor,
    ) -> Enterprise:
        require_role(actor, Role.PROVINCE_ADMIN, Role.ENTERPRISE_USER, action="register_enterprise")
        attributes = {
            "name": name,
            "prefecture": prefecture,
            "industry": industry,
            "above_designated_size": above_designated_size,
            "ownership": ownership,
        }
        enterprise: Enterprise = cls(
            uscc=validate_uscc(uscc),
            **{k: cls.ATTRIBUTES[k](v) for k, v in attributes.items()},
            actor=actor,
        )
        return enterprise

    @event("Registered")
    def __init__(
        self,
        *,
        uscc: str,
        name: str,
        prefecture: str,
        industry: str,
        above_designated_size: bool,
        ownership: str,
        actor: Actor,
    ) -> None:
        self.uscc = uscc
        self.name = name
        self.prefecture = prefecture
        self.industry = industry
        self.above_designated_size = above_designated_size
        self.ownership = ownership
        self.certified_on: date | None = None
        self.certifications: list[tuple[date, date | None]] = []

    def certified_during(self, day: date) -> bool:
        """Whether the enterprise held the certification on ``day`` (effective dates)."""
        return any(
            start <= day and (end is None or day < end) for start, end in self.certifications
        )

    def change_attributes(self, *, effective_on: date, actor: Actor, **changes: Any) -> None:
        """Record a real change (e.g. growing above designated size), effective on a date."""
        require_party_or_administrator(actor, self.id, "change_enterprise")
        if not changes:
            raise InvalidValue(field="changes", problem="required")
        checked = {}
        for field, value in changes.items():
            if field not in self.ATTRIBUTES:
                raise InvalidValue(field=field, problem="unknown_field")
            checked[field] = self.ATTRIBUTES[field](value)
        self._change_attributes(changes=checked, effective_on=effective_on, actor=actor)

    @event("AttributesChanged")
    def _change_attributes(
        self, *, changes: dict[str, Any], effective_on: date, actor: Actor
    ) -> None:
        for field, value in changes.items():
            setattr(self, field, value)

    def certify(self, *, on: date, actor: Actor) -> None:
        require_administrator(actor, "certify_enterprise")
        if self.certified_on is not None:
            raise AlreadyCertified(certified_on=self.certified_on.isoformat())
        self._certify(on=on, actor=actor)

    @event("Certified")
    def _certify(self, *, on: date, actor: Actor) -> None:
        self.certified_on = on
        self.certifications.append((on, None))

    def decertify(self, *, on: date, reason: str, actor: Actor) -> None:
        require_administrator(actor, "decertify_enterprise")
        if self.certified_on is None:
            raise NotCertified()
        if on < self.certified_on:
            raise InvalidValue(field="on", problem="before_certification", value=on.isoformat())
        self._decertify(on=on, reason=require_reason(reason), actor=actor)

    @event("Decertified")
    def _decertify(self, *, on: date, reason: str, actor: Actor) -> None:
        start, _ = self.certifications[-1]
        self.certifications[-1] = (start, on)
        self.certified_on = None

    def correct(self, *, field: str, value: Any, reason: str, actor: Actor) -> None:
        """Fix a fact registered wrongly; the original event stays in the log."""
        require_administrator(actor, "correct_enterprise")
        value, reason = check_correction(self.ATTRIBUTES, field, value, reason)
        self._correct(field=field, value=value, reason=reason, actor=actor)

    @event("Corrected")
    def _correct(self, *, field: str, value: Any, reason: str, actor: Actor) -> None:
        setattr(self, field, value)
