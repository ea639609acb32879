"""Training groups 技师学院（职业培训）集团 (§四(四)3, 专栏1 item 8, 专栏5 item 3, §四(五)2).

A technician college proposes a group as its lead; the group admits schools, enterprises,
industry parks and associations; it is chartered once it has another school and an enterprise,
operates 实体化运作 from a declared date, may hand its lead to another technician college, and
is dissolved with a reason. The province counts a group as formed from its charter date until
it is dissolved (专栏1 item 8: 2 in 2020, 10 by 2025).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar
from uuid import UUID, uuid4

from eventsourcing.domain import event

from domain.actors import Actor, Role
from domain.errors import InvalidValue, NotPermitted
from domain.group_rules import (
    AlreadyChartered,
    AlreadyLead,
    AlreadyMember,
    AlreadyOperating,
    CharterRequirementsUnmet,
    DateBeforeStep,
    GroupDissolved,
    LeadCannotLeave,
    LeadNotTechnicianCollege,
    Membership,
    NotAMember,
    NotChartered,
    Party,
    PartyType,
    Stage,
    charter_shortfall,
    party_type_of,
    validate_prefectures,
)
from domain.record import Record
from domain.rules import check_correction, require_reason, require_text
from domain.school import School, SchoolKind, SchoolWithdrawn


def _require_not_withdrawn(school: School) -> None:
    if school.withdrawn_on is not None:
        raise SchoolWithdrawn(
            school_id=str(school.id), withdrawn_on=school.withdrawn_on.isoformat()
        )


def _require_lead_candidate(school: School) -> None:
    _require_not_withdrawn(school)
    if school.kind is not SchoolKind.TECHNICIAN_COLLEGE:
        raise LeadNotTechnicianCollege(school_id=str(school.id), kind=school.kind.value)


class TrainingGroup(Record):
    """A group led by a technician college; its secretariat acts with the group's own id."""

    CORRECTABLE: ClassVar[dict[str, Any]] = {
        "name": lambda v: require_text(str(v), "name"),
        "industry_focus": lambda v: require_text(str(v), "industry_focus", 100),
        "prefectures": lambda v: validate_prefectures(list(v)),
    }

    @staticmethod
    def create_id(group_id: UUID | None = None) -> UUID:
        return group_id or uuid4()

    @classmethod
    def propose(
        cls,
        *,
        lead: School,
        name: str,
        prefectures: list[str],
        industry_focus: str,
        proposed_on: date,
        actor: Actor,
        group_id: UUID | None = None,
    ) -> TrainingGroup:
        """Only the lead college's own users propose a group; it is its first member."""
        if not (actor.acts_for(lead.id) and actor.role in (Role.SCHOOL_USER, Role.SYSTEM)):
            raise NotPermitted(action="propose_group", role=str(actor.role))
        _require_lead_candidate(lead)
        group: TrainingGroup = cls(
            group_id=group_id,
            lead_id=lead.id,
            name=require_text(name, "name"),
            prefectures=validate_prefectures(prefectures),
            industry_focus=require_text(industry_focus, "industry_focus", 100),
            proposed_on=proposed_on,
            actor=actor,
        )
        return group

    @event("Proposed")
    def __init__(
        self,
        *,
        group_id: UUID | None,
        lead_id: UUID,
        name: str,
        prefectures: list[str],
        industry_focus: str,
        proposed_on: date,
        actor: Actor,
    ) -> None:
        self.lead_id = lead_id
        self.name = name
        self.prefectures = list(prefectures)
        self.industry_focus = industry_focus
        self.proposed_on = proposed_on
        self.memberships = [Membership(lead_id, PartyType.SCHOOL, proposed_on)]
        self.leads: list[tuple[date, UUID]] = [(proposed_on, lead_id)]
        self.chartered_on: date | None = None
        self.operating_from: date | None = None
        self.dissolved_on: date | None = None

    # --- who acts -------------------------------------------------------------------------

    @property
    def acting_party_ids(self) -> tuple[UUID, UUID]:
        """The secretariat acts with the group's id; the lead college's users act too."""
        return self.id, self.lead_id

    def _require_acting(self, actor: Actor, lead: School, action: str) -> None:
        if actor.party_id == self.id and actor.role in (Role.GROUP_SECRETARIAT, Role.SYSTEM):
            return
        if actor.party_id == self.lead_id and actor.role in (Role.SCHOOL_USER, Role.SYSTEM):
            if lead.id != self.lead_id:
                raise InvalidValue(field="lead", problem="not_current_lead", value=str(lead.id))
            _require_not_withdrawn(lead)
            return
        if actor.party_id is not None:
            spells = self._spells(actor.party_id)
            if spells and spells[-1].left_on is not None:
                raise NotAMember(
                    party_id=str(actor.party_id), left_on=spells[-1].left_on.isoformat()
                )
        raise NotPermitted(action=action, role=str(actor.role))

    def _require_open(self) -> None:
        if self.dissolved_on is not None:
            raise GroupDissolved(group_id=str(self.id), dissolved_on=self.dissolved_on.isoformat())

    def _require_not_before(self, day: date, earliest: date, step: str) -> None:
        if day < earliest:
            raise DateBeforeStep(date=day.isoformat(), step=step, step_on=earliest.isoformat())

    def _check(self, actor: Actor, lead: School, action: str, on: date) -> None:
        self._require_open()
        self._require_acting(actor, lead, action)
        self._require_not_before(on, self.proposed_on, "proposed")

    # --- members --------------------------------------------------------------------------

    def _spells(self, party_id: UUID) -> list[Membership]:
        return [m for m in self.memberships if m.party_id == party_id]

    def current_membership(self, party_id: UUID) -> Membership | None:
        spells = self._spells(party_id)
        return spells[-1] if spells and spells[-1].left_on is None else None

    def admit(self, *, party: Party, on: date, actor: Actor, lead: School) -> None:
        """A party joins from ``on``; it cannot hold two memberships at once."""
        self._check(actor, lead, "admit_member", on)
        if isinstance(party, School):
            _require_not_withdrawn(party)
        for spell in self._spells(party.id):
            if spell.left_on is None or on < spell.left_on:
                raise AlreadyMember(
                    party_id=str(party.id),
                    joined_on=spell.joined_on.isoformat(),
                    left_on=spell.left_on.isoformat() if spell.left_on else None,
                )
        self._admit(party_id=party.id, party_type=party_type_of(party).value, on=on, actor=actor)

    @event("MemberAdmitted")
    def _admit(self, *, party_id: UUID, party_type: str, on: date, actor: Actor) -> None:
        self.memberships.append(Membership(party_id, PartyType(party_type), on))

    def remove(self, *, party_id: UUID, on: date, reason: str, actor: Actor, lead: School) -> None:
        """A member leaves on ``on``; the lead leaves only after handing the lead over."""
        self._check(actor, lead, "remove_member", on)
        spell = self.current_membership(party_id)
        if spell is None:
            raise NotAMember(party_id=str(party_id))
        if party_id == self.lead_id:
            raise LeadCannotLeave(party_id=str(party_id))
        self._require_not_before(on, spell.joined_on, "admitted")
        self._remove(party_id=party_id, on=on, reason=require_reason(reason), actor=actor)

    @event("MemberRemoved")
    def _remove(self, *, party_id: UUID, on: date, reason: str, actor: Actor) -> None:
        index = max(i for i, m in enumerate(self.memberships) if m.party_id == party_id)
        spell = self.memberships[index]
        self.memberships[index] = Membership(spell.party_id, spell.party_type, spell.joined_on, on)

    # --- formation ------------------------------------------------------------------------

    def charter(self, *, on: date, actor: Actor, lead: School) -> None:
        """Chartered only with another school and an enterprise among the members on ``on``."""
        self._check(actor, lead, "charter_group", on)
        if self.chartered_on is not None:
            raise AlreadyChartered(chartered_on=self.chartered_on.isoformat())
        missing = self.charter_shortfall(on)
        if any(missing.values()):
            raise CharterRequirementsUnmet(
                on=on.isoformat(),
                schools_missing=missing["schools"],
                enterprises_missing=missing["enterprises"],
            )
        self._charter(on=on, actor=actor)

    @event("Chartered")
    def _charter(self, *, on: date, actor: Actor) -> None:
        self.chartered_on = on

    def declare_operating(self, *, on: date, actor: Actor, lead: School) -> None:
        """实体化运作 from ``on``; only a chartered group operates."""
        self._check(actor, lead, "declare_operating", on)
        if self.chartered_on is None:
            raise NotChartered(group_id=str(self.id))
        if self.operating_from is not None:
            raise AlreadyOperating(operating_from=self.operating_from.isoformat())
        self._require_not_before(on, self.chartered_on, "chartered")
        self._declare_operating(on=on, actor=actor)

    @event("OperatingDeclared")
    def _declare_operating(self, *, on: date, actor: Actor) -> None:
        self.operating_from = on

    def hand_over_lead(self, *, to: School, on: date, actor: Actor, lead: School) -> None:
        """The lead passes only to another technician college that is a current member."""
        self._check(actor, lead, "hand_over_lead", on)
        if to.id == self.lead_id:
            raise AlreadyLead(school_id=str(to.id))
        spell = self.current_membership(to.id)
        if spell is None:
            raise NotAMember(party_id=str(to.id))
        _require_lead_candidate(to)
        self._require_not_before(on, spell.joined_on, "admitted")
        self._require_not_before(on, self.leads[-1][0], "lead_since")
        self._hand_over_lead(from_id=self.lead_id, to_id=to.id, on=on, actor=actor)

    @event("LeadHandedOver")
    def _hand_over_lead(self, *, from_id: UUID, to_id: UUID, on: date, actor: Actor) -> None:
        self.lead_id = to_id
        self.leads.append((on, to_id))

    def dissolve(self, *, on: date, reason: str, actor: Actor, lead: School) -> None:
        """After dissolution the group accepts nothing; it stops counting as formed on ``on``."""
        self._check(actor, lead, "dissolve_group", on)
        self._dissolve(on=on, reason=require_reason(reason), actor=actor)

    @event("Dissolved")
    def _dissolve(self, *, on: date, reason: str, actor: Actor) -> None:
        self.dissolved_on = on

    def correct(self, *, field: str, value: Any, reason: str, actor: Actor, lead: School) -> None:
        """Fix a fact registered wrongly (name, region, industry focus)."""
        self._require_open()
        self._require_acting(actor, lead, "correct_group")
        value, reason = check_correction(self.CORRECTABLE, field, value, reason)
        self._correct(field=field, value=value, reason=reason, actor=actor)

    @event("Corrected")
    def _correct(self, *, field: str, value: Any, reason: str, actor: Actor) -> None:
        setattr(self, field, value)

    # --- queries on effective dates ---------------------------------------------------------

    def members_on(self, day: date) -> list[Membership]:
        return [m for m in self.memberships if m.is_member_on(day)]

    def charter_shortfall(self, day: date) -> dict[str, int]:
        """What the group still lacks on ``day`` to be chartered (zeros once it has it)."""
        return charter_shortfall(
            [(m.party_id, m.party_type) for m in self.members_on(day)], self.lead_on(day)
        )

    def lead_on(self, day: date) -> UUID:
        current = self.leads[0][1]
        for since, lead_id in self.leads:
            if since <= day:
                current = lead_id
        return current

    def is_formed_on(self, day: date) -> bool:
        """Counted toward 专栏1 item 8: chartered by ``day`` and not dissolved by then."""
        if self.chartered_on is None or day < self.chartered_on:
            return False
        return self.dissolved_on is None or day < self.dissolved_on

    def stage_on(self, day: date) -> Stage:
        if self.dissolved_on is not None and day >= self.dissolved_on:
            return Stage.DISSOLVED
        if self.operating_from is not None and day >= self.operating_from:
            return Stage.OPERATING
        if self.is_formed_on(day):
            return Stage.CHARTERED
        return Stage.PROPOSED
