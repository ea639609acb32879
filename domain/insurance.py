"""Insurance policies for placed students (§四(六)4: 工伤保险、实习实训责任保险、人身意外伤害保险).

A policy is its own record, held by a school or an enterprise; one policy may cover a whole
cohort. Cover is effective-dated: the policy's periods, each placement's time on the policy,
and a cancellation all carry dates, so cover on any day can be answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.actors import Actor
from domain.errors import DomainError, InvalidValue, NotPermitted
from domain.record import Record
from domain.rules import (
    require_party_or_administrator,
    require_period,
    require_reason,
    require_text,
)

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:sichuan-coop-registry:insurance-policy")


class PolicyKind(StrEnum):
    WORK_INJURY = "work_injury"
    INTERNSHIP_LIABILITY = "internship_liability"
    PERSONAL_ACCIDENT = "personal_accident"


def validate_policy_kind(kind: str) -> str:
    try:
        return PolicyKind(kind).value
    except ValueError:
        raise InvalidValue(field="kind", problem="unknown", value=kind) from None


class PolicyCancelled(DomainError):
    """The policy was cancelled and accepts no further changes."""

    code = "policy_cancelled"


class NotCoveredByPolicy(DomainError):
    """The placement is not on this policy."""

    code = "placement_not_on_policy"


class AlreadyCoveredByPolicy(DomainError):
    """The placement is on this policy already."""

    code = "placement_already_on_policy"


class PlacementOfAnotherParty(DomainError):
    """A policy covers only placements of which its holder is a party (school or enterprise)."""

    code = "placement_of_another_party"


class PlacementOfHoldersOwn(DomainError):
    """A cross-party correction names a placement of which the holder is a party."""

    code = "placement_of_holders_own"


class Placed(Protocol):
    """What a policy needs of a placement: its id and its two parties."""

    @property
    def id(self) -> UUID: ...

    school_id: UUID
    enterprise_id: UUID


@dataclass(frozen=True)
class Period:
    starts_on: date
    ends_on: date

    def includes(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class InsurancePolicy(Record):
    """One policy of one kind; its id is derived from insurer and policy number."""

    @staticmethod
    def create_id(insurer: str, policy_number: str) -> UUID:
        return uuid5(_NAMESPACE, f"{insurer.strip()}/{policy_number.strip()}")

    @classmethod
    def register(
        cls,
        *,
        holder_id: UUID,
        kind: str,
        insurer: str,
        policy_number: str,
        covers_from: date,
        covers_until: date,
        actor: Actor,
    ) -> InsurancePolicy:
        """Register a policy held by a school or an enterprise, acting for the holder."""
        require_party_or_administrator(actor, holder_id, "register_policy")
        require_period(covers_from, covers_until)
        policy: InsurancePolicy = cls(
            holder_id=holder_id,
            kind=validate_policy_kind(kind),
            insurer=require_text(insurer, "insurer"),
            policy_number=require_text(policy_number, "policy_number", 64),
            covers_from=covers_from,
            covers_until=covers_until,
            actor=actor,
        )
        return policy

    @event("Registered")
    def __init__(
        self,
        *,
        holder_id: UUID,
        kind: str,
        insurer: str,
        policy_number: str,
        covers_from: date,
        covers_until: date,
        actor: Actor,
    ) -> None:
        self.holder_id = holder_id
        self.kind = PolicyKind(kind)
        self.insurer = insurer
        self.policy_number = policy_number
        self.periods: list[Period] = [Period(covers_from, covers_until)]
        self.cancelled_on: date | None = None
        # placement id -> list of [on_from, on_until or None] while on the policy
        self.placements: dict[UUID, list[tuple[date, date | None]]] = {}

    # --- commands -------------------------------------------------------------------------

    def _require_open(self, actor: Actor, action: str, placements: Sequence[Placed] = ()) -> None:
        if not (actor.acts_for(self.holder_id) or actor.is_administrator):
            raise NotPermitted(
                action=action, role=str(actor.role), reason=self._held_by(placements)
            )
        if self.cancelled_on is not None:
            raise PolicyCancelled(cancelled_on=self.cancelled_on.isoformat())

    def _held_by(self, placements: Sequence[Placed]) -> str:
        """Why someone other than the holder is refused: whose policy it is, as the
        placements concerned see it (their enterprise's, their school's, or neither)."""
        if placements and all(p.enterprise_id == self.holder_id for p in placements):
            return "policy_of_the_enterprise"
        if placements and all(p.school_id == self.holder_id for p in placements):
            return "policy_of_the_school"
        return "not_policy_holder"

    def require_within_a_period(self, day: date) -> None:
        """Cover begins only on a day the policy itself is in force: a placement put on it
        earlier would show a policy covering days it never covered."""
        if not any(period.includes(day) for period in self.periods):
            raise InvalidValue(
                field="on",
                problem="outside_policy_period",
                value=day.isoformat(),
                periods="; ".join(f"{p.starts_on} – {p.ends_on}" for p in self.periods),
            )

    def holder_is_party_of(self, placement: Placed) -> bool:
        """Whether the holder is the placement's school or enterprise: only then is it cover."""
        return self.holder_id in (placement.school_id, placement.enterprise_id)

    def add_placements(self, *, placements: Sequence[Placed], on: date, actor: Actor) -> None:
        """Put placements on the policy from ``on`` (a cohort may be added at once); each must
        be a placement of the holder's, whoever acts (docs/placements.md)."""
        self._require_open(actor, "cover_placements", placements)
        if not placements:
            raise InvalidValue(field="placements", problem="required")
        self.require_within_a_period(on)
        for placement in placements:
            if not self.holder_is_party_of(placement):
                raise PlacementOfAnotherParty(
                    placement_id=str(placement.id), holder_id=str(self.holder_id)
                )
            if self.is_on_policy(placement.id):
                raise AlreadyCoveredByPolicy(placement_id=str(placement.id))
        placement_ids = list(dict.fromkeys(placement.id for placement in placements))
        self._add_placements(placement_ids=placement_ids, on=on, actor=actor)

    @event("PlacementsAdded")
    def _add_placements(self, *, placement_ids: list[UUID], on: date, actor: Actor) -> None:
        for placement_id in placement_ids:
            self.placements.setdefault(placement_id, []).append((on, None))

    def remove_placements(self, *, placement_ids: list[UUID], on: date, actor: Actor) -> None:
        """Take placements off the policy; they are covered up to the day before ``on``."""
        self._require_open(actor, "uncover_placements")
        for placement_id in placement_ids:
            if not self.is_on_policy(placement_id):
                raise NotCoveredByPolicy(placement_id=str(placement_id))
        self._remove_placements(placement_ids=placement_ids, on=on, actor=actor)

    @event("PlacementsRemoved")
    def _remove_placements(self, *, placement_ids: list[UUID], on: date, actor: Actor) -> None:
        for placement_id in placement_ids:
            spans = self.placements[placement_id]
            spans[-1] = (spans[-1][0], on)

    def remove_cross_party_placements(
        self, *, placements: Sequence[Placed], reason: str, actor: Actor
    ) -> None:
        """Correct links recorded before the party rule was enforced: placements of which the
        holder is not a party come off the policy altogether, as never covered by it. Allowed
        on a cancelled policy too, since it corrects the record rather than changing cover."""
        require_party_or_administrator(actor, self.holder_id, "remove_cross_party_placements")
        if not placements:
            raise InvalidValue(field="placements", problem="required")
        for placement in placements:
            if placement.id not in self.placements:
                raise NotCoveredByPolicy(placement_id=str(placement.id))
            if self.holder_is_party_of(placement):
                raise PlacementOfHoldersOwn(placement_id=str(placement.id))
        self._remove_cross_party_placements(
            placement_ids=list(dict.fromkeys(placement.id for placement in placements)),
            reason=require_reason(reason),
            actor=actor,
        )

    @event("CrossPartyPlacementsRemoved")
    def _remove_cross_party_placements(
        self, *, placement_ids: list[UUID], reason: str, actor: Actor
    ) -> None:
        for placement_id in placement_ids:
            del self.placements[placement_id]

    def renew(self, *, covers_from: date, covers_until: date, actor: Actor) -> None:
        """A new period of cover (a gap between periods is a gap in cover)."""
        self._require_open(actor, "renew_policy")
        require_period(covers_from, covers_until)
        if covers_from <= self.periods[-1].ends_on:
            raise InvalidValue(
                field="covers_from",
                problem="overlaps_current_period",
                value=covers_from.isoformat(),
                current_ends_on=self.periods[-1].ends_on.isoformat(),
            )
        self._renew(covers_from=covers_from, covers_until=covers_until, actor=actor)

    @event("Renewed")
    def _renew(self, *, covers_from: date, covers_until: date, actor: Actor) -> None:
        self.periods.append(Period(covers_from, covers_until))

    def extend(self, *, covers_until: date, actor: Actor) -> None:
        """A later end for the current period."""
        self._require_open(actor, "extend_policy")
        current = self.periods[-1]
        if covers_until <= current.ends_on:
            raise InvalidValue(
                field="covers_until",
                problem="not_later",
                value=covers_until.isoformat(),
                current_ends_on=current.ends_on.isoformat(),
            )
        self._extend(covers_until=covers_until, actor=actor)

    @event("Extended")
    def _extend(self, *, covers_until: date, actor: Actor) -> None:
        self.periods[-1] = Period(self.periods[-1].starts_on, covers_until)

    def cancel(self, *, on: date, reason: str, actor: Actor) -> None:
        """Cancel from ``on``: cover ends the day before, for every placement on the policy."""
        self._require_open(actor, "cancel_policy")
        self._cancel(on=on, reason=require_reason(reason), actor=actor)

    @event("Cancelled")
    def _cancel(self, *, on: date, reason: str, actor: Actor) -> None:
        self.cancelled_on = on

    # --- queries on effective dates ---------------------------------------------------------

    def is_on_policy(self, placement_id: UUID) -> bool:
        spans = self.placements.get(placement_id)
        return bool(spans) and spans[-1][1] is None  # type: ignore[index]

    def in_force_on(self, day: date) -> bool:
        if self.cancelled_on is not None and day >= self.cancelled_on:
            return False
        return any(period.includes(day) for period in self.periods)

    def covers(self, placement_id: UUID, day: date) -> bool:
        """Whether this policy covers the placement on ``day``."""
        if not self.in_force_on(day):
            return False
        return any(
            start <= day and (end is None or day < end)
            for start, end in self.placements.get(placement_id, [])
        )

    def change_days(self) -> set[date]:
        """Days on which this policy's cover of some placement may begin or end."""
        days: set[date] = set()
        for period in self.periods:
            days.update({period.starts_on, period.ends_on + timedelta(days=1)})
        if self.cancelled_on is not None:
            days.add(self.cancelled_on)
        for spans in self.placements.values():
            for start, end in spans:
                days.add(start)
                if end is not None:
                    days.add(end)
        return days
