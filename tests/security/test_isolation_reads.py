"""Isolation, reading: every page of the URL map, as every demo account and as nobody, on
records of its own party and of others. No one reads another party's record, and a party's
lists never name a party it has nothing to do with."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.security.demo_store import USERNAMES, Demo
from tests.security.matrix import refused, sample, unrelated_names
from tests.security.routes import (
    PARTY_ROLES,
    ROUTES,
    SHARED,
    may_read,
    path_for,
    requests,
    unclassified,
)

# pages that offer other parties to choose from by design (a partnership's other side)
CHOOSERS = {"enterprise.register_partnership", "school.propose"}
# list pages that show every record of a shared kind to these roles (docs/web.md, "Pages")
SHARED_LISTS = {"groups.index": SHARED["group"]}


def test_every_route_and_command_is_classified(shared_app: Flask) -> None:
    assert unclassified(shared_app) == []


def test_no_record_is_shown_outside_its_parties(
    shared_app: Flask, demo: Demo, clients: dict[str | None, FlaskClient]
) -> None:
    breaches, answered = [], 0
    for rule, _name in requests(shared_app, "GET"):
        kind = ROUTES[rule.endpoint].kind
        if kind is None:
            continue
        for record in sample(demo, kind):
            path = path_for(rule, record)
            for username in (*USERNAMES, None):
                account = demo.accounts.get(username) if username else None
                response = clients[username].get(path)
                answered += 1
                status, where = response.status_code, response.headers.get("Location", "")
                if status >= 500:
                    breaches.append(f"{username} GET {path}: {status}")
                elif not may_read(account, record) and not refused(status, where, not username):
                    breaches.append(f"{username} GET {path} ({record.key}): {status}")
    assert answered > 150
    assert not breaches, "\n".join(breaches)


def test_own_records_are_shown_so_the_matrix_means_something(
    shared_app: Flask, demo: Demo, clients: dict[str | None, FlaskClient]
) -> None:
    owned = {
        "school": ("agreement", "student", "teacher", "return", "school"),
        "enterprise": ("agreement", "placement", "student", "enterprise"),
        "secretariat": ("group",),
    }
    for username, kinds in owned.items():
        party = demo.accounts[username].party
        for kind in kinds:
            own = next(r for r in sample(demo, kind) if party in r.parties)
            rule = next(
                r for r, _ in requests(shared_app, "GET") if ROUTES[r.endpoint].kind == kind
            )
            assert clients[username].get(path_for(rule, own)).status_code == 200, own.key


def test_lists_name_no_party_a_party_user_has_nothing_to_do_with(
    shared_app: Flask, demo: Demo, clients: dict[str | None, FlaskClient]
) -> None:
    breaches, pages = [], 0
    for username, account in demo.accounts.items():
        if account.role not in PARTY_ROLES:
            continue
        strangers = unrelated_names(demo, account)
        foreign = (
            {
                str(v)
                for kind in demo.records
                for record in sample(demo, kind)
                if not may_read(account, record)
                for v in record.params.values()
                if len(str(v)) == 36
            }
            - set(strangers)
            - {account.party}
        )
        for rule, _name in requests(shared_app, "GET"):
            if rule.arguments or rule.endpoint in CHOOSERS or rule.endpoint == "static":
                continue
            if account.role in SHARED_LISTS.get(rule.endpoint, ()):
                continue
            response = clients[username].get(path_for(rule, None))
            if response.status_code != 200:
                continue
            pages += 1
            body = response.get_data(as_text=True)
            shown = [n for pid, n in strangers.items() if n in body or pid in body]
            shown += [i for i in foreign if i in body]
            if shown:
                breaches.append(f"{username} {rule.rule}: {shown[:3]}")
    assert pages > 10
    assert not breaches, "\n".join(breaches)
