"""Which kinds of insurance each kind of placement requires (§四(六)4).

Defaults: liability and accident cover for internships, work-injury and accident cover for
apprenticeships. A province administrator may change them for future placements; the set in
force is copied onto each placement when it is registered, so a later change never changes
what an earlier placement required.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.actors import Actor
from domain.errors import InvalidValue
from domain.placement import DEFAULT_REQUIRED_COVER, PlacementKind, validate_required_cover
from domain.record import Record
from domain.rules import require_administrator, require_reason

COVER_REQUIREMENTS_ID = uuid5(NAMESPACE_URL, "urn:sichuan-coop-registry:cover-requirements")


class CoverRequirements(Record):
    """The one record of the province's cover requirements."""

    @staticmethod
    def create_id() -> UUID:
        return COVER_REQUIREMENTS_ID

    @classmethod
    def establish(cls, *, actor: Actor) -> CoverRequirements:
        require_administrator(actor, "set_cover_requirements")
        requirements: CoverRequirements = cls(actor=actor)
        return requirements

    @event("Established")
    def __init__(self, *, actor: Actor) -> None:
        self.required: dict[str, list[str]] = {
            k: list(v) for k, v in DEFAULT_REQUIRED_COVER.items()
        }

    def set_required(
        self, *, placement_kind: str, policy_kinds: list[str], reason: str, actor: Actor
    ) -> None:
        require_administrator(actor, "set_cover_requirements")
        try:
            kind = PlacementKind(placement_kind).value
        except ValueError:
            raise InvalidValue(
                field="placement_kind", problem="unknown", value=placement_kind
            ) from None
        self._set_required(
            placement_kind=kind,
            policy_kinds=validate_required_cover(policy_kinds),
            reason=require_reason(reason),
            actor=actor,
        )

    @event("RequirementSet")
    def _set_required(
        self, *, placement_kind: str, policy_kinds: list[str], reason: str, actor: Actor
    ) -> None:
        self.required[placement_kind] = policy_kinds

    def required_for(self, placement_kind: str) -> list[str]:
        return list(self.required[placement_kind])
