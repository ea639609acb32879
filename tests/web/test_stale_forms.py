"""Every record's commands run on the version the page showed: a form from before someone
else's change is refused with 409, saves nothing, and comes back with what was typed."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

from flask.testing import FlaskClient

from domain.actors import Actor, Role
from domain.annual_return import AnnualReturn
from domain.school import School
from registry.facade import Registry
from tests.factories import ADMIN, uscc
from tests.web.conftest import ADMIN_PASSWORD, add_admin, csrf_token, sign_in

CONFLICT = "Someone else changed this record while you were working on it"


def school(registry: Registry, serial: int) -> UUID:
    school_id = registry.register_school(
        uscc=uscc("12", serial, "510100"),
        name=f"测试技师学院{serial}",
        kind="senior_technical_school",
        prefecture="510100",
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    registry.open_major(school_id, name="数控加工", year=2018, actor=ADMIN)
    return school_id


def shown_version(client: FlaskClient, page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', client.get(page).get_data(as_text=True))
    assert found, f"no version in the forms of {page}"
    return found.group(1)


def test_a_correction_typed_on_a_page_someone_changed_since_is_refused(
    client: FlaskClient, registry: Registry
) -> None:
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    client.post("/language", data={"language": "en", "csrf_token": csrf_token(client)})
    school_id = school(registry, 1)
    page = f"/schools/{school_id}"
    version = shown_version(client, page)
    assert int(version) == registry.get(School, school_id).version

    # meanwhile another hand closes a major: the record moves on
    registry.close_major(school_id, name="数控加工", year=2024, actor=ADMIN)
    typed = {"name": "成都第一技师学院", "reason": "名称录错", "version": version}
    stale = client.post(f"{page}/correct", data={"csrf_token": csrf_token(client), **typed})
    body = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert CONFLICT in body and "成都第一技师学院" in body and "名称录错" in body
    assert registry.get(School, school_id).name == "测试技师学院1"

    # from the page as it is now, the same correction is recorded
    typed["version"] = shown_version(client, page)
    fresh = client.post(f"{page}/correct", data={"csrf_token": csrf_token(client), **typed})
    assert fresh.status_code == 302
    assert registry.get(School, school_id).name == "成都第一技师学院"


def test_a_form_without_the_version_shown_changes_nothing(
    client: FlaskClient, registry: Registry
) -> None:
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    school_id = school(registry, 2)
    typed = {"name": "成都第二技师学院", "reason": "名称录错"}
    sent = client.post(
        f"/schools/{school_id}/correct", data={"csrf_token": csrf_token(client), **typed}
    )
    assert sent.status_code == 409
    assert registry.get(School, school_id).name == "测试技师学院2"


FIGURES = {
    "enrollment": 1200,
    "students": 3600,
    "senior_students": 1500,
    "graduates": 1000,
    "employed": 980,
    "training_person_times": 5000,
}


def test_a_return_corrected_from_a_page_shown_before_another_correction_is_refused(
    client: FlaskClient, registry: Registry
) -> None:
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    school_id = school(registry, 3)
    teacher = Actor("teacher", Role.SCHOOL_USER, school_id)
    registry.file_annual_return(school_id=school_id, year=2024, figures=FIGURES, actor=teacher)
    page = f"/returns/{school_id}/2024"
    version = shown_version(client, page)

    registry.correct_annual_return(
        school_id=school_id,
        year=2024,
        figures={**FIGURES, "employed": 990},
        reason="补录",
        actor=teacher,
    )
    typed = {**{k: str(v) for k, v in FIGURES.items()}, "employed": "985", "reason": "补录就业"}
    stale = client.post(
        f"{page}/correct", data={"csrf_token": csrf_token(client), "version": version, **typed}
    )
    assert stale.status_code == 409 and "补录就业" in stale.get_data(as_text=True)
    found = registry.get(AnnualReturn, AnnualReturn.create_id(school_id, 2024))
    assert found.figures.employed == 990
