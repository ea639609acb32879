"""The views of students, placements and insurance policies, and the parties' audit trails."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.actors import Actor, Role
from domain.placement import Placement
from domain.student import Student
from projections.audit import audit_trail
from projections.placements import count_placements, list_placements, placement
from projections.policies import list_policies, policy
from projections.students import count_students, list_students, student
from registry.facade import Registry
from tests.factories import ADMIN, enterprise_user, school_user
from tests.integration.placement_builders import (
    ADULT,
    START,
    Placed,
    add_placement,
    add_student,
    place,
)
from tests.readmodels import dump, from_scratch


@pytest.fixture
def placed(registry: Registry) -> Placed:
    return place(registry)


def test_students_are_pseudonymous_and_keep_no_personal_data(placed: Placed) -> None:
    app = placed.app
    app.correct_student(
        placed.student_id, field="name", value="李晓华", reason="户籍更正", actor=ADMIN
    )
    app.correct_student(
        placed.student_id, field="entry_year", value=2022, reason="笔误", actor=ADMIN
    )
    sealed = app.get(Student, placed.student_id)
    with placed.models.reading() as db:
        found = student(db, str(placed.student_id))
        everything = "".join(db.conn.iterdump())
    assert found is not None
    assert {k: found[k] for k in ("school_id", "gender", "entry_year", "major", "forgotten")} == {
        "school_id": str(placed.school_id),
        "gender": "female",
        "entry_year": 2022,
        "major": "数控加工",
        "forgotten": False,
    }
    assert "李晓华" not in everything and "李小华" not in everything and ADULT not in everything
    for value in (sealed.name, sealed.id_number, sealed.birth_date):
        assert value.ciphertext not in everything


def test_a_forgotten_student_keeps_its_row_with_the_erasure_basis(placed: Placed) -> None:
    other = add_student(placed.app, placed.school_id, "510104200701011237")
    placed.app.forget_student(other, basis="PIPL art. 47(1)", requested_by="guardian", actor=ADMIN)
    with placed.models.reading() as db:
        found = student(db, str(other))
        assert count_students(db, "forgotten") == {"0": 1, "1": 1}
        assert list_students(db, school_id=str(placed.school_id), forgotten=False).total == 1
        assert list_students(db, entry_year=2023, major="数控加工", gender="female").total >= 1
    assert found is not None and found["forgotten"]
    assert (found["erasure_basis"], found["erasure_requested_by"]) == (
        "PIPL art. 47(1)",
        "guardian",
    )


def test_placement_cover_on_a_day_and_its_lapse_with_the_date(placed: Placed) -> None:
    app = placed.app
    app.cancel_policy(
        placed.accident, on=date(2025, 5, 10), reason="退保", actor=school_user(placed.school_id)
    )
    with placed.models.reading() as db:
        before = placement(db, str(placed.placement_id), on=date(2025, 5, 9))
        after = placement(db, str(placed.placement_id), on=date(2025, 5, 10))
    assert before is not None and after is not None
    assert before["coverage"]["in_force"] and before["coverage"]["lapses"] == []
    assert after["coverage"]["missing"] == ["personal_accident"]
    assert after["coverage"]["covered"] == ["internship_liability"]
    assert after["coverage"]["lapses"] == [{"kind": "personal_accident", "on": "2025-05-10"}]
    # the same answers the registry gives from the aggregates
    assert app.missing_cover(placed.placement_id, date(2025, 5, 10)) == ["personal_accident"]
    assert [
        (x.kind, x.on.isoformat()) for x in app.cover_lapses(placed.placement_id, date(2025, 8, 30))
    ] == [(x["kind"], x["on"]) for x in after["coverage"]["lapses"]]
    assert [(p["kind"], p["covers"]) for p in after["coverage"]["policies"]] == [
        ("internship_liability", True),
        ("personal_accident", False),
    ]


def test_placement_status_on_a_day_and_the_filters(placed: Placed) -> None:
    app, host = placed.app, enterprise_user(placed.enterprise_id)
    app.suspend_placement(placed.placement_id, reason="停工", on=date(2025, 4, 1), actor=host)
    app.resume_placement(placed.placement_id, on=date(2025, 4, 15), actor=host)
    app.complete_placement(placed.placement_id, on=date(2025, 8, 31), actor=host)
    waiting = add_placement(
        app,
        placed.school_id,
        placed.agreement_id,
        add_student(app, placed.school_id, "510104200701011237"),
    )
    with placed.models.reading() as db:
        states = {
            day: placement(db, str(placed.placement_id), on=day)["status_on"]  # type: ignore[index]
            for day in (date(2025, 2, 28), date(2025, 4, 1), date(2025, 4, 15), date(2025, 8, 31))
        }
        running = list_placements(db, running=True, on=date(2025, 8, 30))
        not_running = list_placements(db, running=False, on=date(2025, 8, 31))
        assert count_placements(db, "status") == {"completed": 1, "registered": 1}
        assert list_placements(db, policy_id=str(placed.accident)).total == 1
        assert list_placements(db, student_id=str(placed.student_id)).total == 1
        assert (
            list_placements(
                db, enterprise_id=str(placed.enterprise_id), kind="post_internship"
            ).total
            == 2
        )
        found = placement(db, str(placed.placement_id), on=date(2025, 9, 1))
        with pytest.raises(ValueError, match="status must be one of"):
            list_placements(db, status="running")
    assert states == {
        date(2025, 2, 28): "registered",
        date(2025, 4, 1): "suspended",
        date(2025, 4, 15): "started",
        date(2025, 8, 31): "completed",
    }
    assert [p["id"] for p in running.items] == [str(placed.placement_id)]
    assert {p["id"] for p in not_running.items} == {str(placed.placement_id), str(waiting)}
    assert found is not None and found["suspension_periods"] == [
        {"number": 1, "starts_on": "2025-04-01", "ends_on": "2025-04-15"}
    ]
    # the registered placement's cover is missing; it never ran, so nothing lapsed
    (waiting_row,) = [p for p in not_running.items if p["id"] == str(waiting)]
    assert waiting_row["coverage"]["missing"] == ["internship_liability", "personal_accident"]
    assert waiting_row["coverage"]["lapses"] == []


def test_policies_with_their_periods_spans_and_cancellation(placed: Placed) -> None:
    app, actor = placed.app, school_user(placed.school_id)
    app.extend_policy(placed.liability, covers_until=date(2026, 1, 31), actor=actor)
    app.renew_policy(
        placed.liability, covers_from=date(2026, 3, 1), covers_until=date(2026, 12, 31), actor=actor
    )
    app.uncover_placements(
        placed.accident, placement_ids=[placed.placement_id], on=date(2025, 7, 1), actor=actor
    )
    app.cancel_policy(placed.accident, on=date(2025, 9, 1), reason="退保", actor=actor)
    with placed.models.reading() as db:
        liability = policy(db, str(placed.liability), on=date(2026, 2, 15))
        accident = policy(db, str(placed.accident), on=date(2025, 6, 1))
        in_force = list_policies(db, in_force=True, on=date(2025, 10, 1))
        ending = list_policies(db, ending_from=date(2026, 12, 1), ending_until=date(2026, 12, 31))
        assert list_policies(db, holder=str(placed.school_id), kind="personal_accident").total == 1
        assert list_policies(db, placement=str(placed.placement_id)).total == 2
        assert list_policies(db, insurer="中国人保四川分公司").total == 2
        cover = placement(db, str(placed.placement_id), on=date(2026, 2, 15))
    assert liability is not None and accident is not None and cover is not None
    assert [(p["starts_on"], p["ends_on"]) for p in liability["period_list"]] == [
        ("2025-01-01", "2026-01-31"),
        ("2026-03-01", "2026-12-31"),
    ]
    assert not liability["in_force_on"]  # between its periods
    assert liability["holder_name"] == "成都技师学院" and liability["holder_side"] == "school"
    assert accident["cancelled_on"] == "2025-09-01" and accident["placements"] == 0
    assert accident["covered"] == [
        {
            "placement_id": str(placed.placement_id),
            "spans": [["2025-03-01", "2025-07-01"]],
            "on_policy": True,
            "cross_party": False,
        }
    ]
    assert [p["id"] for p in in_force.items] == [str(placed.liability)]
    assert [p["id"] for p in ending.items] == [str(placed.liability)]
    assert [x["kind"] for x in cover["coverage"]["lapses"]] == [
        "personal_accident",
        "internship_liability",
    ]


def test_an_enterprises_trail_holds_its_agreements_placements_and_policies(placed: Placed) -> None:
    app, host = placed.app, enterprise_user(placed.enterprise_id)
    # a policy held by the enterprise, and a later change to the school's cohort policy
    injury = app.register_policy(
        holder_id=placed.enterprise_id,
        kind="work_injury",
        insurer="四川省工伤保险经办机构",
        policy_number="GS-1",
        covers_from=START,
        covers_until=date(2025, 12, 31),
        actor=host,
    )
    app.extend_policy(placed.accident, covers_until=date(2026, 6, 30), actor=ADMIN)
    app.report_fee(
        placed.placement_id,
        amount=Decimal("800"),
        purpose="实习管理费",
        reported_by="学生",
        charged_on=date(2025, 3, 10),
        actor=Actor("auditor", Role.AUDITOR),
    )
    with placed.models.reading() as db:
        trail = audit_trail(db, party=str(placed.enterprise_id), limit=500).items
        school_trail = audit_trail(db, party=str(placed.school_id), limit=500).items
    seen = Counter((e["aggregate_type"], e["event"]) for e in trail)
    assert seen[("CooperationAgreement", "Proposed")] == 1
    assert seen[("Placement", "Registered")] == 1 and seen[("Placement", "FeeReported")] == 1
    assert seen[("InsurancePolicy", "Registered")] == 1  # the enterprise's own policy
    # the school's cohort policies concern the enterprise once they cover its placement
    assert seen[("InsurancePolicy", "PlacementsAdded")] == 2
    assert seen[("InsurancePolicy", "Extended")] == 1
    assert {e["aggregate_id"] for e in trail} >= {str(injury), str(placed.accident)}
    assert [e["position"] for e in trail] == sorted(e["position"] for e in trail)
    school_records = {e["aggregate_type"] for e in school_trail}
    assert {
        "School",
        "Student",
        "Placement",
        "InsurancePolicy",
        "CooperationAgreement",
    } <= school_records
    assert str(injury) not in {e["aggregate_id"] for e in school_trail}


def test_a_groups_trail_holds_its_members_records_from_admission(placed: Placed) -> None:
    app = placed.app
    group_id = app.propose_group(
        lead_id=placed.school_id,
        name="成都智能制造技师学院集团",
        prefectures=["510100"],
        industry_focus="装备制造",
        proposed_on=date(2025, 1, 1),
        actor=school_user(placed.school_id),
    )
    secretariat = Actor("secretary", Role.GROUP_SECRETARIAT, group_id)
    app.admit_to_group(
        group_id, party_id=placed.enterprise_id, on=date(2025, 2, 1), actor=secretariat
    )
    with placed.models.reading() as db:
        by_group = audit_trail(db, party=str(group_id)).items
        by_enterprise = audit_trail(db, party=str(placed.enterprise_id), limit=500).items
    assert [(e["event"], e["acting_for"]) for e in by_group] == [
        ("Proposed", str(placed.school_id)),
        ("MemberAdmitted", str(group_id)),
    ]
    assert ("TrainingGroup", "MemberAdmitted") in {
        (e["aggregate_type"], e["event"]) for e in by_enterprise
    }
    assert ("TrainingGroup", "Proposed") not in {
        (e["aggregate_type"], e["event"]) for e in by_enterprise
    }


def test_placement_views_kept_after_each_command_equal_a_rebuild(placed: Placed) -> None:
    app = placed.app
    app.record_working_arrangement(
        placed.placement_id,
        effective_on=START + timedelta(days=10),
        pay=Decimal("2000"),
        overtime=True,
        actor=enterprise_user(placed.enterprise_id),
    )
    app.end_placement_early(placed.placement_id, reason="病休", on=date(2025, 6, 1), actor=ADMIN)
    app.forget_student(
        placed.student_id, basis="PIPL art. 47(1)", requested_by="student", actor=ADMIN
    )
    assert app.get(Placement, placed.placement_id).ended_on == date(2025, 6, 1)
    with placed.models.reading() as db:
        assert dump(db.conn) == from_scratch(app)
