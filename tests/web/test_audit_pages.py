"""Auditors' pages through the test client: the trail by record, actor, party and time,
and the log of personal data reads."""

from __future__ import annotations

import re
from datetime import date

from flask.testing import FlaskClient

from domain.actors import Actor, Role
from registry.facade import Registry
from tests.factories import uscc
from tests.web.conftest import PASSWORD, World, account, sign_in


def positions(page: str) -> list[int]:
    return [int(p) for p in re.findall(r'<td class="number"><a href="[^"]*">(\d+)</a>', page)]


def test_the_trail_is_filtered_by_record_actor_party_and_days(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    account(registry, "auditor", "auditor")
    registry.countersign_agreement(
        world.agreement, actor=Actor("colleague", Role.SCHOOL_USER, world.school)
    )
    sign_in(client, "auditor", PASSWORD)
    newest = registry.max_position()
    everything = positions(client.get("/audit/").get_data(as_text=True))
    assert everything == list(range(newest, max(0, newest - 20), -1))
    # one record: its proposal and countersignature
    record = client.get(f"/audit/?record={world.agreement}").get_data(as_text=True)
    assert len(positions(record)) == 2 and "已会签" in record
    # one actor
    assert len(positions(client.get("/audit/?actor=colleague").get_data(as_text=True))) == 1
    # one party, named by its code: itself and its agreement
    party = client.get(f"/audit/?party={uscc('91', 2, '510700')}").get_data(as_text=True)
    assert len(positions(party)) == 2
    # a range of days before anything was recorded
    assert positions(client.get("/audit/?until=2020-01-01").get_data(as_text=True)) == []
    today = date.today().isoformat()
    assert positions(
        client.get(f"/audit/?since={today}&record={world.agreement}").get_data(as_text=True)
    )


def test_only_auditors_and_administrators_open_the_audit_pages(
    client: FlaskClient, world: World
) -> None:
    sign_in(client, "officer", PASSWORD)
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/access-log").status_code == 403


def test_reads_of_personal_data_are_listed_without_the_data(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    registry.open_major(world.school, name="数控加工", year=2020, actor=Actor("cli", Role.SYSTEM))
    student = registry.register_student(
        school_id=world.school,
        name="王小明",
        id_number="510104200801010012",
        gender="male",
        entry_year=2024,
        major="数控加工",
        actor=Actor("teacher", Role.SCHOOL_USER, world.school),
    )
    registry.reveal_student(student, reader=Actor("teacher", Role.SCHOOL_USER, world.school))
    account(registry, "auditor", "auditor")
    sign_in(client, "auditor", PASSWORD)
    page = client.get(f"/audit/access-log?student={student}").get_data(as_text=True)
    assert "teacher" in page and str(student)[:8] in page
    assert "王小明" not in page and "510104200801010012" not in page


def visible_text(page: str) -> str:
    """The page's words without its markup (links' addresses are not read)."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_the_trail_reads_as_words_with_a_correction_as_before_and_after(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    account(registry, "auditor", "auditor")
    registry.correct_enterprise(
        world.enterprise,
        field="ownership",
        value="mixed",
        reason="登记有误",
        actor=Actor("cli", Role.SYSTEM),
    )
    sign_in(client, "auditor", PASSWORD)
    page = client.get("/audit/").get_data(as_text=True)
    text = visible_text(page)
    # the correction: the field by its label, the codes by their names, before → after
    assert "所有制: 民营 → 混合所有制" in text
    # records by kind and name, linked to their pages; the parties an agreement names too
    assert "校企合作协议" in text and "CooperationAgreement" not in text
    assert f'<a href="/agreements/{world.agreement}">订单班合作协议</a>' in page
    assert f'<a href="/schools/{world.school}">成都技师学院</a>' in page
    # no raw keys, codes, full ids, None or reprs
    for raw in ("school_id", "starts_on", "order_class", "None", "['", "{'"):
        assert raw not in text, raw
    assert not re.search(r"\b510100\b", text) and "名称: 四川测试有限公司1" in text
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", text)


def test_a_record_pages_history_shows_a_correction_as_before_and_after(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    registry.correct_agreement(
        world.agreement,
        field="title",
        value="订单班合作协议（更正）",
        reason="名称有误",
        actor=Actor("cli", Role.SYSTEM),
    )
    sign_in(client, "school", PASSWORD)
    history = visible_text(client.get(f"/agreements/{world.agreement}").get_data(as_text=True))
    assert "协议名称: 订单班合作协议 → 订单班合作协议（更正）" in history
    assert "原因: 名称有误" in history
