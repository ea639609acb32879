"""Each compliance rule opened and closed by what should open and close it, at its boundary
days; the findings of both kinds answered together; upcoming notices."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.placement import IntermediaryRefused, Placement
from projections import attach, finding_queries
from projections.engine.read_models import ReadModels
from projections.finding_placements import WORKING_RULES
from projections.finding_queries import count_findings, findings, upcoming
from registry.commands import returns as return_commands
from registry.config import Settings
from registry.facade import Registry
from tests.factories import ADMIN, enterprise_user, school_user, uscc
from tests.integration.group_builders import (
    FIGURES,
    register_enterprise,
    register_school,
    seed_teacher,
)
from tests.integration.placement_builders import START, Placed, add_policy, place
from tests.readmodels import dump, from_scratch


@pytest.fixture
def placed(registry: Registry) -> Placed:
    return place(registry)


@pytest.fixture
def models(registry: Registry) -> ReadModels:
    return attach(registry)


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Make the registry record filings on a chosen Asia/Shanghai day."""

    def set_day(day: date) -> None:
        monkeypatch.setattr(return_commands, "today", lambda: day)

    return set_day


def found(models: ReadModels, day: date, rule: str, **filters: Any) -> list[dict[str, Any]]:
    with models.reading() as db:
        return findings(db, on=day, rule=rule, limit=500, **filters).items


def states(models: ReadModels, day: date, rule: str) -> list[tuple[str, str, str | None]]:
    """(state, opened on, closed on) of the rule's findings on ``day``, oldest first."""
    return sorted((f["state"], f["opened_on"], f["closed_on"]) for f in found(models, day, rule))


def test_a_fee_charged_to_a_student_opens_a_finding_on_the_day_it_was_charged(
    placed: Placed,
) -> None:
    for charged_on in (date(2025, 3, 10), date(2025, 4, 1)):
        placed.app.report_fee(
            placed.placement_id,
            amount=Decimal("800"),
            purpose="实习管理费",
            reported_by="学生家长来电反映",
            charged_on=charged_on,
            actor=ADMIN,
        )
    assert found(placed.models, date(2025, 3, 9), "fee_charged_to_student") == []
    (first,) = found(placed.models, date(2025, 3, 10), "fee_charged_to_student")
    assert (first["state"], first["subject_id"], first["subject_key"]) == (
        "open",
        str(placed.placement_id),
        "1",
    )
    assert first["opened_position"] == placed.app.max_position() - 1
    assert first["enterprise_id"] == str(placed.enterprise_id)
    assert first["detail"] == {"amount": "800", "purpose": "实习管理费"}  # no reporter's words
    assert first["severity"] == "high" and first["opened_by"] == "event"
    assert len(found(placed.models, date(2025, 4, 1), "fee_charged_to_student")) == 2


def test_working_arrangements_open_and_close_violations_by_their_effective_days(
    placed: Placed,
) -> None:
    app, host = placed.app, enterprise_user(placed.enterprise_id)

    def arrange(on: date, pay: str, **flags: bool) -> None:
        app.record_working_arrangement(
            placed.placement_id,
            effective_on=on,
            pay=Decimal(pay),
            post_wage=Decimal("3000"),
            actor=host,
            **flags,
        )

    arrange(date(2025, 3, 1), "2300", overtime=True)  # 2300 < 80% of 3000
    arrange(date(2025, 5, 1), "2300")
    arrange(date(2025, 6, 1), "2400", night_shifts=True)
    app.complete_placement(placed.placement_id, on=date(2025, 8, 31), actor=host)
    models = placed.models
    assert states(models, date(2025, 4, 30), "overtime") == [("open", "2025-03-01", None)]
    assert states(models, date(2025, 5, 1), "overtime") == [("closed", "2025-03-01", "2025-05-01")]
    assert states(models, date(2025, 5, 31), "pay_below_80_percent") == [
        ("open", "2025-03-01", None)
    ]
    # 2400 is 80%: the pay finding closes when that arrangement takes effect
    assert states(models, date(2025, 6, 1), "pay_below_80_percent") == [
        ("closed", "2025-03-01", "2025-06-01")
    ]
    (night,) = found(models, date(2025, 9, 1), "night_shift")
    assert (night["state"], night["closed_on"]) == ("closed", "2025-08-31")
    assert night["closed_position"] == app.max_position()
    assert found(models, date(2025, 9, 1), "holiday_work") == []


