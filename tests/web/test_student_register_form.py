"""Registering a student through the form: an ID number that encodes the other sex than the
gender chosen is pointed out (GB 11643: digit 17 is odd for men, even for women)."""

from __future__ import annotations

from datetime import date

from flask.testing import FlaskClient

from domain.id_number import with_check_character
from registry.facade import Registry
from tests.web.conftest import PASSWORD, Placed, post, sign_in
from tests.web.pages import errors

WOMAN = with_check_character("51010420070506002")


def registration(**changes: str) -> dict[str, str]:
    return {
        "name": "李小红",
        "id_number": WOMAN,
        "gender": "female",
        "entry_year": str(date.today().year - 1),
        "major": "数控加工",
        **changes,
    }


def test_an_id_number_of_the_other_sex_is_pointed_out_beside_the_gender(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    sign_in(client, "school", PASSWORD)
    before = registry.max_position()
    refused = post(client, "/students/new", registration(gender="male"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "第 17 位" in errors(page)["gender"] and "女性" in errors(page)["gender"]
    assert f'value="{WOMAN}"' in page
    assert registry.max_position() == before
    # the same number with the gender it encodes is registered
    assert post(client, "/students/new", registration()).status_code == 302
