"""Isolation, writing: every command of the URL map — every route that takes a POST, and every
action behind the generic ``…/<name>`` rules — sent by every demo account that is not a
party of the record (and by nobody signed in), with answers that pass the form's checks.
Each is refused, and the log does not move."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.security.conftest import csrf_of, log_position, signed_in
from tests.security.demo_store import USERNAMES, Demo, Record
from tests.security.filling import GENERIC, LINKING, plausible, version_of
from tests.security.matrix import refused, sample
from tests.security.routes import (
    ROUTES,
    commands_behind,
    creation_of,
    may_read,
    may_write,
    path_for,
    requests,
)

REFUSALS = (400, 403, 404, 409, 422)


def _others(demo: Demo, party: str | None) -> dict[str, str]:
    """For each kind, a record of a party other than ``party``."""
    found = {}
    for kind in demo.records:
        for record in reversed(sample(demo, kind)):
            if party not in record.parties and "id" in record.params:
                found[kind] = str(record.params["id"])
                break
    return found


def _answers(
    app: Flask, rule: Any, name: str | None, record: Record | None, ids: dict[str, str]
) -> dict[str, Any]:
    version = version_of(app, str(record.params.get("id", ""))) if record else 0
    declared = (commands_behind(app, rule.endpoint) or {}).get(name) if name else None
    creation = creation_of(app, rule.endpoint)
    schema = declared.schema() if declared else creation.schema() if creation else None
    if schema is None:
        return {**GENERIC, "version": str(version)}
    return plausible(schema, version, ids)


def _own_policy(app: Flask, client: FlaskClient, token: str, party: str | None) -> Record:
    """A policy the party registers through its form (the demo gives neither one)."""
    creation = creation_of(app, "policies.new")
    assert creation is not None
    data = plausible(creation.schema(), 0, {}, texts=f"保单{str(party)[:8]}")
    response = client.post("/policies/new", data={**data, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    policy = response.headers["Location"].rsplit("/", 1)[1]
    return Record("policy", {"id": policy}, frozenset({party or ""}), frozenset())


def test_no_command_is_accepted_from_outside_a_records_parties(
    shared_app: Flask, demo: Demo, clients: dict[str | None, FlaskClient]
) -> None:
    breaches, sent = [], 0
    tokens = {u: csrf_of(c) for u, c in clients.items()}
    for rule, name in requests(shared_app, "POST"):
        kind = ROUTES[rule.endpoint].kind
        if kind is None:
            continue
        for record in sample(demo, kind):
            path = path_for(rule, record, name)
            for username in (*USERNAMES, None):
                account = demo.accounts.get(username) if username else None
                if may_write(account, record) or (
                    ROUTES[rule.endpoint].reads and may_read(account, record)
                ):
                    continue
                ids = _others(demo, account.party if account else None)
                data = {
                    **_answers(shared_app, rule, name, record, ids),
                    "csrf_token": tokens[username],
                }
                before = log_position(shared_app)
                response = clients[username].post(path, data=data)
                sent += 1
                status, where = response.status_code, response.headers.get("Location", "")
                moved = log_position(shared_app) - before
                if moved or not (status in REFUSALS or refused(status, where, not username)):
                    breaches.append(f"{username} POST {path}: {status}, {moved} events")
    assert sent > 500
    assert not breaches, "\n".join(breaches)


def test_no_command_links_a_party_record_to_another_partys(fresh_app: Flask, demo: Demo) -> None:
    """A party's own record (or a new one) never gets linked to another party's record: a
    policy of one enterprise put on another's placements, say (issue 16, finding 1)."""
    breaches, sent = [], 0
    for username in ("school", "enterprise"):
        account = demo.accounts[username]
        client = signed_in(fresh_app, username)
        token = csrf_of(client)
        ids = _others(demo, account.party)
        own = {
            k: next((r for r in demo.records[k] if account.party in r.parties), None)
            for k in demo.records
        }
        own["policy"] = _own_policy(fresh_app, client, token, account.party)
        for rule, name in requests(fresh_app, "POST"):
            kind = ROUTES[rule.endpoint].kind
            record = own.get(kind) if kind else None
            if kind and record is None:
                continue
            data = _answers(fresh_app, rule, name, record, ids)
            linked = {k: v for k, v in data.items() if k in LINKING}
            if not linked:
                continue
            path = path_for(rule, record, name)
            before = log_position(fresh_app)
            response = client.post(path, data={**data, "csrf_token": token})
            sent += 1
            if log_position(fresh_app) != before or response.status_code >= 500:
                breaches.append(f"{username} POST {path} {linked}: {response.status_code}")
    assert sent >= 4
    assert not breaches, "\n".join(breaches)
