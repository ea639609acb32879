"""Checks shared by several aggregates: who may act, reasons, periods, corrections."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.actors import Actor, Role
from domain.characters import hidden_characters, visible
from domain.errors import (
    EndBeforeStart,
    InvalidValue,
    NegativeAmount,
    NotCorrectable,
    NotPermitted,
)


def require_role(actor: Actor, *roles: Role, action: str) -> None:
    if actor.role not in roles and actor.role is not Role.SYSTEM:
        raise NotPermitted(action=action, role=str(actor.role))


def require_administrator(actor: Actor, action: str) -> None:
    require_role(actor, Role.PROVINCE_ADMIN, action=action)


PARTY_ROLES = (Role.SCHOOL_USER, Role.ENTERPRISE_USER, Role.GROUP_SECRETARIAT)


def require_party_or_administrator(actor: Actor, party_id: UUID, action: str) -> None:
    """The party itself or an administrator; a user of another party is told the record is
    another organisation's, not that their role may never do this."""
    if not (actor.acts_for(party_id) or actor.is_administrator):
        if actor.role in PARTY_ROLES:
            raise NotPermitted(action=action, role=str(actor.role), reason="other_party")
        raise NotPermitted(action=action, role=str(actor.role))


def require_plain(value: str, field: str, multiline: bool = False) -> str:
    """``value`` stripped, refused if it holds an invisible or reordering character
    (domain/characters.py); a multi-line text keeps its line breaks and tabs."""
    value = value.strip()
    found = hidden_characters(value, multiline)
    if found:
        raise InvalidValue(
            field=field,
            problem="hidden_characters",
            characters=", ".join(visible(c) for c in found),
        )
    return value


def require_reason(reason: str, field: str = "reason") -> str:
    reason = require_plain(reason, field, multiline=True)
    if not reason:
        raise InvalidValue(field=field, problem="required")
    return reason


def require_text(value: str, field: str, max_length: int = 200, multiline: bool = False) -> str:
    value = require_plain(value, field, multiline)
    if not value:
        raise InvalidValue(field=field, problem="required")
    if len(value) > max_length:
        raise InvalidValue(field=field, problem="too_long", max_length=max_length)
    return value


def require_period(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise EndBeforeStart(starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat())


def require_positive(amount: Decimal, field: str = "amount") -> Decimal:
    if not amount.is_finite() or amount <= 0:
        raise NegativeAmount(field=field, amount=str(amount))
    return amount


Validator = Callable[[Any], Any]


def check_correction(
    correctable: Mapping[str, Validator], field: str, value: Any, reason: str
) -> tuple[Any, str]:
    """Validate a correction of ``field``; return the normalised value and reason.

    A correction fixes a fact that was registered wrongly. It never edits the earlier event:
    it is a new event carrying the field, the corrected value and why.
    """
    if field not in correctable:
        raise NotCorrectable(field=field, correctable=sorted(correctable))
    return correctable[field](value), require_reason(reason)