def test_an_overtime_finding_closed_then_reported_again_is_a_second_finding(
    placed: Placed,
) -> None:
    host = enterprise_user(placed.enterprise_id)
    for day, overtime in (
        (date(2025, 3, 1), True),
        (date(2025, 4, 1), False),
        (date(2025, 5, 1), True),
    ):
        placed.app.record_working_arrangement(
            placed.placement_id,
            effective_on=day,
            pay=Decimal("3000"),
            overtime=overtime,
            actor=host,
        )
    listed = found(placed.models, date(2025, 5, 1), "overtime")
    assert [(f["id"].rsplit("/", 1)[1], f["state"]) for f in listed] == [
        ("2", "open"),
        ("1", "closed"),
    ]


def test_an_intermediary_attempt_is_a_finding_from_the_day_it_was_recorded(
    placed: Placed,
) -> None:
    with pytest.raises(IntermediaryRefused):
        placed.app.register_placement(
            student_id=placed.student_id,
            agreement_id=placed.agreement_id,
            kind="post_internship",
            position="操作工",
            workplace_prefecture="510100",
            starts_on=START,
            ends_on=date(2025, 6, 30),
            mentor="E-1",
            supervising_teacher="T-1",
            intermediary="某劳务派遣中介",
            actor=school_user(placed.school_id),
        )
    recorded_on = date.today()
    assert found(placed.models, recorded_on - timedelta(days=2), "intermediary_placement") == []
    (attempt,) = found(placed.models, recorded_on + timedelta(days=1), "intermediary_placement")
    assert attempt["school_id"] == str(placed.school_id)
    assert attempt["detail"] == {"kind": "post_internship", "intermediary": "某劳务派遣中介"}


def test_a_lapse_while_running_opens_on_the_first_day_without_cover(placed: Placed) -> None:
    app, actor = placed.app, school_user(placed.school_id)
    app.cancel_policy(placed.accident, on=date(2025, 5, 10), reason="退保", actor=actor)
    assert found(placed.models, date(2025, 5, 9), "cover_lapse") == []
    (lapse,) = found(placed.models, date(2025, 5, 10), "cover_lapse")
    assert (lapse["state"], lapse["subject_key"], lapse["opened_on"]) == (
        "open",
        "personal_accident",
        "2025-05-10",
    )
    assert lapse["opened_position"] is None and lapse["opened_by"] == "date"
    # a new policy restores cover from 1 June: the lapse closes that day
    new = add_policy(app, placed.school_id, "personal_accident", "A-2")
    app.cover_placements(new, placement_ids=[placed.placement_id], on=date(2025, 6, 1), actor=actor)
    assert states(placed.models, date(2025, 5, 31), "cover_lapse") == [("open", "2025-05-10", None)]
    assert states(placed.models, date(2025, 6, 1), "cover_lapse") == [
        ("closed", "2025-05-10", "2025-06-01")
    ]


