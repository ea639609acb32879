"""Schools and enterprises: registration, upgrades, withdrawal, majors, certification."""

from __future__ import annotations

from datetime import date

import pytest

from domain.actors import Actor, Role
from domain.enterprise import AlreadyCertified, Enterprise, NotCertified
from domain.errors import (
    InvalidUSCC,
    InvalidValue,
    NotCorrectable,
    NotPermitted,
    UnknownPrefecture,
)
from domain.school import (
    MajorAlreadyOpen,
    MajorNotOpen,
    NotAnUpgrade,
    School,
    SchoolKind,
    SchoolWithdrawn,
)
from tests.factories import ADMIN, enterprise, school, school_user, uscc


def test_school_registered_with_its_tier_and_prefecture() -> None:
    s = school(kind="senior_technical_school")
    assert s.kind is SchoolKind.SENIOR_TECHNICAL_SCHOOL
    assert s.prefecture == "510100"
    assert s.established_on == date(2010, 9, 1)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"uscc": "12510100MB000000"}, InvalidUSCC),
        ({"prefecture": "510200"}, UnknownPrefecture),
        ({"kind": "university"}, InvalidValue),
        ({"name": "  "}, InvalidValue),
    ],
)
def test_school_registration_refuses_bad_facts(changes: dict[str, str], error: type) -> None:
    values = {
        "uscc": uscc("12"),
        "name": "某技师学院",
        "kind": "technician_college",
        "prefecture": "510100",
    }
    values.update(changes)
    with pytest.raises(error):
        School.register(**values, established_on=date(2010, 1, 1), actor=ADMIN)  # type: ignore[arg-type]


def test_only_administrators_register_schools() -> None:
    with pytest.raises(NotPermitted):
        School.register(
            uscc=uscc("12"),
            name="某技师学院",
            kind="technician_college",
            prefecture="510100",
            established_on=date(2010, 1, 1),
            actor=Actor("u", Role.ENTERPRISE_USER),
        )


def test_upgrade_moves_only_upward() -> None:
    s = school(kind="senior_technical_school")
    s.upgrade(to_kind="technician_college", on=date(2023, 9, 1), actor=ADMIN)
    assert s.kind is SchoolKind.TECHNICIAN_COLLEGE
    with pytest.raises(NotAnUpgrade):
        s.upgrade(to_kind="technical_school", on=date(2024, 9, 1), actor=ADMIN)


def test_withdrawn_school_accepts_no_further_changes() -> None:
    s = school()
    s.withdraw(on=date(2023, 6, 30), reason="合并", actor=ADMIN)
    assert s.is_withdrawn
    with pytest.raises(SchoolWithdrawn):
        s.open_major(name="护理", year=2024, actor=ADMIN)
    with pytest.raises(SchoolWithdrawn):
        s.withdraw(on=date(2024, 1, 1), reason="again", actor=ADMIN)


def test_withdrawal_needs_a_reason() -> None:
    with pytest.raises(InvalidValue) as refused:
        school().withdraw(on=date(2023, 6, 30), reason=" ", actor=ADMIN)
    assert refused.value.params == {"field": "reason", "problem": "required"}


def test_majors_open_and_close_once() -> None:
    s = school(majors=())
    s.open_major(name="护理", year=2020, actor=school_user(s.id))
    with pytest.raises(MajorAlreadyOpen):
        s.open_major(name="护理", year=2021, actor=ADMIN)
    s.close_major(name="护理", year=2024, actor=ADMIN)
    assert s.open_majors() == []
    with pytest.raises(MajorNotOpen):
        s.close_major(name="护理", year=2025, actor=ADMIN)
    s.open_major(name="护理", year=2025, actor=ADMIN)
    assert s.open_majors() == ["护理"]


def test_another_schools_user_cannot_open_a_major() -> None:
    s, other = school(1), school(2)
    with pytest.raises(NotPermitted):
        s.open_major(name="护理", year=2020, actor=school_user(other.id))


def test_major_records_the_tier_that_opened_it() -> None:
    s = school(kind="senior_technical_school", majors=("数控加工",))
    s.upgrade(to_kind="technician_college", on=date(2022, 9, 1), actor=ADMIN)
    s.open_major(name="工业机器人应用与维护", year=2023, actor=ADMIN)
    assert s.majors["数控加工"].opened_as is SchoolKind.SENIOR_TECHNICAL_SCHOOL
    assert s.majors["工业机器人应用与维护"].opened_as is SchoolKind.TECHNICIAN_COLLEGE


def test_correction_changes_the_fact_and_keeps_a_reason() -> None:
    s = school()
    s.correct(field="name", value="成都技师学院", reason="登记时名称录入错误", actor=ADMIN)
    assert s.name == "成都技师学院"
    corrected = s.pending_events[-1]
    assert type(corrected).__name__ == "Corrected"
    assert corrected.reason == "登记时名称录入错误"  # type: ignore[attr-defined]
    with pytest.raises(NotCorrectable):
        s.correct(field="uscc", value="x", reason="y", actor=ADMIN)


def test_enterprise_attributes_change_with_effective_date() -> None:
    e = enterprise(above_designated_size=False)
    e.change_attributes(effective_on=date(2023, 1, 1), actor=ADMIN, above_designated_size=True)
    assert e.above_designated_size is True
    with pytest.raises(InvalidValue):
        e.change_attributes(effective_on=date(2023, 1, 1), actor=ADMIN, ownership="state")
    with pytest.raises(InvalidValue):
        e.change_attributes(effective_on=date(2023, 1, 1), actor=ADMIN, uscc="x")


def test_enterprise_certification_periods() -> None:
    e = enterprise()
    e.certify(on=date(2021, 6, 1), actor=ADMIN)
    with pytest.raises(AlreadyCertified):
        e.certify(on=date(2022, 6, 1), actor=ADMIN)
    e.decertify(on=date(2024, 12, 31), reason="复核未通过", actor=ADMIN)
    with pytest.raises(NotCertified):
        e.decertify(on=date(2025, 1, 1), reason="x", actor=ADMIN)
    assert e.certified_during(date(2021, 6, 1))
    assert e.certified_during(date(2024, 12, 30))
    assert not e.certified_during(date(2024, 12, 31))
    assert not e.certified_during(date(2021, 5, 31))


def test_enterprise_cannot_certify_itself() -> None:
    e = enterprise()
    with pytest.raises(NotPermitted):
        e.certify(on=date(2021, 6, 1), actor=Actor("u", Role.ENTERPRISE_USER, e.id))


def test_enterprise_registration_refuses_a_typo_in_the_code() -> None:
    good = uscc("91")
    typo = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(InvalidUSCC) as refused:
        Enterprise.register(
            uscc=typo,
            name="某公司",
            prefecture="510100",
            industry="建筑",
            above_designated_size=True,
            ownership="private",
            actor=ADMIN,
        )
    assert refused.value.params["reason"] == "check_character"
