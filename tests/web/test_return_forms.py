"""Filing and correcting annual returns through the test client: a filed year leads to its
correction, every problem of a form is shown at once, and the labels are the refusals' words."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from registry.facade import Registry
from tests.factories import ADMIN, school_user, uscc
from tests.web.conftest import PASSWORD, account, post, sign_in

LAST_YEAR = date.today().year - 1
FIGURES = {
    "enrollment": "600",
    "students": "1500",
    "senior_students": "340",
    "graduates": "400",
    "employed": "392",
    "training_person_times": "1300",
}


@pytest.fixture
def school(registry: Registry, client: FlaskClient) -> UUID:
    school_id = registry.register_school(
        uscc=uscc("12", 1),
        name="成都技师学院",
        kind="technician_college",
        prefecture="510100",
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    account(registry, "school", "school_user", party_id=school_id)
    sign_in(client, "school", PASSWORD)
    return school_id


def errors(page: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, message in re.findall(r'data-testid="error-(\w+)">([^<]*)<', page):
        found.setdefault(name, []).append(message)
    return found


def test_a_filed_year_offers_its_correction_as_a_link(
    client: FlaskClient, registry: Registry, school: UUID
) -> None:
    registry.file_annual_return(
        school_id=school,
        year=LAST_YEAR,
        figures={k: int(v) for k, v in FIGURES.items()},
        actor=school_user(school),
    )
    correction = f"/returns/{school}/{LAST_YEAR}?correct=1#correct"
    # the filing form lists the year as filed, with its correction one click away
    form = client.get("/returns/new").get_data(as_text=True)
    assert f'href="{correction}"' in form and "提交更正" in form
    # filing it again is refused, and the link is on the page that says so
    refused = post(client, "/returns/new", {"year": str(LAST_YEAR), **FIGURES})
    assert refused.status_code == 422
    assert f'href="{correction}"' in refused.get_data(as_text=True)
    # the list offers it too, and the link opens the correction form
    assert f'href="{correction}"' in client.get("/returns/").get_data(as_text=True)
    opened = client.get(correction.split("#")[0]).get_data(as_text=True)
    assert re.search(r'<details class="action" id="correct"[^>]* open>', opened)


def test_every_problem_of_a_return_is_shown_at_once(client: FlaskClient, school: UUID) -> None:
    sent = {
        **FIGURES,
        "year": str(date.today().year),  # not over yet
        "enrollment": "-1",  # negative
        "students": "100",
        "senior_students": "120",  # more than the students
        "graduates": "40",
        "employed": "41",  # more than the graduates
    }
    answer = post(client, "/returns/new", sent)
    assert answer.status_code == 422
    shown = errors(answer.get_data(as_text=True))
    assert set(shown) == {"year", "enrollment", "senior_students", "employed"}, shown
    assert "120" in shown["senior_students"][0] and "41" in shown["employed"][0]


def test_figure_labels_are_the_words_of_the_refusals(client: FlaskClient, school: UUID) -> None:
    sent = {**FIGURES, "year": str(LAST_YEAR), "senior_students": "2000", "employed": "401"}
    page = post(client, "/returns/new", sent).get_data(as_text=True)
    labels = dict(re.findall(r'<label for="(\w+)">([^<]*)</label>', page))
    shown = errors(page)
    assert labels["students"] == "在校生总数"
    assert labels["students"] in shown["senior_students"][0]
    assert labels["senior_students"] in shown["senior_students"][0]
    assert labels["employed"] in shown["employed"][0]
    assert labels["graduates"] in shown["employed"][0]


def test_a_late_return_is_one_finding_row_per_school_and_year(
    client: FlaskClient, registry: Registry, school: UUID
) -> None:
    # construct: two years' returns filed after their deadlines, one corrected twice
    figures = {k: int(v) for k, v in FIGURES.items()}
    for year in (LAST_YEAR - 1, LAST_YEAR):
        registry.set_return_deadline(year=year, due_on=date(year + 1, 1, 2), actor=ADMIN)
        registry.file_annual_return(
            school_id=school, year=year, figures=figures, actor=school_user(school)
        )
    for students in (1501, 1502):
        registry.correct_annual_return(
            school_id=school,
            year=LAST_YEAR,
            figures={**figures, "students": students},
            reason="核对学籍系统后更正",
            actor=school_user(school),
        )
    # query: one row for each year, none for the corrections
    page = client.get("/findings/?rule=return_late").get_data(as_text=True)
    rows = re.findall(r'<tr data-rule="return_late">(.*?)</tr>', page, re.S)
    years = sorted(re.search(r"(\d{4}) ·", row).group(1) for row in rows)  # type: ignore[union-attr]
    assert years == [str(LAST_YEAR - 1), str(LAST_YEAR)]
