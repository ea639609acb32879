"""Lists as recorded at a chosen day or log position (the date picker on every list)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask.testing import FlaskClient

from registry.facade import Registry
from tests.factories import ADMIN, uscc
from tests.web.conftest import PASSWORD, World, account, propose, sign_in


def listed(page: str) -> set[str]:
    return set(re.findall(r'href="/agreements/([0-9a-f-]{36})"', page))


def test_the_agreement_list_as_of_a_position_leaves_out_what_came_later(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    # construct: the world's agreements, then the position, then one more agreement
    account(registry, "auditor", "auditor")
    before = registry.max_position()
    later = propose(registry, world.school, world.enterprise)
    sign_in(client, "auditor", PASSWORD)
    # query: now it is listed; as of the earlier position it is not, and the page says so
    assert str(later) in listed(client.get("/agreements/").get_data(as_text=True))
    page = client.get(f"/agreements/?position={before}").get_data(as_text=True)
    assert str(later) not in listed(page)
    assert listed(page) == {str(world.agreement), str(world.others_agreement)}
    assert 'data-testid="as-of-banner"' in page and f'value="{before}"' in page


def test_as_recorded_by_yesterday_shows_nothing_recorded_today(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    account(registry, "auditor", "auditor")
    sign_in(client, "auditor", PASSWORD)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    page = client.get(f"/agreements/?as_of={yesterday}").get_data(as_text=True)
    assert listed(page) == set()


def test_every_list_answers_as_of_a_position(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    # construct: a group proposed after the position chosen
    account(registry, "auditor", "auditor")
    before = registry.max_position()
    registry.open_major(world.school, name="数控加工", year=2020, actor=ADMIN)
    registry.register_school(
        uscc=uscc("12", 8),
        name="成都第八技师学院",
        kind="technician_college",
        prefecture="510100",
        established_on=date(2012, 9, 1),
        actor=ADMIN,
    )
    sign_in(client, "auditor", PASSWORD)
    # query: now it is listed, as of the earlier position it is not
    assert "成都第八技师学院" in client.get("/schools/").get_data(as_text=True)
    then = client.get(f"/schools/?position={before}").get_data(as_text=True)
    assert "成都第八技师学院" not in then and "成都技师学院" in then


def test_odd_moments_are_ignored(client: FlaskClient, registry: Registry, world: World) -> None:
    account(registry, "auditor", "auditor")
    sign_in(client, "auditor", PASSWORD)
    for odd in ("as_of=tomorrow", "as_of=2999-01-01", "position=-3", "position=x"):
        page = client.get(f"/agreements/?{odd}").get_data(as_text=True)
        assert "as-of-banner" not in page and len(listed(page)) == 2
