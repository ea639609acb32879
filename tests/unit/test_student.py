"""The Student aggregate: sealed data only, who registers, who reads, corrections, erasure."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.actors import Actor, Role
from domain.errors import InvalidValue, NotCorrectable, NotPermitted
from domain.school import MajorNotOpen, SchoolWithdrawn
from domain.sealed import Sealed
from domain.student import Gender, RequestedBy, Student, StudentForgotten, age_on, school_year_on
from tests.factories import (
    ADMIN,
    enterprise,
    enterprise_user,
    school,
    school_user,
    sealed,
    student,
)

AUDITOR = Actor("auditor-1", Role.AUDITOR)
SYSTEM = Actor("system:cli", Role.SYSTEM)


def register(**overrides: object) -> Student:
    s = school()
    fields: dict[str, object] = {
        "student_id": uuid4(),
        "school": s,
        "name": sealed("n"),
        "id_number": sealed("i"),
        "birth_date": sealed("b"),
        "gender": "male",
        "entry_year": 2024,
        "major": "数控加工",
        "actor": school_user(s.id),
    }
    fields.update(overrides)
    return Student.register(**fields)  # type: ignore[arg-type]


def test_a_school_registers_its_student_under_the_id_it_chose() -> None:
    # construct
    s = school()
    student_id = uuid4()
    registered = register(school=s, student_id=student_id, actor=school_user(s.id))
    # query
    assert registered.id == student_id
    assert registered.school_id == s.id
    assert registered.name == sealed("n")
    assert registered.gender is Gender.MALE
    assert registered.entry_year == 2024 and registered.major == "数控加工"
    assert not registered.is_forgotten


@pytest.mark.parametrize("field", ["name", "id_number", "birth_date"])
def test_plaintext_personal_data_is_refused_without_being_echoed(field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        register(**{field: "张三"})
    assert refused.value.params == {"field": field, "problem": "not_sealed"}
    assert "张三" not in str(refused.value)


def test_an_empty_ciphertext_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        register(name=Sealed(""))
    assert refused.value.params == {"field": "name", "problem": "not_sealed"}


@pytest.mark.parametrize(
    "actor",
    [
        school_user(uuid4()),
        enterprise_user(uuid4()),
        ADMIN,
        AUDITOR,
        SYSTEM,
    ],
    ids=["other_school", "enterprise", "province_admin", "auditor", "system_without_party"],
)
def test_only_users_of_the_students_school_register_students(actor: Actor) -> None:
    with pytest.raises(NotPermitted) as refused:
        register(actor=actor)
    assert refused.value.params["action"] == "register_student"


def test_the_system_actor_registers_when_acting_for_the_school() -> None:
    s = school()
    assert register(school=s, actor=Actor("system:demo", Role.SYSTEM, s.id)).school_id == s.id


def test_a_student_is_registered_only_in_a_major_the_school_runs() -> None:
    with pytest.raises(MajorNotOpen) as refused:
        register(major="护理")
    assert refused.value.params == {"major": "护理"}


def test_a_withdrawn_school_registers_no_students() -> None:
    s = school()
    s.withdraw(on=date(2024, 7, 1), reason="合并", actor=ADMIN)
    with pytest.raises(SchoolWithdrawn):
        register(school=s, actor=school_user(s.id))


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [("gender", "unknown", "unknown"), ("entry_year", 1900, "out_of_range")],
)
def test_invalid_plain_fields_are_refused(field: str, value: object, problem: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        register(**{field: value})
    assert refused.value.params["field"] == field
    assert refused.value.params["problem"] == problem


# --- who may read the sealed data ----------------------------------------------------------


def test_users_of_the_students_school_read_without_stating_a_reason() -> None:
    s = school()
    st = student(s)
    assert st.check_reader(school_user(s.id), reason="", hosted_by_actor=False) == ""


@pytest.mark.parametrize("reader", [AUDITOR, ADMIN, SYSTEM], ids=["auditor", "admin", "system"])
def test_auditors_and_administrators_must_state_a_reason(reader: Actor) -> None:
    st = student(school())
    with pytest.raises(InvalidValue) as refused:
        st.check_reader(reader, reason="  ", hosted_by_actor=False)
    assert refused.value.params == {"field": "reason", "problem": "required"}
    assert st.check_reader(reader, reason=" 年度督导抽查 ", hosted_by_actor=False) == "年度督导抽查"


def test_an_enterprise_user_reads_only_while_hosting_the_student() -> None:
    st = student(school())
    host = enterprise_user(enterprise().id)
    assert st.check_reader(host, reason="", hosted_by_actor=True) == ""
    with pytest.raises(NotPermitted) as refused:
        st.check_reader(host, reason="", hosted_by_actor=False)
    assert refused.value.params == {"action": "read_personal_data", "role": "enterprise_user"}


@pytest.mark.parametrize(
    "reader",
    [
        school_user(uuid4()),
        Actor("officer", Role.PREFECTURE_OFFICER, None),
        Actor("secretariat", Role.GROUP_SECRETARIAT, uuid4()),
    ],
    ids=["other_school", "prefecture_officer", "group_secretariat"],
)
def test_other_roles_are_refused_even_with_a_reason(reader: Actor) -> None:
    st = student(school())
    with pytest.raises(NotPermitted) as refused:
        st.check_reader(reader, reason="想看看", hosted_by_actor=False)
    assert refused.value.params == {"action": "read_personal_data", "role": str(reader.role)}


# --- corrections and erasure ---------------------------------------------------------------


def test_corrections_are_events_with_a_reason() -> None:
    # construct
    s = school(majors=("数控加工", "焊接加工"))
    st = student(s)
    # evolve
    st.correct(
        field="major", value="焊接加工", reason="录入错误", school=s, actor=school_user(s.id)
    )
    st.correct(field="name", value=sealed("n2"), reason="录入错误", school=s, actor=ADMIN)
    st.correct_id_number(
        id_number=sealed("i2"), birth_date=sealed("b2"), reason="号码录错", actor=ADMIN
    )
    # query
    assert (st.major, st.name, st.id_number, st.birth_date) == (
        "焊接加工",
        sealed("n2"),
        sealed("i2"),
        sealed("b2"),
    )
    events = st.collect_events()
    assert [type(e).__name__ for e in events] == [
        "Registered",
        "Corrected",
        "Corrected",
        "IdNumberCorrected",
    ]
    assert events[1].reason == "录入错误"  # type: ignore[attr-defined]


def test_a_corrected_name_must_arrive_sealed() -> None:
    s = school()
    st = student(s)
    with pytest.raises(InvalidValue) as refused:
        st.correct(field="name", value="李四", reason="改名", school=s, actor=ADMIN)
    assert refused.value.params == {"field": "name", "problem": "not_sealed"}


def test_a_correction_names_a_correctable_field_and_a_major_the_school_has_had() -> None:
    s = school()
    st = student(s)
    with pytest.raises(NotCorrectable) as refused:
        st.correct(field="school_id", value=uuid4(), reason="转学", school=s, actor=ADMIN)
    assert refused.value.params["field"] == "school_id"
    with pytest.raises(MajorNotOpen):
        st.correct(field="major", value="护理", reason="录错", school=s, actor=ADMIN)


def test_another_school_cannot_correct_the_student() -> None:
    s = school()
    st = student(s)
    with pytest.raises(NotPermitted) as refused:
        st.correct(
            field="gender", value="male", reason="录错", school=s, actor=school_user(uuid4())
        )
    assert refused.value.params["action"] == "correct_student"


def test_forgetting_records_basis_and_requester_and_ends_changes() -> None:
    # construct
    s = school()
    st = student(s)
    # evolve
    st.forget(basis="PIPL art. 47(1)", requested_by="student", actor=ADMIN)
    # query
    assert st.is_forgotten and st.erasure == ("PIPL art. 47(1)", RequestedBy.STUDENT)
    with pytest.raises(StudentForgotten):
        st.correct(field="gender", value="male", reason="录错", school=s, actor=ADMIN)
    with pytest.raises(StudentForgotten):
        st.forget(basis="again", requested_by="student", actor=ADMIN)


def test_only_administrators_forget_and_the_requester_is_a_category() -> None:
    s = school()
    st = student(s)
    with pytest.raises(NotPermitted) as refused:
        st.forget(basis="PIPL art. 47", requested_by="student", actor=school_user(s.id))
    assert refused.value.params["action"] == "forget_student"
    with pytest.raises(InvalidValue) as invalid:
        st.forget(basis="PIPL art. 47", requested_by="张三本人", actor=ADMIN)
    assert invalid.value.params["field"] == "requested_by"
    with pytest.raises(InvalidValue) as no_basis:
        st.forget(basis=" ", requested_by="guardian", actor=ADMIN)
    assert no_basis.value.params == {"field": "basis", "problem": "required"}


# --- derived facts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2008, 3, 15), date(2024, 3, 14), 15),
        (date(2008, 3, 15), date(2024, 3, 15), 16),
        (date(2008, 2, 29), date(2024, 2, 28), 15),
        (date(2008, 2, 29), date(2025, 2, 28), 16),
        (date(2008, 2, 29), date(2025, 3, 1), 17),
    ],
)
def test_age_counts_completed_years(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age


@pytest.mark.parametrize(
    ("on", "year"),
    [
        (date(2023, 8, 31), 0),
        (date(2023, 9, 1), 1),
        (date(2024, 8, 31), 1),
        (date(2024, 9, 1), 2),
        (date(2026, 6, 30), 3),
    ],
)
def test_school_year_starts_on_the_first_of_september(on: date, year: int) -> None:
    assert school_year_on(2023, on) == year
