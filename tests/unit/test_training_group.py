"""Training groups: proposal by a technician college, members, charter, operation, lead,
dissolution, and who may act for the group."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from domain.actors import Actor, Role
from domain.errors import InvalidValue, NotCorrectable, NotPermitted, UnknownPrefecture
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
    NotAMember,
    NotChartered,
    PartyType,
    Stage,
    charter_shortfall,
)
from domain.organisation import Organisation
from domain.school import School, SchoolWithdrawn
from domain.training_group import TrainingGroup
from tests.factories import ADMIN, enterprise, school, school_user, uscc

PROPOSED_ON = date(2024, 1, 1)


def secretariat(group: TrainingGroup) -> Actor:
    return Actor("secretary", Role.GROUP_SECRETARIAT, group.id)


def organisation(serial: int, kind: str = "industry_park") -> Organisation:
    return Organisation.register(
        uscc=uscc("51", serial),
        name=f"测试园区{serial}",
        kind=kind,
        prefecture="510100",
        actor=ADMIN,
    )


def propose(lead: School, **changes: Any) -> TrainingGroup:
    values: dict[str, Any] = {
        "lead": lead,
        "name": "成都智能制造技师学院集团",
        "prefectures": ["510100", "510600"],
        "industry_focus": "装备制造",
        "proposed_on": PROPOSED_ON,
        "actor": school_user(lead.id),
    }
    values.update(changes)
    return TrainingGroup.propose(**values)


@pytest.fixture
def lead() -> School:
    return school(1)


@pytest.fixture
def group(lead: School) -> TrainingGroup:
    return propose(lead)


def chartered(group: TrainingGroup, lead: School) -> tuple[School, Any]:
    member_school, member_enterprise = school(2), enterprise(1)
    for party in (member_school, member_enterprise):
        group.admit(party=party, on=date(2024, 2, 1), actor=secretariat(group), lead=lead)
    group.charter(on=date(2024, 3, 1), actor=secretariat(group), lead=lead)
    return member_school, member_enterprise


def test_group_is_proposed_chartered_and_operates(group: TrainingGroup, lead: School) -> None:
    # construct: the lead college proposes; it is the first member
    assert group.lead_id == lead.id
    assert [m.party_id for m in group.members_on(PROPOSED_ON)] == [lead.id]
    assert group.acting_party_ids == (group.id, lead.id)
    # evolve: the secretariat admits a park, an association, a school and an enterprise
    for party in (organisation(1), organisation(2, "association")):
        group.admit(party=party, on=date(2024, 1, 15), actor=secretariat(group), lead=lead)
    chartered(group, lead)
    group.declare_operating(on=date(2024, 9, 1), actor=school_user(lead.id), lead=lead)
    # query: stages and formation on effective dates
    types = [m.party_type for m in group.members_on(date(2024, 3, 1))]
    assert types == [
        PartyType.SCHOOL,
        PartyType.INDUSTRY_PARK,
        PartyType.ASSOCIATION,
        PartyType.SCHOOL,
        PartyType.ENTERPRISE,
    ]
    assert group.stage_on(date(2024, 2, 29)) is Stage.PROPOSED
    assert not group.is_formed_on(date(2024, 2, 29))
    assert group.stage_on(date(2024, 3, 1)) is Stage.CHARTERED
    assert group.is_formed_on(date(2024, 3, 1))
    assert group.stage_on(date(2024, 9, 1)) is Stage.OPERATING


def test_only_a_technician_college_leads(lead: School) -> None:
    senior = school(2, kind="senior_technical_school")
    with pytest.raises(LeadNotTechnicianCollege) as refused:
        propose(senior)
    assert refused.value.params == {
        "school_id": str(senior.id),
        "kind": "senior_technical_school",
    }


@pytest.mark.parametrize(
    "actor",
    [
        Actor("other", Role.SCHOOL_USER, UUID(int=7)),
        Actor("admin", Role.PROVINCE_ADMIN),
        Actor("firm", Role.ENTERPRISE_USER),
    ],
)
def test_only_the_lead_colleges_users_propose(lead: School, actor: Actor) -> None:
    with pytest.raises(NotPermitted) as refused:
        propose(lead, actor=actor)
    assert refused.value.params["action"] == "propose_group"


def test_a_withdrawn_college_cannot_propose(lead: School) -> None:
    lead.withdraw(on=date(2023, 6, 30), reason="合并", actor=ADMIN)
    with pytest.raises(SchoolWithdrawn):
        propose(lead)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"prefectures": []}, InvalidValue),
        ({"prefectures": ["510200"]}, UnknownPrefecture),
        ({"name": " "}, InvalidValue),
        ({"industry_focus": ""}, InvalidValue),
    ],
)
def test_proposal_needs_name_region_and_focus(
    lead: School, changes: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        propose(lead, **changes)


def test_charter_needs_another_school_and_an_enterprise(group: TrainingGroup, lead: School) -> None:
    actor, on = secretariat(group), date(2024, 3, 1)
    # a park and an association do not make a group
    group.admit(party=organisation(1), on=date(2024, 2, 1), actor=actor, lead=lead)
    with pytest.raises(CharterRequirementsUnmet) as refused:
        group.charter(on=on, actor=actor, lead=lead)
    assert refused.value.params == {
        "on": "2024-03-01",
        "schools_missing": 1,
        "enterprises_missing": 1,
    }
    group.admit(party=school(2), on=date(2024, 2, 1), actor=actor, lead=lead)
    assert group.charter_shortfall(on) == {"schools": 0, "enterprises": 1}
    # an enterprise admitted after the charter date does not count on that date
    group.admit(party=enterprise(1), on=date(2024, 4, 1), actor=actor, lead=lead)
    with pytest.raises(CharterRequirementsUnmet) as refused:
        group.charter(on=on, actor=actor, lead=lead)
    assert refused.value.params["enterprises_missing"] == 1
    group.charter(on=date(2024, 4, 1), actor=actor, lead=lead)
    assert group.chartered_on == date(2024, 4, 1)
    with pytest.raises(AlreadyChartered):
        group.charter(on=date(2024, 5, 1), actor=actor, lead=lead)


def test_operating_follows_a_charter(group: TrainingGroup, lead: School) -> None:
    actor = secretariat(group)
    with pytest.raises(NotChartered):
        group.declare_operating(on=date(2024, 9, 1), actor=actor, lead=lead)
    chartered(group, lead)
    with pytest.raises(DateBeforeStep) as refused:
        group.declare_operating(on=date(2024, 2, 1), actor=actor, lead=lead)
    assert refused.value.params == {
        "date": "2024-02-01",
        "step": "chartered",
        "step_on": "2024-03-01",
    }
    group.declare_operating(on=date(2024, 9, 1), actor=actor, lead=lead)
    with pytest.raises(AlreadyOperating):
        group.declare_operating(on=date(2024, 10, 1), actor=actor, lead=lead)


def test_a_party_is_never_a_member_twice_at_once(group: TrainingGroup, lead: School) -> None:
    actor, firm = secretariat(group), enterprise(1)
    group.admit(party=firm, on=date(2024, 2, 1), actor=actor, lead=lead)
    with pytest.raises(AlreadyMember) as refused:
        group.admit(party=firm, on=date(2024, 5, 1), actor=actor, lead=lead)
    assert refused.value.params == {
        "party_id": str(firm.id),
        "joined_on": "2024-02-01",
        "left_on": None,
    }
    group.remove(party_id=firm.id, on=date(2024, 6, 30), reason="转产", actor=actor, lead=lead)
    # rejoining is possible, but not dated inside the earlier membership
    with pytest.raises(AlreadyMember):
        group.admit(party=firm, on=date(2024, 6, 1), actor=actor, lead=lead)
    group.admit(party=firm, on=date(2025, 1, 1), actor=actor, lead=lead)
    assert [m.is_member_on(date(2024, 8, 1)) for m in group.memberships[1:]] == [False, False]
    assert group.current_membership(firm.id) == group.memberships[-1]


def test_removal_needs_a_current_member_and_a_reason(group: TrainingGroup, lead: School) -> None:
    actor, firm = secretariat(group), enterprise(1)
    with pytest.raises(NotAMember):
        group.remove(party_id=firm.id, on=date(2024, 6, 30), reason="x", actor=actor, lead=lead)
    group.admit(party=firm, on=date(2024, 2, 1), actor=actor, lead=lead)
    with pytest.raises(InvalidValue):
        group.remove(party_id=firm.id, on=date(2024, 6, 30), reason=" ", actor=actor, lead=lead)
    with pytest.raises(DateBeforeStep):
        group.remove(party_id=firm.id, on=date(2024, 1, 31), reason="x", actor=actor, lead=lead)


def test_the_lead_cannot_leave(group: TrainingGroup, lead: School) -> None:
    with pytest.raises(LeadCannotLeave):
        group.remove(
            party_id=lead.id,
            on=date(2024, 6, 1),
            reason="退出",
            actor=secretariat(group),
            lead=lead,
        )


def test_lead_passes_only_to_a_technician_college_member(
    group: TrainingGroup, lead: School
) -> None:
    actor, on = secretariat(group), date(2024, 9, 1)
    college, senior = school(2), school(3, kind="senior_technical_school")
    with pytest.raises(AlreadyLead):
        group.hand_over_lead(to=lead, on=on, actor=actor, lead=lead)
    with pytest.raises(NotAMember):
        group.hand_over_lead(to=college, on=on, actor=actor, lead=lead)
    group.admit(party=senior, on=date(2024, 2, 1), actor=actor, lead=lead)
    with pytest.raises(LeadNotTechnicianCollege):
        group.hand_over_lead(to=senior, on=on, actor=actor, lead=lead)
    group.admit(party=college, on=date(2024, 2, 1), actor=actor, lead=lead)
    with pytest.raises(DateBeforeStep):
        group.hand_over_lead(to=college, on=date(2024, 1, 20), actor=actor, lead=lead)
    group.hand_over_lead(to=college, on=on, actor=actor, lead=lead)
    assert group.lead_id == college.id
    assert group.lead_on(date(2024, 8, 31)) == lead.id
    assert group.lead_on(on) == college.id


def test_lead_cannot_pass_to_a_withdrawn_college(group: TrainingGroup, lead: School) -> None:
    college = school(2)
    group.admit(party=college, on=date(2024, 2, 1), actor=secretariat(group), lead=lead)
    college.withdraw(on=date(2024, 6, 30), reason="合并", actor=ADMIN)
    with pytest.raises(SchoolWithdrawn):
        group.hand_over_lead(to=college, on=date(2024, 9, 1), actor=secretariat(group), lead=lead)


def test_a_withdrawn_school_is_not_admitted(group: TrainingGroup, lead: School) -> None:
    other = school(2)
    other.withdraw(on=date(2023, 6, 30), reason="合并", actor=ADMIN)
    with pytest.raises(SchoolWithdrawn):
        group.admit(party=other, on=date(2024, 2, 1), actor=secretariat(group), lead=lead)


def test_a_withdrawn_lead_cannot_act_but_the_secretariat_hands_over(
    group: TrainingGroup, lead: School
) -> None:
    college = school(2)
    group.admit(party=college, on=date(2024, 2, 1), actor=secretariat(group), lead=lead)
    lead.withdraw(on=date(2024, 6, 30), reason="合并", actor=ADMIN)
    with pytest.raises(SchoolWithdrawn):
        group.admit(party=enterprise(1), on=date(2024, 7, 1), actor=school_user(lead.id), lead=lead)
    group.hand_over_lead(to=college, on=date(2024, 7, 1), actor=secretariat(group), lead=lead)
    assert group.lead_id == college.id


def test_a_removed_member_cannot_act_for_the_group(group: TrainingGroup, lead: School) -> None:
    actor, college = secretariat(group), school(2)
    group.admit(party=college, on=date(2024, 2, 1), actor=actor, lead=lead)
    group.hand_over_lead(to=college, on=date(2024, 9, 1), actor=school_user(lead.id), lead=lead)
    # the former lead is now an ordinary member: it no longer acts for the group
    with pytest.raises(NotPermitted):
        group.admit(
            party=enterprise(1), on=date(2024, 10, 1), actor=school_user(lead.id), lead=college
        )
    group.remove(party_id=lead.id, on=date(2024, 12, 31), reason="退出", actor=actor, lead=college)
    with pytest.raises(NotAMember) as refused:
        group.admit(
            party=enterprise(1), on=date(2025, 1, 2), actor=school_user(lead.id), lead=college
        )
    assert refused.value.params == {"party_id": str(lead.id), "left_on": "2024-12-31"}


@pytest.mark.parametrize(
    "actor",
    [
        Actor("other-secretary", Role.GROUP_SECRETARIAT, UUID(int=9)),
        Actor("member", Role.ENTERPRISE_USER, UUID(int=10)),
        Actor("admin", Role.PROVINCE_ADMIN),
    ],
)
def test_strangers_do_not_act_for_the_group(
    group: TrainingGroup, lead: School, actor: Actor
) -> None:
    with pytest.raises(NotPermitted):
        group.admit(party=enterprise(1), on=date(2024, 2, 1), actor=actor, lead=lead)


def test_no_step_is_dated_before_the_proposal(group: TrainingGroup, lead: School) -> None:
    with pytest.raises(DateBeforeStep) as refused:
        group.admit(party=enterprise(1), on=date(2023, 12, 31), actor=secretariat(group), lead=lead)
    assert refused.value.params["step"] == "proposed"


def test_a_dissolved_group_accepts_nothing(group: TrainingGroup, lead: School) -> None:
    actor = secretariat(group)
    chartered(group, lead)
    with pytest.raises(InvalidValue):
        group.dissolve(on=date(2025, 6, 30), reason="", actor=actor, lead=lead)
    group.dissolve(on=date(2025, 6, 30), reason="成员并入他集团", actor=actor, lead=lead)
    assert group.is_formed_on(date(2025, 6, 29)) and not group.is_formed_on(date(2025, 6, 30))
    assert group.stage_on(date(2025, 7, 1)) is Stage.DISSOLVED
    with pytest.raises(GroupDissolved) as refused:
        group.admit(party=enterprise(2), on=date(2025, 7, 1), actor=actor, lead=lead)
    assert refused.value.params["dissolved_on"] == "2025-06-30"
    with pytest.raises(GroupDissolved):
        group.dissolve(on=date(2025, 7, 1), reason="再次", actor=actor, lead=lead)
    with pytest.raises(GroupDissolved):
        group.correct(field="name", value="新名", reason="更名", actor=actor, lead=lead)


def test_corrections_name_a_correctable_field(group: TrainingGroup, lead: School) -> None:
    group.correct(
        field="prefectures",
        value=["510100"],
        reason="录入错误",
        actor=secretariat(group),
        lead=lead,
    )
    assert group.prefectures == ["510100"]
    with pytest.raises(NotCorrectable):
        group.correct(
            field="lead_id", value=str(UUID(int=1)), reason="x", actor=secretariat(group), lead=lead
        )


def test_what_a_group_lacks_is_computable_from_its_events_alone(
    group: TrainingGroup, lead: School
) -> None:
    actor = secretariat(group)
    group.admit(party=enterprise(1), on=date(2024, 2, 1), actor=actor, lead=lead)
    group.admit(party=organisation(1), on=date(2024, 2, 1), actor=actor, lead=lead)
    events = group.collect_events()
    # a projection sees only the events: lead and members with their types
    members = [(events[0].lead_id, "school")]
    members += [(e.party_id, e.party_type) for e in events[1:]]
    assert charter_shortfall(members, events[0].lead_id) == {"schools": 1, "enterprises": 0}
    assert group.charter_shortfall(date(2024, 2, 1)) == {"schools": 1, "enterprises": 0}
    # replaying the same events rebuilds the same group
    rebuilt = None
    for domain_event in events:
        rebuilt = domain_event.mutate(rebuilt)
    assert vars(rebuilt) == vars(group)
