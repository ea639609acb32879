"""The start form of a post internship and the charter form of a training group show every
precondition the step is refused for, each with its state and a link to put it right."""

from __future__ import annotations

import re
from uuid import UUID

from flask.testing import FlaskClient

from registry.facade import Registry
from tests.factories import registered_enterprise, registered_school
from tests.web.conftest import (
    PASSWORD,
    Placed,
    account,
    location_id,
    post,
    register_placement,
    sign_in,
)


def preconditions(page: str, action: str) -> list[tuple[str, list[str], str]]:
    """(name, states, fix link) of each row of the checklist in ``action``'s form."""
    form = re.search(rf'data-testid="action-{action}"(.*?)</details>', page, re.S)
    assert form, f"no {action} form"
    table = re.search(r'data-testid="preconditions">(.*?)</table>', form.group(1), re.S)
    assert table, f"no checklist in the {action} form"
    rows = re.findall(r'data-testid="precondition">(.*?)</tr>', table.group(1), re.S)
    found = []
    for row in rows:
        name = re.search(r"<td>(.*?)</td>", row, re.S)
        states = re.findall(r'data-testid="state" data-state="(\w+)"', row)
        fix = re.search(r'<a href="([^"]+)"', row)
        assert name
        found.append((name.group(1).strip(), states, fix.group(1) if fix else ""))
    return found


def test_the_post_internship_start_form_lists_every_precondition_with_a_fix(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    sign_in(client, "school", PASSWORD)
    created = register_placement(client, placed, kind="post_internship")
    assert created.status_code == 302  # type: ignore[attr-defined]
    page = f"/placements/{location_id(created)}"
    rows = preconditions(client.get(page).get_data(as_text=True), "start")
    by_name = {name: (states, fix) for name, states, fix in rows}
    # the agreement, the tripartite agreement, age, school year, duration, each cover
    assert by_name["协议有效"] == (["met"], "")
    assert by_name["已记录三方协议"] == (["unmet"], "#action-tripartite")
    assert by_name["学生年满16周岁"][0] == ["met"]
    assert by_name["学生已过第一学年"][0] == ["met"]
    assert by_name["不超过6个月，或已记录延长理由"][0] == ["met"]
    for kind in ("实习实训责任保险", "人身意外伤害保险"):
        assert by_name[f"保险：{kind}"] == (["unmet"], "#action-put_on_policy")
    # each fix is a form on the page itself
    shown = client.get(page).get_data(as_text=True)
    assert 'id="action-tripartite"' in shown and 'id="action-put_on_policy"' in shown
    # once the tripartite agreement is recorded, its row is met
    today = re.search(r'data-testid="cover-check-([0-9-]+)"', shown)
    assert today
    post(client, f"{page}/tripartite", {"signed_on": today.group(1)})
    rows = preconditions(client.get(page).get_data(as_text=True), "start")
    assert ("已记录三方协议", ["met"], "") in [(n, s, f) for n, s, f in rows]


def test_the_charter_form_lists_what_the_group_has_and_lacks(
    client: FlaskClient, registry: Registry
) -> None:
    lead = registered_school(registry)
    registered_enterprise(registry)
    account(registry, "school", "school_user", party_id=lead)
    sign_in(client, "school", PASSWORD)
    proposed = post(
        client,
        "/groups/new",
        {"name": "成都智造集团", "prefectures": ["510100"], "industry_focus": "装备制造"},
    )
    page = proposed.headers["Location"]
    rows = preconditions(client.get(page).get_data(as_text=True), "charter")
    states = {name: (s, fix) for name, s, fix in rows}
    assert states["已有另一所学校成为成员"] == (["unmet"], "#action-admit")
    assert states["已有一家企业成为成员"] == (["unmet"], "#action-admit")
    assert states["未解散"] == (["met"], "")
    assert isinstance(UUID(page.rsplit("/", 1)[1]), UUID)
