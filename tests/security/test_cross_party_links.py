"""A policy covers only placements of its holder, whoever acts; links recorded before the rule
was enforced are a finding, never cover, until a correction removes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest

from domain.actors import Actor
from domain.errors import NotPermitted
from domain.id_number import with_check_character
from domain.insurance import InsurancePolicy, PlacementOfAnotherParty, PlacementOfHoldersOwn
from domain.placement import CoverMissing, Placement, StudentNotAtSchool
from domain.teacher_practice import NotTheSchoolsAgreement
from projections import attach
from projections.finding_queries import findings
from projections.placements import placement as placement_row
from projections.policies import policy as policy_row
from registry.errors import NotFound
from registry.facade import Registry
from tests.factories import (
    ADMIN,
    enterprise_user,
    link_as_the_old_code_did,
    school_user,
)
from tests.integration.placement_builders import (
    START,
    add_placement,
    add_policy,
    add_student,
    setting,
)

OTHER_STUDENT = with_check_character("51010420070316123")


@dataclass(frozen=True)
class Parties:
    school_id: UUID
    enterprise_id: UUID
    agreement_id: UUID


def parties(app: Registry, serial: int) -> Parties:
    return Parties(*setting(app, serial))


def last_position(app: Registry) -> int:
    return app.recorder.max_notification_id() or 0


@pytest.fixture
def world(any_store: Registry) -> tuple[Registry, Parties, Parties, UUID]:
    """Parties A and B; a placement of B's (school B's student with enterprise B)."""
    app = any_store
    a, b = parties(app, 1), parties(app, 2)
    student_id = add_student(app, b.school_id, OTHER_STUDENT)
    return app, a, b, add_placement(app, b.school_id, b.agreement_id, student_id)


def policy_of(app: Registry, holder_id: UUID, actor: Actor, number: str) -> UUID:
    return app.register_policy(
        holder_id=holder_id,
        kind="personal_accident",
        insurer="中国人保四川分公司",
        policy_number=number,
        covers_from=date(2025, 1, 1),
        covers_until=date(2025, 12, 31),
        actor=actor,
    )


@pytest.mark.parametrize("acting", ["enterprise", "school", "administrator"])
def test_no_one_links_another_partys_placement_to_a_policy(
    world: tuple[Registry, Parties, Parties, UUID], acting: str
) -> None:
    app, a, _b, theirs = world
    holder, actor = {
        "enterprise": (a.enterprise_id, enterprise_user(a.enterprise_id)),
        "school": (a.school_id, school_user(a.school_id)),
        "administrator": (a.enterprise_id, ADMIN),
    }[acting]
    own = policy_of(app, holder, actor, f"P-{acting}")
    before = last_position(app)
    # the holder's own policy, another party's placement: refused, whoever acts
    with pytest.raises(PlacementOfAnotherParty) as refused:
        app.cover_placements(own, placement_ids=[theirs], on=START, actor=actor)
    assert refused.value.params == {"placement_id": str(theirs), "holder_id": str(holder)}
    # nothing recorded: no event, the policy lists nothing, the placement knows no policy
    assert last_position(app) == before
    assert app.get(InsurancePolicy, own).placements == {}
    assert app.get(Placement, theirs).policy_ids == []


def test_a_cohort_with_one_foreign_placement_is_refused_whole(
    world: tuple[Registry, Parties, Parties, UUID],
) -> None:
    app, a, _b, theirs = world
    mine = add_placement(app, a.school_id, a.agreement_id, add_student(app, a.school_id))
    own = policy_of(app, a.school_id, school_user(a.school_id), "P-cohort")
    before = last_position(app)
    with pytest.raises(PlacementOfAnotherParty):
        app.cover_placements(own, placement_ids=[mine, theirs], on=START, actor=ADMIN)
    assert last_position(app) == before
    # the holder's own placement alone is fine
    app.cover_placements(own, placement_ids=[mine], on=START, actor=school_user(a.school_id))
    assert app.get(InsurancePolicy, own).is_on_policy(mine)


def test_a_link_recorded_before_the_rule_is_a_finding_and_no_cover_until_corrected(
    registry: Registry,
) -> None:
    app = registry
    models = attach(app)
    a, b = parties(app, 1), parties(app, 2)
    student_id = add_student(app, b.school_id, OTHER_STUDENT)
    theirs = add_placement(app, b.school_id, b.agreement_id, student_id)
    app.record_tripartite_agreement(theirs, signed_on=START, actor=ADMIN)
    # B's own liability cover; the accident cover comes only from enterprise A's policy
    liability = add_policy(app, b.school_id, "internship_liability", "L-B")
    app.cover_placements(liability, placement_ids=[theirs], on=START, actor=ADMIN)
    foreign = policy_of(app, a.enterprise_id, enterprise_user(a.enterprise_id), "A-A")
    link_as_the_old_code_did(app, foreign, theirs, enterprise_user(a.enterprise_id), START)
    models.catch_up()

    # shown as a finding about B's placement, naming the policy
    with models.reading() as db:
        (finding,) = findings(db, on=date(2030, 1, 1), rule="cross_party_cover").items
        row = placement_row(db, str(theirs), START)
    assert (finding["state"], finding["subject_id"], finding["subject_key"]) == (
        "open",
        str(theirs),
        str(foreign),
    )
    assert (finding["school_id"], finding["enterprise_id"]) == (
        str(b.school_id),
        str(b.enterprise_id),
    )
    assert finding["detail"] == {"insurer": "中国人保四川分公司", "policy_number": "A-A"}
    # the cover ignores the link: the read side, the check shown before start, and the start
    assert row is not None and row["coverage"]["missing"] == ["personal_accident"]
    assert app.missing_cover(theirs, START) == ["personal_accident"]
    assert app.cover_lapses(theirs, START) == []
    with pytest.raises(CoverMissing) as refused:
        app.start_placement(theirs, on=START, actor=school_user(b.school_id))
    assert refused.value.params["kinds"] == ["personal_accident"]

    # the correction needs a reason, and the holder or an administrator
    with pytest.raises(NotPermitted):
        app.remove_cross_party_placements(
            foreign, placement_ids=[theirs], reason="误挂", actor=school_user(b.school_id)
        )
    with pytest.raises(PlacementOfHoldersOwn):
        app.remove_cross_party_placements(
            liability, placement_ids=[theirs], reason="误挂", actor=ADMIN
        )
    app.remove_cross_party_placements(
        foreign,
        placement_ids=[theirs],
        reason="他方保单误挂本校实习",
        actor=enterprise_user(a.enterprise_id),
    )
    models.catch_up()
    with models.reading() as db:
        (closed,) = findings(db, on=date(2030, 1, 1), rule="cross_party_cover").items
        listed = policy_row(db, str(foreign), START)
    assert closed["state"] == "closed" and closed["closed_position"] is not None
    assert listed is not None and listed["covered"] == [] and listed["placements"] == 0
    assert app.get(Placement, theirs).policy_ids == [liability]
    assert app.get(InsurancePolicy, foreign).placements == {}


# --- every other command that links two records checks, for an administrator too ------------


def test_an_administrator_cannot_place_a_student_under_another_schools_agreement(
    world: tuple[Registry, Parties, Parties, UUID],
) -> None:
    app, a, _b, theirs = world
    student_of_b = app.get(Placement, theirs).student_id
    before = last_position(app)
    with pytest.raises(StudentNotAtSchool):
        app.register_placement(
            student_id=student_of_b,
            agreement_id=a.agreement_id,
            kind="post_internship",
            position="数控操作工",
            workplace_prefecture="510100",
            starts_on=START,
            ends_on=date(2025, 8, 31),
            mentor="E-0007",
            supervising_teacher="T-0042",
            actor=ADMIN,
        )
    assert last_position(app) == before


def test_a_school_cannot_log_practice_under_another_schools_agreement(
    world: tuple[Registry, Parties, Parties, UUID],
) -> None:
    app, a, b, _theirs = world
    before = last_position(app)
    with pytest.raises(NotTheSchoolsAgreement):
        app.log_teacher_practice(
            school_id=a.school_id,
            staff_number="T-0001",
            agreement_id=b.agreement_id,
            starts_on=date(2025, 1, 1),
            ends_on=date(2025, 3, 31),
            actor=school_user(a.school_id),
        )
    assert last_position(app) == before


def test_an_administrator_cannot_bind_a_group_secretariat_to_a_record_other_than_a_group(
    world: tuple[Registry, Parties, Parties, UUID],
) -> None:
    app, a, _b, theirs = world
    before = last_position(app)
    for not_a_group in (a.school_id, theirs):
        with pytest.raises(NotFound):
            app.add_account(
                username=f"secretary-{not_a_group}",
                display_name="秘书处",
                role="group_secretariat",
                party_id=not_a_group,
                actor=ADMIN,
            )
    assert last_position(app) == before


def test_no_claim_against_another_partys_policy_linked_before_the_rule(
    registry: Registry,
) -> None:
    app = registry
    a, b = parties(app, 1), parties(app, 2)
    theirs = add_placement(app, b.school_id, b.agreement_id, add_student(app, b.school_id))
    foreign = policy_of(app, a.enterprise_id, ADMIN, "A-claim")
    link_as_the_old_code_did(app, foreign, theirs, ADMIN, START)
    before = last_position(app)
    with pytest.raises(PlacementOfAnotherParty):
        app.file_claim(
            theirs,
            policy_id=foreign,
            filed_on=date(2025, 4, 5),
            amount=Decimal("5000"),
            actor=ADMIN,
        )
    assert last_position(app) == before
