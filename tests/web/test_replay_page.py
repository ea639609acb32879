"""The auditor's replay page: runs `registry replay` through the form mechanism and shows the
result; a row of the live read models altered by hand is named; other roles are refused."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registry.facade import Registry
from tests.web.conftest import PASSWORD, World, account, csrf_token, sign_in
from web.replay_results import ReplayResults

PAGE = "/audit/replay/"


def live_file(app: Flask) -> Path:
    read = app.extensions["registry"].settings.data_dir / "read"
    return read / (read / "CURRENT").read_text().strip()


def form_key(client: FlaskClient) -> str:
    found = re.search(r'name="submission" value="([^"]+)"', client.get(PAGE).get_data(as_text=True))
    assert found, "the replay form carries no submission key"
    return found.group(1)


def run(client: FlaskClient, key: str, position: str = "") -> str:
    """Send the replay form; the result page it leads to."""
    response = client.post(
        PAGE, data={"csrf_token": csrf_token(client), "submission": key, "position": position}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return response.headers["Location"]


@pytest.fixture
def auditor(client: FlaskClient, registry: Registry, world: World) -> FlaskClient:
    account(registry, "auditor", "auditor")
    sign_in(client, "auditor", PASSWORD)
    return client


def test_an_auditor_replays_and_sees_every_view_identical(auditor: FlaskClient, app: Flask) -> None:
    before = hashlib.sha256(live_file(app).read_bytes()).hexdigest()
    shown = auditor.get(run(auditor, form_key(auditor))).get_data(as_text=True)
    assert 'data-testid="replay-verdict"' in shown
    assert "完全一致：每个视图" in shown and 'class="badge refused"' not in shown
    assert hashlib.sha256(live_file(app).read_bytes()).hexdigest() == before


def test_a_row_altered_by_hand_is_named_on_the_result_page(
    auditor: FlaskClient, app: Flask, world: World
) -> None:
    conn = sqlite3.connect(live_file(app), isolation_level=None)
    conn.execute("UPDATE agreements SET title = '手改标题' WHERE id = ?", [str(world.agreement)])
    conn.close()
    shown = auditor.get(run(auditor, form_key(auditor))).get_data(as_text=True)
    row = shown[shown.index('data-testid="replay-view-agreements"') :]
    assert str(world.agreement) in row and "手改标题" in row
    assert "不一致：有的视图" in shown


def test_the_replay_form_sent_twice_runs_once_and_shows_the_first_result(
    auditor: FlaskClient, app: Flask
) -> None:
    key = form_key(auditor)
    first = run(auditor, key)
    second = run(auditor, key)
    assert second == first
    assert "没有重复记录" in auditor.get(second).get_data(as_text=True)
    assert len(ReplayResults(app.extensions["registry"].settings.data_dir).recent()) == 1


def test_a_position_the_read_models_have_not_reached_is_refused_beside_the_field(
    auditor: FlaskClient, registry: Registry
) -> None:
    beyond = str(registry.max_position() + 5)
    response = auditor.post(
        PAGE,
        data={
            "csrf_token": csrf_token(auditor),
            "submission": form_key(auditor),
            "position": beyond,
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'data-testid="error-position"' in page and beyond in page


@pytest.mark.parametrize(
    ("role", "binding"),
    [("province_admin", {}), ("prefecture_officer", {"prefecture": "510100"})],
)
def test_only_auditors_may_replay(
    client: FlaskClient, registry: Registry, world: World, role: str, binding: dict[str, str]
) -> None:
    account(registry, "someone", role, **binding)
    sign_in(client, "someone", PASSWORD)
    assert client.get(PAGE).status_code == 403
    refused = client.post(PAGE, data={"csrf_token": csrf_token(client), "position": ""})
    assert refused.status_code == 403
