"""What a training group is made of and must have, and the refusals of its formation steps.

``charter_shortfall`` works on plain (party, type) pairs so that a projection folding the
group's events computes "what each proposed group still lacks" exactly as the aggregate does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from domain.enterprise import Enterprise
from domain.errors import DomainError, InvalidValue
from domain.organisation import Organisation
from domain.prefectures import validate_prefecture
from domain.school import School

# 专栏1 item 8: groups formed in 2020 and the 2025 target
GROUPS_2020 = 2
GROUPS_TARGET_2025 = 10


class PartyType(StrEnum):
    SCHOOL = "school"
    ENTERPRISE = "enterprise"
    INDUSTRY_PARK = "industry_park"
    ASSOCIATION = "association"


class Stage(StrEnum):
    PROPOSED = "proposed"
    CHARTERED = "chartered"
    OPERATING = "operating"
    DISSOLVED = "dissolved"


Party = School | Enterprise | Organisation


@dataclass(frozen=True)
class Membership:
    party_id: UUID
    party_type: PartyType
    joined_on: date
    left_on: date | None = None

    def is_member_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


def party_type_of(party: Party) -> PartyType:
    if isinstance(party, School):
        return PartyType.SCHOOL
    if isinstance(party, Enterprise):
        return PartyType.ENTERPRISE
    return PartyType(party.kind.value)


def charter_shortfall(members: Iterable[tuple[UUID, str]], lead_id: UUID) -> dict[str, int]:
    """Schools besides the lead and enterprises still missing for a charter (0 when met)."""
    types = [PartyType(t) for party_id, t in members if party_id != lead_id]
    schools = sum(t is PartyType.SCHOOL for t in types)
    enterprises = sum(t is PartyType.ENTERPRISE for t in types)
    return {"schools": max(0, 1 - schools), "enterprises": max(0, 1 - enterprises)}


def validate_prefectures(prefectures: list[str]) -> list[str]:
    checked: list[str] = []
    for code in prefectures:
        code = validate_prefecture(str(code).strip())
        if code not in checked:
            checked.append(code)
    if not checked:
        raise InvalidValue(field="prefectures", problem="required")
    return checked


class LeadNotTechnicianCollege(DomainError):
    """Only a technician college can lead a training group."""

    code = "lead_not_technician_college"


class GroupDissolved(DomainError):
    """The group was dissolved and accepts no further changes."""

    code = "group_dissolved"


class AlreadyMember(DomainError):
    """The party is already a member of the group at that date."""

    code = "already_member"


class NotAMember(DomainError):
    """The party is not a current member of the group."""

    code = "not_a_member"


class LeadCannotLeave(DomainError):
    """The lead college leaves only after handing the lead to another technician college."""

    code = "lead_cannot_leave"


class AlreadyLead(DomainError):
    """The school leads the group already."""

    code = "already_lead"


class CharterRequirementsUnmet(DomainError):
    """A group is chartered only with one more school besides its lead and one enterprise."""

    code = "charter_requirements_unmet"


class AlreadyChartered(DomainError):
    """The group has been chartered already."""

    code = "already_chartered"


class NotChartered(DomainError):
    """The group must be chartered before it operates."""

    code = "group_not_chartered"


class AlreadyOperating(DomainError):
    """The group has declared that it operates already."""

    code = "already_operating"


class DateBeforeStep(DomainError):
    """The date is earlier than the step of the group it must follow."""

    code = "date_before_step"
