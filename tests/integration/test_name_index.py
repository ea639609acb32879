"""The name index: a school finds its own students by exact full name, on either store;
an erasure takes the student out of it; the command line files students again."""

from __future__ import annotations

from domain.id_number import with_check_character
from registry.facade import Registry
from tests.factories import ADMIN, school_user
from tests.integration.student_builders import NUMBER, add_school, add_student

SECOND = with_check_character("51010420070506003")


def test_a_school_finds_only_its_own_students_by_exact_full_name(any_store: Registry) -> None:
    # construct: two 张小明 at one school, one at another
    school, other = add_school(any_store, 1), add_school(any_store, 2)
    first = add_student(any_store, school, "张小明", NUMBER)
    second = add_student(any_store, school, "张小明", SECOND)
    add_student(any_store, other, "张小明", with_check_character("51010420070707005"))
    teacher = school_user(school)
    # query
    assert sorted(any_store.find_students(school, name="张小明", actor=teacher)) == sorted(
        [first, second]
    )
    assert any_store.find_students(school, name="张小", actor=teacher) == []
    assert any_store.find_students(school, name=" 张小明 ", actor=teacher) != []
    # evolve: an erasure takes the student out of the index
    any_store.forget_student(first, basis="PIPL 47", requested_by="student", actor=ADMIN)
    assert any_store.find_students(school, name="张小明", actor=teacher) == [second]
    assert any_store.find_students(school, id_number=NUMBER, actor=teacher) == []


def test_the_command_files_names_missing_from_the_index(registry: Registry) -> None:
    school = add_school(registry)
    student = add_student(registry, school, "王大力", NUMBER)
    # a student filed under another digest, as one registered before the index existed
    registry.key_store.index_name(student, "0" * 64)
    teacher = school_user(school)
    assert registry.find_students(school, name="王大力", actor=teacher) == []
    assert registry.index_student_names(actor=ADMIN) == 1
    assert registry.find_students(school, name="王大力", actor=teacher) == [student]
    # each name decrypted to be filed is logged
    logged = registry.access_log.entries(subject_id=student)
    assert [(e.purpose, e.reason) for e in logged if e.purpose == "derive"] == [
        ("derive", "name index")
    ]
