"""Every form of the web application, each with an account allowed to use it and plausible
answers to start from: the same enumeration of the URL map as the isolation matrix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask

from tests.security.conftest import signed_in
from tests.security.demo_store import Demo, Record
from tests.security.filling import GENERIC, page_forms, plausible, version_of
from tests.security.routes import (
    ROUTES,
    commands_behind,
    creation_of,
    may_write,
    path_for,
    requests,
    rules,
)

USERS = ("school", "enterprise", "secretariat", "admin", "auditor", None)


@dataclass(frozen=True)
class FormCase:
    endpoint: str
    name: str | None
    path: str
    username: str | None
    answers: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.endpoint}{':' + self.name if self.name else ''} as {self.username}"


def _own(demo: Demo, kind: str, username: str | None) -> Record | None:
    account = demo.accounts.get(username) if username else None
    records = sorted(demo.records[kind], key=lambda r: r.key)
    return next((r for r in records if may_write(account, r)), None)


def _rendered(
    app: Flask, clients: dict[str | None, Any], endpoint: str, path: str, record: Record | None
) -> Any:
    """The first user (nobody first, then ``USERS``' order) whose page shows a form posting
    to ``path``, with that form's fields."""
    shown_on = path
    if record is not None:
        show = next(r for r in rules(app) if r.endpoint == endpoint.split(".")[0] + ".show")
        shown_on = path_for(show, record)
    for username in (None, *USERS[:-1]):
        if username not in clients:
            clients[username] = signed_in(app, username)
        page = clients[username].get(shown_on)
        for action, found in page_forms(page.get_data(as_text=True)):
            if action == path:
                return username, {n: v or "测试内容" for n, kind, v in found if n != "csrf_token"}
    return None, None


def form_cases(app: Flask, demo: Demo) -> list[FormCase]:
    cases, clients = [], {}
    for rule, name in requests(app, "POST"):
        route = ROUTES[rule.endpoint]
        declared = (commands_behind(app, rule.endpoint) or {}).get(name) if name else None
        creation = creation_of(app, rule.endpoint)
        roles = declared.roles if declared else creation.roles if creation else None
        chosen: tuple[str | None, Record | None] | None = None
        for username in USERS:
            account = demo.accounts.get(username) if username else None
            if roles is not None and (account is None or account.role not in roles):
                continue
            record = _own(demo, route.kind, username) if route.kind else None
            if route.kind is None or record is not None:
                chosen = (username, record)
                break
        if chosen is None:
            continue
        username, record = chosen
        path = path_for(rule, record, name)
        version = version_of(app, str(record.params.get("id", ""))) if record else 0
        schema = declared.schema() if declared else creation.schema() if creation else None
        if schema is not None:
            answers = plausible(schema, version, {})
        else:
            username, answers = _rendered(app, clients, rule.endpoint, path, record)
            if answers is None:
                username, answers = "admin", {**GENERIC, "version": str(version)}
        cases.append(FormCase(rule.endpoint, name, path, username, answers))
    return cases
