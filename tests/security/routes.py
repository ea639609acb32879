"""Every route of the web application, classified: what its URL parameters name, and who may
read a record of that kind. The classification is keyed by endpoint and must be complete:
a route added without an entry here fails the isolation tests until someone says what it
exposes.

The commands behind the generic ``…/<name>`` rules are found where they are declared (a
``RecordPage``'s actions, or the ``BY_NAME`` of the module whose view dispatches them), so
a new action is covered without editing this file.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from werkzeug.routing import Rule

from domain.actors import Role
from tests.security.demo_store import Account_, Record
from web.actions import Action, Creation, RecordPage


@dataclass(frozen=True)
class Route:
    """What a route's URL names: a kind of record (or nothing), and fixed values for the
    parameters that name no record."""

    kind: str | None = None
    fill: dict[str, str] = field(default_factory=dict)
    # a POST that only reads (showing personal data on request, logged outside the log)
    reads: bool = False


PAGE = Route()
ROUTES: dict[str, Route] = {
    "static": Route(fill={"filename": "registry.css"}),
    "auth.reset_password": Route(fill={"token": "not-a-token"}),
    "ledger.checkpoint_of": Route(fill={"size": "1"}),
    **{
        endpoint: PAGE
        for endpoint in [
            "main.home",
            "main.health",
            "main.language",
            "ledger.checkpoint",
            "ledger.index",
            "auth.login",
            "auth.logout",
            "auth.logout_everywhere",
            "auth.request_account",
            "auth.change_password",
            "accounts.index",
            "accounts.add",
            "agreements.index",
            "audit.index",
            "audit.access_log",
            "dashboard.index",
            "dashboard.groups_chart",
            "dashboard.indicators_chart",
            "dashboard.prefectures_chart",
            "enterprise.home",
            "enterprise.register_partnership",
            "enterprise.submit_partnership",
            "findings.index",
            "groups.index",
            "groups.new",
            "organisations.index",
            "organisations.new",
            "placements.index",
            "placements.new",
            "policies.index",
            "policies.new",
            "policies.requirements",
            "returns.index",
            "returns.deadlines",
            "returns.new",
            "school.inbox",
            "school.agreements",
            "school.propose",
            "schools.index",
            "schools.new",
            "enterprises.index",
            "enterprises.new",
            "students.index",
            "students.new",
            "teachers.index",
            "teachers.new",
        ]
    },
    **{
        f"accounts.{name}": Route("account")
        for name in (
            "show",
            "approve",
            "approve_registration",
            "send_back",
            "decline",
            "deactivate",
            "reactivate",
            "reset_link",
        )
    },
    "accounts.grant_role": Route("account"),
    **{
        f"agreements.{name}": Route("agreement")
        for name in (
            "show",
            "act",
            "countersign",
            "decline",
            "withdraw",
            "accept_amendment",
            "decline_amendment",
            "withdraw_amendment",
        )
    },
    **{
        f"{blueprint}.{name}": Route(kind)
        for blueprint, kind in (
            ("enterprises", "enterprise"),
            ("schools", "school"),
            ("organisations", "organisation"),
            ("groups", "group"),
            ("placements", "placement"),
            ("policies", "policy"),
            ("students", "student"),
            ("teachers", "teacher"),
        )
        for name in ("show", "act")
    },
    "replay.index": PAGE,
    # a replay's result, named by an id no demo record has: an auditor is answered 404
    "replay.show": Route(fill={"record_id": "00000000-0000-4000-8000-000000000000"}),
    "students.reveal": Route("student", reads=True),
    "returns.show": Route("return"),
    "returns.correct": Route("return"),
}

# roles that read every record of a kind by design (docs/web.md, "Pages")
SHARED: dict[str, tuple[Role, ...]] = {"group": (Role.SCHOOL_USER,)}
EVERYTHING = (Role.PROVINCE_ADMIN, Role.AUDITOR)
READ_ONLY = (Role.AUDITOR, Role.PREFECTURE_OFFICER)
# party roles whose lists must never name a party theirs has no record with
PARTY_ROLES = (Role.SCHOOL_USER, Role.ENTERPRISE_USER, Role.GROUP_SECRETARIAT)


def methods(rule: Rule) -> set[str]:
    return set(rule.methods or ()) - {"HEAD", "OPTIONS"}


def rules(app: Flask) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


def unclassified(app: Flask) -> list[str]:
    """Routes the matrix cannot fill: an endpoint without an entry, or a URL parameter that
    neither a record of its kind nor a fixed value supplies."""
    problems = []
    for rule in rules(app):
        route = ROUTES.get(rule.endpoint)
        if route is None:
            problems.append(f"{rule.endpoint} ({rule.rule}) has no entry in ROUTES")
            continue
        for argument in sorted(rule.arguments - set(route.fill)):
            if argument == "name":
                if commands_behind(app, rule.endpoint) is None:
                    problems.append(f"{rule.endpoint}: no declared actions behind <name>")
            elif route.kind is None:
                problems.append(f"{rule.endpoint}: nothing fills <{argument}>")
    return problems


def _inner(app: Flask, endpoint: str) -> Any:
    view = app.view_functions[endpoint]
    return getattr(view, "__wrapped__", view)


def commands_behind(app: Flask, endpoint: str) -> dict[str, Action] | None:
    """The actions a generic ``<name>`` rule dispatches to, where they are declared."""
    inner = _inner(app, endpoint)
    owner = getattr(inner, "__self__", None)
    if isinstance(owner, RecordPage):
        return dict(owner.by_name)
    found = getattr(sys.modules[inner.__module__], "BY_NAME", None)
    if isinstance(found, dict) and all(isinstance(a, Action) for a in found.values()):
        return dict(found)
    return None


def creation_of(app: Flask, endpoint: str) -> Creation | None:
    owner = getattr(_inner(app, endpoint), "__self__", None)
    return owner if isinstance(owner, Creation) else None


def path_for(rule: Rule, record: Record | None, name: str | None = None) -> str:
    """The rule's path for ``record`` (and a command name behind a generic rule)."""
    route = ROUTES[rule.endpoint]
    values: dict[str, Any] = dict(route.fill)
    if name is not None:
        values["name"] = name
    missing = [a for a in rule.arguments if a not in values]
    if missing:
        assert record is not None, f"{rule.endpoint} needs a record"
        if len(missing) == 1 and "id" in record.params:
            values[missing[0]] = record.params["id"]
        else:
            values.update({a: record.params[a] for a in missing})
    built = rule.build(values, append_unknown=False)
    assert built is not None
    return built[1]


def requests(app: Flask, method: str) -> Iterator[tuple[Rule, str | None]]:
    """Every rule answering ``method``, once per command behind a generic rule."""
    for rule in rules(app):
        if method not in methods(rule):
            continue
        if "name" in rule.arguments and "name" not in ROUTES[rule.endpoint].fill:
            for name in sorted(commands_behind(app, rule.endpoint) or {}):
                yield rule, name
        else:
            yield rule, None


def may_read(account: Account_ | None, record: Record) -> bool:
    """Whether the demo's rules let ``account`` see ``record`` at all (the page may still
    refuse it, e.g. for a role that has no such pages)."""
    if account is None:
        return False
    if account.role in EVERYTHING or account.role in SHARED.get(record.kind, ()):
        return True
    if account.role is Role.PREFECTURE_OFFICER:
        return account.prefecture in record.prefectures
    return account.party is not None and account.party in record.parties


def may_write(account: Account_ | None, record: Record) -> bool:
    """Whether ``account`` may change ``record`` at all: the administrator, or a party of it."""
    if account is None or account.role in READ_ONLY:
        return False
    if account.role is Role.PROVINCE_ADMIN:
        return True
    return account.party is not None and account.party in record.parties