def test_a_snapshot_works_out_the_days_computed_findings_once_and_the_next_sees_changes(
    placed: Placed, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, actor = placed.app, school_user(placed.school_id)
    app.cancel_policy(placed.accident, on=date(2025, 5, 10), reason="退保", actor=actor)
    calls: list[date] = []
    lapses = finding_queries.COMPUTED["cover_lapse"]

    def counted(db: Any, day: date, scope: Any, at: int | None) -> Any:
        calls.append(day)
        return lapses(db, day, scope, at)

    monkeypatch.setitem(finding_queries.COMPUTED, "cover_lapse", counted)
    day = date(2025, 5, 20)
    with placed.models.reading() as db:
        listed = findings(db, on=day, rule="cover_lapse").items
        counted_by_rule = count_findings(db, "rule", on=day, rule="cover_lapse")
        assert [f["subject_key"] for f in listed] == ["personal_accident"]
        assert counted_by_rule == {"cover_lapse": 1}
        # as of the position before the cancellation, the same snapshot has no lapse
        before = placed.models.position() - 1
        assert findings(db, on=day, rule="cover_lapse", at=before).items == []
    assert calls == [day, day]
    # cover restored: a new snapshot works it out again and sees the lapse closed
    new = add_policy(app, placed.school_id, "personal_accident", "A-2")
    app.cover_placements(new, placement_ids=[placed.placement_id], on=day, actor=actor)
    with placed.models.reading() as db:
        (lapse,) = findings(db, on=day, rule="cover_lapse").items
    assert lapse["state"] == "closed" and len(calls) == 3


def test_a_lapse_that_lasts_until_the_placement_ends_closes_with_it(placed: Placed) -> None:
    app, actor = placed.app, school_user(placed.school_id)
    app.cancel_policy(placed.liability, on=date(2025, 5, 10), reason="退保", actor=actor)
    app.end_placement_early(placed.placement_id, reason="病休", on=date(2025, 5, 20), actor=actor)
    assert states(placed.models, date(2025, 12, 31), "cover_lapse") == [
        ("closed", "2025-05-10", "2025-05-20")
    ]


def test_a_post_internship_overruns_on_the_day_after_six_months(placed: Placed) -> None:
    # started 2025-03-01: six months end on 2025-08-31
    assert found(placed.models, date(2025, 8, 31), "post_internship_overrun") == []
    assert states(placed.models, date(2025, 9, 1), "post_internship_overrun") == [
        ("open", "2025-09-01", None)
    ]
    placed.app.complete_placement(placed.placement_id, on=date(2025, 9, 15), actor=ADMIN)
    assert states(placed.models, date(2025, 9, 14), "post_internship_overrun") == [
        ("open", "2025-09-01", None)
    ]
    assert states(placed.models, date(2025, 9, 15), "post_internship_overrun") == [
        ("closed", "2025-09-01", "2025-09-15")
    ]


def test_a_recorded_exception_means_no_overrun(placed: Placed) -> None:
    placed.app.record_duration_exception(
        placed.placement_id, reason="企业项目周期需要，经三方同意延长", actor=ADMIN
    )
    assert found(placed.models, date(2025, 12, 1), "post_internship_overrun") == []


def test_an_agreement_expiring_under_a_running_placement(placed: Placed) -> None:
    # the agreement ends 2026-12-31; the placement still runs
    rule = "agreement_expired_in_use"
    assert found(placed.models, date(2026, 12, 31), rule) == []
    (expired,) = found(placed.models, date(2027, 1, 1), rule)
    assert (expired["subject_id"], expired["state"]) == (str(placed.agreement_id), "open")
    assert expired["detail"] == {"ends_on": "2026-12-31", "placements": 1}
    placed.app.complete_placement(placed.placement_id, on=date(2027, 1, 20), actor=ADMIN)
    assert states(placed.models, date(2027, 2, 1), rule) == [("closed", "2027-01-01", "2027-01-20")]


def test_a_placement_ended_by_the_end_of_its_agreement_is_no_finding(placed: Placed) -> None:
    placed.app.complete_placement(placed.placement_id, on=date(2027, 1, 1), actor=ADMIN)
    assert found(placed.models, date(2027, 6, 1), "agreement_expired_in_use") == []


def test_a_teacher_short_of_practice_since_the_window_or_the_last_day_met(
    registry: Registry, models: ReadModels
) -> None:
    school_id = register_school(registry, 1)
    seed_teacher(registry, school_id, register_enterprise(registry, 1))
    rule = "teacher_short_of_practice"
    # 180 days are reached on 2025-05-19 and held until 2029-03-10
    assert states(models, date(2025, 5, 18), rule) == [("open", "2020-05-19", None)]
    assert found(models, date(2025, 5, 19), rule) == []
    assert found(models, date(2029, 3, 10), rule) == []
    (short,) = found(models, date(2029, 3, 11), rule)
    assert (short["opened_on"], short["detail"]["practice_days"]) == ("2029-03-11", 179)


def test_majors_of_technician_colleges_need_an_above_size_co_builder(
    registry: Registry, models: ReadModels
) -> None:
    school_id = register_school(registry, 1)  # technician college, 数控加工 opened 2018
    senior = register_school(registry, 2, "senior_technical_school")
    small = registry.register_enterprise(
        uscc=uscc("91", 7),
        name="小微企业",
        prefecture="510100",
        industry="装备制造",
        above_designated_size=False,
        ownership="private",
        actor=ADMIN,
    )
    registry.open_major(school_id, name="工业机器人", year=2024, actor=ADMIN)
    registry.open_major(senior, name="工业机器人", year=2024, actor=ADMIN)
    rule = "major_without_co_builder"
    assert found(models, date(2023, 12, 31), rule) == []
    (opened,) = found(models, date(2024, 1, 1), rule)  # the senior school's is no finding
    assert (opened["subject_id"], opened["subject_key"]) == (str(school_id), "工业机器人")
    assert opened["opened_position"] is not None
    # a co-building agreement with a small enterprise does not meet the rule ...
    agreement_id = registry.propose_agreement(
        school_id=school_id,
        enterprise_id=small,
        title="共建工业机器人专业",
        modes=["co_built_major"],
        starts_on=date(2024, 3, 1),
        ends_on=date(2027, 2, 28),
        majors=["工业机器人"],
        actor=enterprise_user(small),
    )
    registry.countersign_agreement(agreement_id, on=date(2024, 2, 20), actor=school_user(school_id))
    assert states(models, date(2024, 6, 1), rule) == [("open", "2024-01-01", None)]
    # ... until the enterprise grows above designated size
    registry.change_enterprise(
        small, actor=ADMIN, effective_on=date(2024, 7, 1), above_designated_size=True
    )
    assert states(models, date(2024, 7, 1), rule) == [("closed", "2024-01-01", "2024-07-01")]
    (closed,) = found(models, date(2024, 7, 1), rule)
    assert closed["closed_position"] == registry.max_position()


def test_a_major_co_built_on_countersignature_and_one_closed(
    registry: Registry, models: ReadModels
) -> None:
    school_id, enterprise_id = register_school(registry, 1), register_enterprise(registry, 1)
    for name in ("工业机器人", "新能源汽车"):
        registry.open_major(school_id, name=name, year=2023, actor=ADMIN)
    registry.open_major(school_id, name="老专业", year=2020, actor=ADMIN)  # before the plan
    agreement_id = registry.propose_agreement(
        school_id=school_id,
        enterprise_id=enterprise_id,
        title="共建专业",
        modes=["co_built_major", "curriculum"],
        starts_on=date(2024, 1, 1),
        ends_on=date(2026, 12, 31),
        majors=["工业机器人"],
        actor=enterprise_user(enterprise_id),
    )
    registry.countersign_agreement(agreement_id, on=date(2023, 12, 1), actor=school_user(school_id))
    registry.close_major(school_id, name="新能源汽车", year=2024, actor=ADMIN)
    listed = found(models, date(2025, 6, 1), "major_without_co_builder")
    assert sorted((f["subject_key"], f["closed_on"]) for f in listed) == [
        ("工业机器人", "2023-12-01"),
        ("新能源汽车", "2025-01-01"),
    ]


def test_returns_missing_after_the_deadline_and_late(
    registry: Registry, models: ReadModels, on_day: Any
) -> None:
    on_time, late = register_school(registry, 1), register_school(registry, 2)
    registry.register_school(
        uscc=uscc("12", 3),
        name="新学校",
        kind="technical_school",
        prefecture="510700",
        established_on=date(2025, 3, 1),
        actor=ADMIN,
    )
    registry.set_return_deadline(year=2024, due_on=date(2025, 3, 31), actor=ADMIN)
    on_day(date(2025, 3, 31))
    registry.file_annual_return(
        school_id=on_time, year=2024, figures=FIGURES, actor=school_user(on_time)
    )
    assert found(models, date(2025, 3, 31), "return_missing") == []
    (missing,) = found(models, date(2025, 4, 1), "return_missing")
    assert (missing["school_id"], missing["subject_key"], missing["state"]) == (
        str(late),
        "2024",
        "open",
    )
    on_day(date(2025, 4, 2))
    registry.file_annual_return(school_id=late, year=2024, figures=FIGURES, actor=school_user(late))
    (closed,) = found(models, date(2025, 4, 2), "return_missing")
    assert (closed["state"], closed["closed_on"]) == ("closed", "2025-04-02")
    assert closed["closed_position"] == registry.max_position()
    (filed_late,) = found(models, date(2025, 4, 2), "return_late")
    assert (filed_late["school_id"], filed_late["opened_on"]) == (str(late), "2025-04-02")
    assert found(models, date(2025, 4, 1), "return_late") == []


def test_a_prefecture_lacks_a_technician_college_until_one_is_established_or_upgraded(
    registry: Registry, models: ReadModels
) -> None:
    senior = registry.register_school(
        uscc=uscc("12", 1, "513300"),
        name="甘孜高级技工学校",
        kind="senior_technical_school",
        prefecture="513300",
        established_on=date(2015, 9, 1),
        actor=ADMIN,
    )
    rule = "prefecture_without_technician_college"
    assert len(found(models, date(2021, 6, 1), rule)) == 21
    registry.upgrade_school(senior, to_kind="technician_college", on=date(2023, 9, 1), actor=ADMIN)
    (ganzi,) = found(models, date(2023, 9, 1), rule, prefecture="513300")
    assert (ganzi["opened_on"], ganzi["closed_on"], ganzi["state"]) == (
        "2021-01-01",
        "2023-09-01",
        "closed",
    )
    registry.withdraw_school(senior, reason="撤并", on=date(2025, 7, 1), actor=ADMIN)
    assert states(models, date(2025, 7, 1), "prefecture_without_technician_college")[-2:] == [
        ("open", "2021-01-01", None),
        ("open", "2025-07-01", None),
    ]
    with models.reading() as db:
        counted = count_findings(db, "state", on=date(2025, 7, 1), rule=rule)
    assert counted == {"open": 21, "closed": 1}


def test_both_kinds_together_filtered_and_paged_newest_first(placed: Placed) -> None:
    app, host = placed.app, enterprise_user(placed.enterprise_id)
    app.record_working_arrangement(
        placed.placement_id,
        effective_on=date(2025, 4, 1),
        pay=Decimal("3000"),
        overtime=True,
        actor=host,
    )
    app.cancel_policy(
        placed.accident, on=date(2025, 5, 10), reason="退保", actor=school_user(placed.school_id)
    )
    day = date(2025, 9, 1)
    with placed.models.reading() as db:
        every = findings(db, on=day, prefecture="510100", limit=500)
        # overrun (09-01), lapse (05-10), overtime (04-01), and the 21 prefectures but 510100
        assert [f["rule"] for f in every.items if f["school_id"]] == [
            "post_internship_overrun",
            "cover_lapse",
            "overtime",
        ]
        first, second = findings(db, on=day, limit=2), findings(db, on=day, limit=2, offset=2)
        whole = findings(db, on=day, limit=500)
        assert [f["id"] for f in first.items + second.items] == [f["id"] for f in whole.items[:4]]
        assert first.total == whole.total == len(whole.items)
        high = findings(db, on=day, severity="high", enterprise=str(placed.enterprise_id))
        assert {f["rule"] for f in high.items} == {
            "post_internship_overrun",
            "cover_lapse",
            "overtime",
        }
        assert findings(db, on=day, school=str(placed.school_id), state="closed").total == 0
        assert count_findings(db, "rule", on=day, school=str(placed.school_id)) == {
            "post_internship_overrun": 1,
            "cover_lapse": 1,
            "overtime": 1,
        }
        assert count_findings(db, "severity", on=day, school=str(placed.school_id)) == {"high": 3}
        with pytest.raises(ValueError, match="rule must be one of"):
            findings(db, rule="late")
        with pytest.raises(ValueError, match="state must be one of"):
            findings(db, state="resolved")
        assert dump(db.conn) == from_scratch(app)


def test_upcoming_policies_agreements_and_teachers_falling_short(
    registry: Registry, models: ReadModels
) -> None:
    school_id, enterprise_id = register_school(registry, 1), register_enterprise(registry, 1)
    seed_teacher(registry, school_id, enterprise_id)  # agreement ends 2026-12-31
    policy_id = registry.register_policy(
        holder_id=enterprise_id,
        kind="work_injury",
        insurer="四川省工伤保险经办机构",
        policy_number="GS-1",
        covers_from=date(2025, 1, 1),
        covers_until=date(2025, 12, 31),
        actor=enterprise_user(enterprise_id),
    )

    def notices(day: date, **filters: Any) -> list[tuple[str, str, str]]:
        with models.reading() as db:
            page = upcoming(db, on=day, **filters)
        return [(n["notice"], n["subject_id"], n["due_on"]) for n in page.items]

    assert notices(date(2025, 11, 30)) == []
    assert notices(date(2025, 12, 1)) == [("policy_ending", str(policy_id), "2025-12-31")]
    assert notices(date(2025, 12, 1), school=str(school_id)) == []
    assert notices(date(2025, 12, 1), enterprise=str(enterprise_id), prefecture="510100") != []
    assert [n[0] for n in notices(date(2026, 12, 1))] == ["agreement_ending"]
    assert notices(date(2026, 11, 30)) == []
    # 180 days held until 2029-03-10: noticed 90 days ahead
    (teacher,) = notices(date(2028, 12, 11), notice="practice_falls_short")
    assert teacher[2] == "2029-03-11"
    assert notices(date(2028, 12, 10), notice="practice_falls_short") == []


arrangements = st.lists(
    st.tuples(
        st.integers(0, 150),
        st.sampled_from(["2000", "2399", "2400", "3000"]),
        st.booleans(),
        st.booleans(),
        st.booleans(),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=12, deadline=None)
@given(arrangements)
def test_open_working_findings_are_the_latest_arrangements_violations(
    reported: list[tuple[int, str, bool, bool, bool]],
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        app = Registry(Settings(data_dir=Path(directory)))
        try:
            placed = place(app)
            for offset, pay, night, overtime, holiday in reported:
                app.record_working_arrangement(
                    placed.placement_id,
                    effective_on=START + timedelta(days=offset),
                    pay=Decimal(pay),
                    post_wage=Decimal("3000"),
                    night_shifts=night,
                    overtime=overtime,
                    holiday_work=holiday,
                    actor=enterprise_user(placed.enterprise_id),
                )
            with placed.models.reading() as db:
                listed = findings(db, on=date(2025, 12, 31), state="open", limit=500).items
            working = {f["rule"] for f in listed if f["rule"] in WORKING_RULES}
            assert working == set(app.get(Placement, placed.placement_id).working_violations())
        finally:
            app.close()
