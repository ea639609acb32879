"""Students on real stores: sealed registration, duplicates, corrections, logged reads, exports."""

from __future__ import annotations

import sqlite3
from datetime import date
from uuid import UUID

import psycopg
import pytest

from domain.actors import Actor, Role
from domain.errors import InvalidValue, NotPermitted
from domain.id_number import InvalidIdNumber, with_check_character
from domain.student import IdNumberRegistered, PersonalDataInText, Student, StudentForgotten
from registry.config import Settings
from registry.errors import AlreadyRegistered
from registry.facade import Registry
from registry.history import aggregate_history
from registry.personal_data import ENCRYPTED, ERASED, PersonalData
from tests.factories import ADMIN, enterprise_user, school_user
from tests.integration.student_builders import AUDITOR, NUMBER, add_school, add_student

OTHER_NUMBER = with_check_character("51070320080610234")


def test_registered_personal_data_round_trips_through_the_store(
    any_store: Registry, store_settings: Settings
) -> None:
    # construct
    school_id = add_school(any_store)
    student_id = add_student(any_store, school_id)
    # query, from a second application that rebuilds the student from the log
    fresh = Registry(store_settings)
    try:
        record = fresh.reveal_student(student_id, reader=school_user(school_id))
        student = fresh.get(Student, student_id)
    finally:
        fresh.close()
    assert record.personal == PersonalData("张小明", NUMBER, date(2007, 3, 15))
    assert (record.gender, record.entry_year, record.major) == ("male", 2023, "数控加工")
    assert student.name.ciphertext.startswith("v1:")
    assert "张小明" not in repr(vars(student))


def test_the_student_id_is_random(registry: Registry) -> None:
    school_id = add_school(registry)
    first = add_student(registry, school_id)
    second = add_student(registry, school_id, "李四", OTHER_NUMBER)
    assert first.version == second.version == 4


def test_an_invalid_id_number_is_refused_and_nothing_is_stored(registry: Registry) -> None:
    school_id = add_school(registry)
    position = registry.max_position()
    with pytest.raises(InvalidIdNumber) as refused:
        add_student(registry, school_id, number=NUMBER[:-1] + "0")
    assert refused.value.params == {"reason": "check_character", "found": "0", "expected": "3"}
    assert registry.max_position() == position


def test_a_second_registration_of_an_id_number_is_refused(any_store: Registry) -> None:
    # construct
    school_id, other_school = add_school(any_store, 1), add_school(any_store, 2)
    student_id = add_student(any_store, school_id)
    # the same school learns which of its students holds the number
    with pytest.raises(IdNumberRegistered) as same:
        add_student(any_store, school_id, "张晓明", NUMBER)
    assert same.value.params == {"same_school": True, "student_id": str(student_id)}
    # another school learns only that the number is registered
    with pytest.raises(IdNumberRegistered) as other:
        add_student(any_store, other_school, "张晓明", NUMBER.lower())
    assert other.value.params == {"same_school": False}


def test_a_refused_registration_leaves_no_key_behind(any_store: Registry) -> None:
    school_id = add_school(any_store)
    with pytest.raises(NotPermitted):
        any_store.register_student(
            school_id=school_id,
            name="张小明",
            id_number=NUMBER,
            gender="male",
            entry_year=2023,
            major="数控加工",
            actor=enterprise_user(school_id),
        )
    # the number is free: a permitted registration succeeds
    assert add_student(any_store, school_id)


def test_an_id_number_is_free_again_once_its_student_is_forgotten(any_store: Registry) -> None:
    school_id = add_school(any_store)
    forgotten = add_student(any_store, school_id)
    any_store.forget_student(
        forgotten, basis="PIPL art. 47(1)", requested_by="student", actor=ADMIN
    )
    again = add_student(any_store, school_id)
    assert again != forgotten


def test_corrections_are_sealed_and_move_the_duplicate_check(any_store: Registry) -> None:
    # construct
    school_id = add_school(any_store)
    student_id = add_student(any_store, school_id)
    # evolve
    any_store.correct_student(
        student_id,
        field="name",
        value="张晓明",
        reason="姓名录入错误",
        actor=school_user(school_id),
    )
    any_store.correct_student(
        student_id, field="id_number", value=OTHER_NUMBER, reason="号码录入错误", actor=ADMIN
    )
    any_store.correct_student(
        student_id, field="entry_year", value=2024, reason="入学年份录错", actor=ADMIN
    )
    # query
    record = any_store.reveal_student(student_id, reader=school_user(school_id))
    assert record.personal == PersonalData("张晓明", OTHER_NUMBER, date(2008, 6, 10))
    assert record.entry_year == 2024
    history = aggregate_history(any_store, student_id)
    assert [e.event for e in history] == [
        "Student.Registered",
        "Student.Corrected",
        "Student.IdNumberCorrected",
        "Student.Corrected",
    ]
    assert history[1].fields == {"field": "name", "value": ENCRYPTED, "reason": "姓名录入错误"}
    # the old number is free, the new one taken
    assert add_student(any_store, school_id, "王五", NUMBER)
    with pytest.raises(IdNumberRegistered):
        add_student(any_store, school_id, "赵六", OTHER_NUMBER)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("name", "张晓明", "应为张晓明"),
        ("id_number", OTHER_NUMBER, f"正确号码 {OTHER_NUMBER}"),
        ("id_number", OTHER_NUMBER, "出生日期应为2008年6月10日"),
        ("id_number", OTHER_NUMBER, "birth date is 2008-06-10"),
    ],
)
def test_a_correction_reason_repeating_personal_data_is_refused(
    registry: Registry, field: str, value: str, reason: str
) -> None:
    school_id = add_school(registry)
    student_id = add_student(registry, school_id)
    position = registry.max_position()
    with pytest.raises(PersonalDataInText) as refused:
        registry.correct_student(student_id, field=field, value=value, reason=reason, actor=ADMIN)
    assert refused.value.params == {"field": "reason"}
    assert registry.max_position() == position


