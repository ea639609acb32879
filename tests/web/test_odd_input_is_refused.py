"""Input that once made the server fail (HTTP 500) is refused with a sentence instead, and
nothing is recorded: ids that are not ids, absurd amounts, a ``next`` that would split a
header, and dates no filter can mean."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from marshmallow import Schema, ValidationError

from registry.facade import Registry
from tests.web.conftest import (
    ADMIN_PASSWORD,
    PASSWORD,
    Placed,
    add_admin,
    location_id,
    post,
    register_placement,
    sign_in,
)
from tests.web.pages import errors
from web.schemas import agreements, placements
from web.schemas.fields import Yuan

ABSURD_AMOUNTS = ("1e400", "9" * 40, "NaN", "Infinity", "-Infinity", "-5", "1e-400")


def _policy(client: FlaskClient) -> str:
    today = date.today()
    created = post(
        client,
        "/policies/new",
        {
            "kind": "internship_liability",
            "insurer": "中国人保",
            "policy_number": "L-1",
            "covers_from": (today - timedelta(days=10)).isoformat(),
            "covers_until": (today + timedelta(days=200)).isoformat(),
        },
    )
    assert created.status_code == 302
    return f"/policies/{location_id(created)}"


@pytest.mark.parametrize("action", ["cover", "uncover"])
@pytest.mark.parametrize("typed", ["not-a-uuid", "\x00"])
def test_a_placement_that_is_not_a_record_id_is_a_field_error(
    client: FlaskClient, registry: Registry, placed: Placed, action: str, typed: str
) -> None:
    sign_in(client, "school", PASSWORD)
    placement = location_id(register_placement(client, placed))
    page = _policy(client)
    assert post(client, f"{page}/cover", {"placements": str(placement)}).status_code == 302
    before = registry.max_position()
    # a well-formed id beside a malformed one: the whole form is refused
    refused = post(client, f"{page}/{action}", {"placements": [str(placement), typed]})
    assert refused.status_code == 422
    assert errors(refused.get_data(as_text=True))["placements"] == "请在给出的选项中选择。"
    assert registry.max_position() == before


def _money_fields() -> list[tuple[type[Schema], str]]:
    found = []
    for module in (agreements, placements):
        for schema in vars(module).values():
            if isinstance(schema, type) and issubclass(schema, Schema) and schema is not Schema:
                found += [(schema, n) for n, f in schema().fields.items() if isinstance(f, Yuan)]
    return sorted(set(found), key=lambda found: (found[0].__name__, found[1]))


def test_every_money_field_is_found() -> None:
    names = {f"{schema.__name__}.{name}" for schema, name in _money_fields()}
    assert {
        "PartnershipSchema.planned_investment",
        "PlannedInvestmentSchema.amount",
        "InvestmentSchema.amount",
        "InvestmentCorrectionSchema.amount",
        "PlacementSchema.pay",
        "WorkingArrangementSchema.pay",
        "WorkingArrangementSchema.post_wage",
        "FeeSchema.amount",
        "ClaimSchema.amount",
        "SettlementSchema.amount_paid",
    } <= names


@pytest.mark.parametrize("typed", ABSURD_AMOUNTS)
def test_an_absurd_amount_is_a_field_error_on_every_money_field(app: Flask, typed: str) -> None:
    for schema, name in _money_fields():
        with app.test_request_context(), pytest.raises(ValidationError) as refused:
            schema().load({name: typed}, partial=True)
        message = " ".join(refused.value.messages[name])  # type: ignore[call-overload]
        assert message.endswith("。"), (schema.__name__, name, message)


def test_an_amount_out_of_range_says_the_range(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    sign_in(client, "school", PASSWORD)
    placement = location_id(register_placement(client, placed))
    before = registry.max_position()
    data: dict[str, Any] = {
        "purpose": "住宿管理费",
        "reported_by": "学生家长",
        "charged_on": date.today().isoformat(),
    }
    for typed in ("1e400", "9" * 40):
        refused = post(client, f"/placements/{placement}/report_fee", {**data, "amount": typed})
        assert refused.status_code == 422
        assert "0.01" in errors(refused.get_data(as_text=True))["amount"]
        assert "999,999,999,999.99" in errors(refused.get_data(as_text=True))["amount"]
    assert registry.max_position() == before


@pytest.mark.parametrize(
    "target",
    [
        "/\r\nSet-Cookie: x=1",
        "/\nLocation: //evil.example",
        "/agreements/\x00",
        "/\u202e",
        "/\\evil.example",
        "//evil.example/",
        "https://evil.example/",
        "/ /evil",
    ],
)
def test_the_language_switch_follows_only_plain_paths_of_this_site(
    client: FlaskClient, target: str
) -> None:
    switched = post(client, "/language", {"language": "en", "next": target})
    assert switched.status_code == 302
    assert switched.headers["Location"] == "/"
    assert "Set-Cookie: x" not in str(switched.headers)


def test_the_language_switch_goes_back_to_the_page_it_was_on(client: FlaskClient) -> None:
    switched = post(client, "/language", {"language": "en", "next": "/agreements/?status=draft"})
    assert switched.headers["Location"] == "/agreements/?status=draft"


@pytest.mark.parametrize(
    "query",
    ["since=0001-01-01", "until=9999-12-31", "since=9999-12-31", "until=0001-01-01"],
)
def test_an_audit_date_out_of_range_is_a_message_on_the_filter(
    client: FlaskClient, registry: Registry, query: str
) -> None:
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    page = client.get(f"/audit/?{query}")
    assert page.status_code == 200
    name = query.split("=")[0]
    assert errors(page.get_data(as_text=True))[name] == (
        "请输入 1949-01-01 至 2100-12-31 之间的日期，格式为年-月-日。"
    )


@pytest.mark.parametrize(
    "query",
    [
        "as_of=9999-12-31",
        "as_of=0001-01-01",
        "position=99999999999999999999999999",
        "position=-1",
    ],
)
def test_a_moment_no_list_can_show_is_a_message_on_the_picker(
    client: FlaskClient, registry: Registry, query: str
) -> None:
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    page = client.get(f"/agreements/?{query}")
    assert page.status_code == 200
    assert 'data-testid="error-as_of"' in page.get_data(as_text=True)
    assert 'data-testid="as-of-banner"' not in page.get_data(as_text=True)


def test_an_access_log_position_too_large_shows_an_empty_page(
    client: FlaskClient, registry: Registry
) -> None:
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    assert client.get("/audit/access-log?after=" + "9" * 30).status_code == 200
