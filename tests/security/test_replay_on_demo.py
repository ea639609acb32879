"""The replay on the demo: an auditor's replay of the demo's log finds every read model
identical to what the log builds; every other account, and nobody, is refused the page."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.security.conftest import csrf_of
from tests.security.demo_store import USERNAMES
from tests.security.matrix import refused

PAGE = "/audit/replay/"


def test_the_demo_replays_identical_for_an_auditor(
    shared_app: Flask, clients: dict[str | None, FlaskClient]
) -> None:
    auditor = clients["auditor"]
    form = auditor.get(PAGE).get_data(as_text=True)
    key = re.search(r'name="submission" value="([^"]+)"', form)
    assert key is not None
    sent = auditor.post(
        PAGE, data={"csrf_token": csrf_of(auditor), "submission": key.group(1), "position": ""}
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)[:2000]
    shown = auditor.get(sent.headers["Location"]).get_data(as_text=True)
    verdict = re.search(r'data-testid="replay-verdict">(.*?)</p>', shown, re.S)
    assert verdict is not None and "完全一致" in verdict.group(1), shown[:3000]
    assert "不一致" not in verdict.group(1)


def test_only_the_auditor_reaches_the_replay(clients: dict[str | None, FlaskClient]) -> None:
    for username in (*USERNAMES, None):
        if username == "auditor":
            continue
        client = clients[username]
        page = client.get(PAGE)
        sent = client.post(PAGE, data={"csrf_token": csrf_of(client), "position": ""})
        for response in (page, sent):
            where = response.headers.get("Location", "")
            assert refused(response.status_code, where, username is None), (username, response)