# --- reading -------------------------------------------------------------------------------


def test_every_decrypting_read_is_logged_with_reader_reason_and_time(any_store: Registry) -> None:
    # construct
    school_id = add_school(any_store)
    student_id = add_student(any_store, school_id)
    # read as the school, an auditor and the province
    any_store.reveal_student(student_id, reader=school_user(school_id))
    any_store.reveal_student(student_id, reader=AUDITOR, reason="年度督导抽查")
    any_store.export_student(student_id, reader=ADMIN, reason="学生申请副本")
    any_store.student_facts(
        student_id, on=date(2024, 9, 1), actor=ADMIN, purpose="岗位实习年龄核验"
    )
    # query
    entries = any_store.access_log_entries(actor=AUDITOR, student_id=student_id)
    assert [(e.reader, e.role, e.purpose, e.reason, e.outcome) for e in entries] == [
        ("school-user", "school_user", "reveal", "", "revealed"),
        ("auditor-1", "auditor", "reveal", "年度督导抽查", "revealed"),
        ("admin-1", "province_admin", "export", "学生申请副本", "revealed"),
        ("admin-1", "province_admin", "derive", "岗位实习年龄核验", "revealed"),
    ]
    assert all(e.subject_id == str(student_id) and e.at.endswith("+08:00") for e in entries)
    assert entries[0].party_id == str(school_id)


@pytest.mark.parametrize(
    "reader",
    [
        enterprise_user(UUID(int=7)),
        Actor("officer", Role.PREFECTURE_OFFICER),
        Actor("secretariat", Role.GROUP_SECRETARIAT, UUID(int=9)),
    ],
    ids=["enterprise_not_hosting", "prefecture_officer", "group_secretariat"],
)
def test_a_role_without_the_right_is_refused_and_the_attempt_logged(
    any_store: Registry, reader: Actor
) -> None:
    school_id = add_school(any_store)
    student_id = add_student(any_store, school_id)
    with pytest.raises(NotPermitted) as refused:
        any_store.reveal_student(student_id, reader=reader, reason="张小明的资料")
    assert refused.value.params == {"action": "read_personal_data", "role": reader.role.value}
    with pytest.raises(NotPermitted):
        any_store.export_student(student_id, reader=reader, reason="导出")
    entries = any_store.access_log_entries(actor=ADMIN, student_id=student_id)
    # refusals are logged without their unchecked reason, which might name the student
    assert [(e.reader, e.purpose, e.reason, e.outcome) for e in entries] == [
        (reader.user_id, "reveal", "", "refused"),
        (reader.user_id, "export", "", "refused"),
    ]


def test_another_schools_user_is_refused(registry: Registry) -> None:
    school_id, other = add_school(registry, 1), add_school(registry, 2)
    student_id = add_student(registry, school_id)
    with pytest.raises(NotPermitted):
        registry.reveal_student(student_id, reader=school_user(other))


def test_an_auditor_without_a_reason_is_refused(registry: Registry) -> None:
    student_id = add_student(registry, add_school(registry))
    with pytest.raises(InvalidValue) as refused:
        registry.reveal_student(student_id, reader=AUDITOR, reason=" ")
    assert refused.value.params == {"field": "reason", "problem": "required"}


def test_a_read_whose_reason_names_the_student_is_refused_and_not_kept(
    any_store: Registry,
) -> None:
    student_id = add_student(any_store, add_school(any_store))
    with pytest.raises(PersonalDataInText):
        any_store.reveal_student(student_id, reader=AUDITOR, reason="核实张小明身份")
    assert any_store.access_log_entries(actor=AUDITOR, student_id=student_id) == []


class HostingRegistry(Registry):
    """Stands in for the placements code, which will say which enterprise hosts whom."""

    hosts: tuple[UUID, UUID, date] | None = None

    def _enterprise_hosts_student(self, enterprise_id: UUID, student_id: UUID, on: date) -> bool:
        return self.hosts == (enterprise_id, student_id, on)


