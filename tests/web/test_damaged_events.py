"""A damaged stored event, broken with sqlite3 itself: the pages say what cannot be read and
who to tell (503), never a traceback or the plain apology of an unexpected failure."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing

from flask import Flask
from flask.testing import FlaskClient

from domain.actors import Actor, Role
from registry.facade import Registry
from tests.tampering import damage
from tests.web.conftest import PASSWORD, Placed, World, post, sign_in
from web.config import WebConfig


def explanation(page: str) -> str:
    found = re.search(r'data-testid="error-explanation">([^<]*)<', page)
    assert found, page
    return found.group(1)


def in_english(client: FlaskClient) -> None:
    post(client, "/language", {"language": "en", "next": "/"})


def test_a_command_on_a_damaged_record_says_it_cannot_be_read_and_who_to_tell(
    client: FlaskClient, registry: Registry, world: World, config: WebConfig
) -> None:
    sign_in(client, "school", PASSWORD)
    position = damage(config.settings.data_dir, world.agreement, 1)
    # countersigning replays the agreement, whose proposal no longer decodes
    response = post(client, f"/agreements/{world.agreement}/countersign", {"version": 1})
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "此记录无法读取" in page and f"日志第 {position} 号" in page
    assert "省人社厅管理员" in page
    assert "Traceback" not in page and str(world.agreement) not in explanation(page)
    assert len(registry.recorder.select_events(world.agreement)) == 1
    # the same in English
    in_english(client)
    english = post(client, f"/agreements/{world.agreement}/countersign", {"version": 1})
    text = english.get_data(as_text=True)
    assert english.status_code == 503
    assert "This record cannot be read" in text
    assert f"version 1, position {position} in the log" in text
    assert "Tell the province administrator" in text


def test_a_page_past_a_damaged_event_says_the_pages_cannot_be_brought_up_to_date(
    app: Flask, client: FlaskClient, world: World, config: WebConfig
) -> None:
    sign_in(client, "school", PASSWORD)
    in_english(client)
    # another process countersigns and dies before projecting it; then the event is damaged
    other = Registry(config.settings)
    try:
        other.countersign_agreement(
            world.agreement, actor=Actor("colleague", Role.SCHOOL_USER, world.school)
        )
    finally:
        other.close()
    position = damage(config.settings.data_dir, world.agreement, 2)
    response = client.get(f"/agreements/{world.agreement}")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "The registry cannot show up-to-date pages" in page
    assert f"position {position} in the log, version 2 of its record" in page
    assert "Tell the province administrator" in page
    # the read models took everything before it and stay there
    assert app.extensions["read_models"].position() == position - 1


def test_damaged_personal_data_reads_as_damaged_not_erased(
    client: FlaskClient, placed: Placed, config: WebConfig
) -> None:
    # one character of the sealed name's ciphertext changed, the JSON still whole
    with closing(sqlite3.connect(config.settings.data_dir / "events.sqlite3")) as conn:
        position, state = conn.execute(
            "SELECT rowid, state FROM stored_events"
            " WHERE originator_id = ? AND originator_version = 1",
            (placed.student.hex,),
        ).fetchone()
        text = state.decode()
        at = text.index('"_data_":"v1:', text.index('"name"')) + len('"_data_":"v1:') + 20
        changed = text[:at] + ("A" if text[at] != "A" else "B") + text[at + 1 :]
        conn.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?", (changed.encode(), position)
        )
        conn.commit()
    sign_in(client, "school", PASSWORD)
    response = post(client, f"/students/{placed.student}/reveal", {"reason": "核对实习登记"})
    page = response.get_data(as_text=True)
    assert "无法解密（已损坏）" in page
    assert "可能已被删除" not in page and "王小明" not in page
    in_english(client)
    english = post(client, f"/students/{placed.student}/reveal", {"reason": "核对实习登记"})
    text = english.get_data(as_text=True)
    assert "cannot be decrypted (damaged)" in text and "may have been erased" not in text
