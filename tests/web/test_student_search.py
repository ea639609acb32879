"""A school finds its own students by 学号 and major directly, and by exact full name or ID
number through the keyed indexes, without anyone's personal data being decrypted to search:
results show record, 学号 and major, never a name, and each student found is logged."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

from flask.testing import FlaskClient

from domain.actors import Actor, Role
from domain.id_number import with_check_character
from registry.facade import Registry
from registry.stores.access_log import Purpose
from tests.factories import ADMIN, uscc
from tests.web.conftest import ID_NUMBER, PASSWORD, Placed, location_id, post, sign_in
from tests.web.pages import errors

SECOND = with_check_character("51010420070506001")
THIRD = with_check_character("51010420070707002")


def register(client: FlaskClient, **fields: str) -> UUID:
    response = post(
        client,
        "/students/new",
        {"gender": "male", "entry_year": str(date.today().year - 1), "major": "数控加工", **fields},
    )
    assert response.status_code == 302, errors(response.get_data(as_text=True))
    return location_id(response)


def listed(client: FlaskClient, query: str) -> list[tuple[str, str]]:
    """The (record, 学号) pairs the students list shows for ``query``."""
    page = client.get(f"/students/?{query}").get_data(as_text=True)
    return re.findall(
        r'href="/students/[0-9a-f-]{36}">([0-9a-f]{8})</a></td>\s*'
        r'<td class="mono" data-testid="student-number">([^<]*)</td>',
        page,
    )


def test_a_school_finds_its_students_by_student_number_name_and_id_number(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    # construct: two more students, one with the same name as the fixture's 王小明
    sign_in(client, "school", PASSWORD)
    namesake = register(client, name="王小明", id_number=SECOND, student_number="2024031")
    other = register(
        client, name="李小红", id_number=THIRD, student_number="2024032", gender="female"
    )
    # a namesake at another school is never found by this school
    elsewhere = registry.register_school(
        uscc=uscc("12", 9),
        name="绵阳技师学院",
        kind="technician_college",
        prefecture="510700",
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    registry.open_major(elsewhere, name="数控加工", year=2018, actor=ADMIN)
    registry.register_student(
        school_id=elsewhere,
        name="王小明",
        id_number=with_check_character("51070420060101003"),
        gender="male",
        entry_year=2024,
        major="数控加工",
        student_number="2024031",
        actor=Actor("t", Role.SCHOOL_USER, elsewhere),
    )
    # query: the list shows 学号 (a dash where none was given) and major, never a name
    everyone = client.get("/students/").get_data(as_text=True)
    assert "王小明" not in everyone and "2024032" in everyone and "数控加工" in everyone
    assert sorted(n for _, n in listed(client, "")) == ["2024031", "2024032", "—"]
    # by 学号, directly
    assert listed(client, "student_number=2024032") == [(str(other)[:8], "2024032")]
    # by exact full name: both of this school's 王小明, not the other school's, nor a part
    found = listed(client, "person=王小明")
    assert sorted(r for r, _ in found) == sorted([str(placed.student)[:8], str(namesake)[:8]])
    assert listed(client, "person=小明") == []
    # by ID number, through the blind index
    assert listed(client, f"person={ID_NUMBER}") == [(str(placed.student)[:8], "—")]
    # each student found was noted in the access log, and nothing was decrypted to show
    logged = [
        (UUID(str(e.subject_id)), Purpose(e.purpose))
        for e in registry.access_log.entries(limit=100)
        if e.purpose in (Purpose.FIND_BY_NAME, Purpose.FIND_BY_ID_NUMBER)
    ]
    assert sorted(logged) == sorted(
        [
            (placed.student, Purpose.FIND_BY_NAME),
            (namesake, Purpose.FIND_BY_NAME),
            (placed.student, Purpose.FIND_BY_ID_NUMBER),
        ]
    )


def test_a_student_number_is_unique_in_its_school_and_freed_by_a_correction(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    sign_in(client, "school", PASSWORD)
    first = register(client, name="王小明", id_number=SECOND, student_number="2024031")
    taken = post(
        client,
        "/students/new",
        {
            "name": "李小红",
            "id_number": THIRD,
            "gender": "female",
            "student_number": "2024031",
            "entry_year": str(date.today().year - 1),
            "major": "数控加工",
        },
    )
    assert taken.status_code == 422
    assert "2024031" in errors(taken.get_data(as_text=True))["student_number"]
    # the first student's number is corrected; the old one is free again
    corrected = post(
        client,
        f"/students/{first}/correct",
        {"student_number": "2024039", "reason": "学号录入错误"},
    )
    assert corrected.status_code == 302
    assert listed(client, "student_number=2024039") == [(str(first)[:8], "2024039")]
    register(client, name="李小红", id_number=THIRD, student_number="2024031", gender="female")
    assert len(listed(client, "student_number=2024031")) == 1


def test_a_mistyped_id_number_search_says_what_is_wrong(
    client: FlaskClient, placed: Placed
) -> None:
    sign_in(client, "school", PASSWORD)
    wrong = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")
    page = client.get(f"/students/?person={wrong}").get_data(as_text=True)
    assert "校验码" in errors(page)["person"]
    assert listed(client, f"person={wrong}") == []