def test_an_enterprise_user_reads_while_the_placements_hook_says_it_hosts_the_student(
    settings: Settings,
) -> None:
    app = HostingRegistry(settings)
    try:
        student_id = add_student(app, add_school(app))
        host = UUID(int=42)
        app.hosts = (host, student_id, date(2025, 3, 1))
        record = app.reveal_student(student_id, reader=enterprise_user(host), on=date(2025, 3, 1))
        assert record.personal is not None and record.personal.name == "张小明"
        with pytest.raises(NotPermitted):
            app.reveal_student(student_id, reader=enterprise_user(host), on=date(2025, 3, 2))
    finally:
        app.close()


def test_only_auditors_and_the_province_browse_the_access_log(registry: Registry) -> None:
    school_id = add_school(registry)
    with pytest.raises(NotPermitted) as refused:
        registry.access_log_entries(actor=school_user(school_id))
    assert refused.value.params == {"action": "browse_access_log", "role": "school_user"}


def test_the_access_log_refuses_to_be_rewritten(
    any_store: Registry, store_settings: Settings
) -> None:
    student_id = add_student(any_store, add_school(any_store))
    any_store.reveal_student(student_id, reader=AUDITOR, reason="抽查")
    rewrites = ["UPDATE access_log SET reason = 'x'", "DELETE FROM access_log"]
    if not store_settings.uses_postgres:
        with sqlite3.connect(store_settings.access_log_path) as db:
            for statement in rewrites:
                with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                    db.execute(statement)
        return
    with psycopg.connect(store_settings.event_store, autocommit=True) as conn:
        for statement in [*rewrites, "TRUNCATE access_log"]:
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(statement)
    assert len(any_store.access_log_entries(actor=AUDITOR, student_id=student_id)) == 1


def test_derived_facts_come_from_the_decrypted_birth_date(any_store: Registry) -> None:
    student_id = add_student(any_store, add_school(any_store))
    facts = any_store.student_facts(student_id, on=date(2023, 9, 1), actor=ADMIN, purpose="核验")
    assert (facts.age, facts.school_year) == (16, 1)
    any_store.forget_student(student_id, basis="PIPL art. 47", requested_by="school", actor=ADMIN)
    with pytest.raises(StudentForgotten):
        any_store.student_facts(student_id, on=date(2023, 9, 1), actor=ADMIN, purpose="核验")


def test_an_export_holds_the_record_its_history_and_its_reads(any_store: Registry) -> None:
    # construct
    school_id = add_school(any_store)
    student_id = add_student(any_store, school_id)
    any_store.reveal_student(student_id, reader=school_user(school_id))
    # query
    exported = any_store.export_student(student_id, reader=ADMIN, reason="学生申请副本")
    assert exported["student"]["name"] == "张小明"
    assert exported["student"]["birth_date"] == "2007-03-15"
    assert exported["history"][0]["fields"]["id_number"] == NUMBER
    assert [e["purpose"] for e in exported["access_log"]] == ["reveal", "export"]


def test_after_forgetting_every_view_shows_the_data_as_erased(any_store: Registry) -> None:
    # construct
    school_id = add_school(any_store)
    student_id = add_student(any_store, school_id)
    kept = add_student(any_store, school_id, "李四", OTHER_NUMBER)
    # evolve
    any_store.forget_student(
        student_id, basis="PIPL art. 47(1)", requested_by="student", actor=ADMIN
    )
    # query
    record = any_store.reveal_student(student_id, reader=AUDITOR, reason="核对删除")
    assert record.erased and record.erasure_basis == "PIPL art. 47(1)"
    assert record.as_dict()["name"] == ERASED
    history = aggregate_history(any_store, student_id)
    assert history[0].fields["name"] == ERASED
    assert history[-1].event == "Student.Forgotten"
    assert history[-1].fields == {"basis": "PIPL art. 47(1)", "requested_by": "student"}
    exported = any_store.export_student(student_id, reader=ADMIN, reason="核对删除")
    assert exported["history"][0]["fields"]["id_number"] == ERASED
    assert (
        any_store.access_log_entries(actor=AUDITOR, student_id=student_id)[-1].outcome == "erased"
    )
    assert any_store.reveal_student(kept, reader=school_user(school_id)).personal is not None
    with pytest.raises(StudentForgotten):
        any_store.correct_student(
            student_id, field="gender", value="female", reason="录错", actor=ADMIN
        )


def test_registering_under_an_id_in_use_is_refused_and_keeps_that_students_key(
    registry: Registry,
) -> None:
    school_id = add_school(registry)
    student_id = add_student(registry, school_id)
    with pytest.raises(AlreadyRegistered) as refused:
        registry.register_student(
            student_id=student_id,
            school_id=school_id,
            name="李四",
            id_number=OTHER_NUMBER,
            gender="female",
            entry_year=2023,
            major="数控加工",
            actor=school_user(school_id),
        )
    assert refused.value.params["id"] == str(student_id)
    assert registry.reveal_student(student_id, reader=school_user(school_id)).personal is not None
