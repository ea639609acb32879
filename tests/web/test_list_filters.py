"""Every filter on every list either filters, accepts the forms the page itself shows (the
8-character id, a name, a USCC, an account holder's name) or says why it cannot; none
silently returns the whole list. And lists where people look for recent things put them
first, with columns to sort by; the school picker reads by prefecture, then by name."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask.testing import FlaskClient

from domain.actors import Actor, Role
from registry.facade import Registry
from tests.factories import uscc
from tests.web.conftest import ADMIN_PASSWORD, PASSWORD, World, account, add_admin, sign_in

RECORD_LINK = re.compile(r'href="/[a-z/]+/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-')
NOTHING = "没有这个名字"

# every list's filters: (list, filter, a value that matches nothing)
FILTERS = [
    *(("/agreements/", name, "nonsense") for name in ("status", "mode", "prefecture")),
    *(("/schools/", name, "nonsense") for name in ("prefecture", "kind", "withdrawn")),
    ("/schools/", "q", NOTHING),
    *(
        ("/enterprises/", n, "nonsense")
        for n in ("prefecture", "ownership", "above_designated_size")
    ),
    ("/enterprises/", "industry", NOTHING),
    *(("/organisations/", name, "nonsense") for name in ("kind", "prefecture")),
    *(("/groups/", name, "nonsense") for name in ("stage", "prefecture")),
    *(("/students/", name, "nonsense") for name in ("entry_year", "gender", "forgotten")),
    ("/students/", "major", NOTHING),
    *(("/placements/", name, "nonsense") for name in ("kind", "status", "running")),
    *(("/policies/", name, "nonsense") for name in ("kind", "in_force")),
    ("/teachers/", "short", "nonsense"),
    *(("/returns/", n, "nonsense") for n in ("year", "prefecture", "late", "corrected")),
    *(("/findings/", n, "nonsense") for n in ("rule", "severity", "state", "prefecture")),
    *(("/admin/accounts/", name, "nonsense") for name in ("status", "role")),
    ("/admin/accounts/", "q", NOTHING),
    *(("/audit/", name, "nonsense") for name in ("record", "actor", "party")),
    ("/audit/", "record", "0000ffff"),
    *(("/audit/access-log", name, "nonsense") for name in ("student", "reader")),
]


@pytest.mark.parametrize(
    ("path", "name", "value"), FILTERS, ids=[f"{p}?{n}" for p, n, _ in FILTERS]
)
def test_a_filter_matching_nothing_lists_nothing_or_says_why(
    client: FlaskClient, registry: Registry, world: World, path: str, name: str, value: str
) -> None:
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    page = client.get(path, query_string={name: value})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert not RECORD_LINK.search(text), f"{path}?{name}={value} listed records"
    if value != NOTHING:
        assert f'data-testid="error-{name}"' in text, f"{path}?{name}={value} said nothing"


def positions(page: str) -> list[str]:
    return re.findall(r'<td class="number"><a [^>]*>(\d+)</a>', page)


def test_the_trail_takes_the_short_id_a_name_and_an_account_holders_name(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    account(registry, "auditor", "auditor")
    registry.countersign_agreement(
        world.agreement, actor=Actor("school", Role.SCHOOL_USER, world.school)
    )
    sign_in(client, "auditor", PASSWORD)

    def listed(**args: str) -> str:
        return client.get("/audit/", query_string=args).get_data(as_text=True)

    # the 8 characters the trail shows for the agreement: its proposal and countersignature
    short = listed(record=str(world.agreement)[:8])
    assert short.count("#1") + short.count("#2") == 2 and 'data-testid="error-record"' not in short
    # a party by its name and by its USCC: the same events
    by_name, by_code = listed(party="四川测试有限公司1"), listed(party=uscc("91", 1, "510100"))
    assert positions(by_name) == positions(by_code) != []
    assert "订单班合作协议" in by_name
    # an actor by the name the trail shows for them (the school account is "School")
    by_display = listed(actor="School")
    assert "已会签" in by_display and "error-actor" not in by_display
    # the registry's own actor by the name the trail gives it
    registry.correct_enterprise(
        world.enterprise,
        field="industry",
        value="汽车制造",
        reason="登记有误",
        actor=Actor("system:cli:root", Role.SYSTEM),
    )
    for named in ("命令行（root）", "命令行"):
        by_cli = listed(actor=named)
        assert "装备制造 → 汽车制造" in re.sub(r"<[^>]+>", "", by_cli), named
        assert len(positions(by_cli)) == 1, named


def test_the_trail_lists_the_newest_first_and_sorts_by_a_column(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    account(registry, "auditor", "auditor")
    sign_in(client, "auditor", PASSWORD)
    newest = registry.max_position()
    first = re.findall(r'<td class="number"><a [^>]*>(\d+)</a>', client.get("/audit/").text)
    assert first[0] == str(newest)
    oldest = client.get("/audit/?sort=oldest").text
    assert re.findall(r'<td class="number"><a [^>]*>(\d+)</a>', oldest)[0] == "1"
    by_event = client.get("/audit/?sort=event").get_data(as_text=True)
    assert 'aria-sort="ascending"' in by_event


def test_the_school_inbox_shows_the_latest_proposal_first(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    later = registry.propose_agreement(
        school_id=world.school,
        enterprise_id=world.enterprise,
        title="最新的订单班协议",
        modes=["order_class"],
        starts_on=date(2026, 9, 1),
        ends_on=date(2029, 8, 31),
        actor=Actor("someone", Role.ENTERPRISE_USER, world.enterprise),
    )
    sign_in(client, "school", PASSWORD)
    inbox = client.get("/school/").get_data(as_text=True)
    links = re.findall(r'href="/agreements/([0-9a-f-]{36})"', inbox)
    assert links[0] == str(later)
    by_title = client.get("/school/?sort=title").get_data(as_text=True)
    assert re.findall(r'href="/agreements/([0-9a-f-]{36})"', by_title)[0] != str(later)


def test_the_school_picker_lists_by_prefecture_then_by_name_as_read(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    for serial, (name, prefecture) in enumerate(
        (("自贡技师学院", "510300"), ("阿坝技工学校", "510100"), ("泸州技工学校", "510100")), 3
    ):
        registry.register_school(
            uscc=uscc("12", serial, prefecture),
            name=name,
            kind="technical_school",
            prefecture=prefecture,
            established_on=date(2026, 9, 1),
            actor=Actor("cli", Role.SYSTEM),
        )
    sign_in(client, "enterprise", PASSWORD)
    picker = client.get("/enterprise/partnerships/new").get_data(as_text=True)
    names = re.findall(r"<tr>\s*<td>([^<]*)</td>", picker)
    # 成都 (510100): 阿坝…, 成都…, 泸州… by pinyin; then 自贡 (510300)
    assert names == ["阿坝技工学校", "成都技师学院", "泸州技工学校", "自贡技师学院"]
    refused = client.get("/enterprise/partnerships/new?prefecture=999999").get_data(as_text=True)
    assert 'data-testid="error-prefecture"' in refused and "自贡技师学院" not in refused
