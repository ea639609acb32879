"""The menu each role sees: its start page first, then the pages its work needs."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l

from domain.actors import Role
from web.access import MENUS
from web.i18n import translated as label

ENTRIES: dict[str, Any] = {
    "dashboard.index": _l("Dashboard"),
    "enterprise.home": _l("Our partnerships"),
    "enterprise.register_partnership": _l("Register a partnership"),
    "school.inbox": _l("Inbox"),
    "school.agreements": _l("Our agreements"),
    "agreements.index": _l("Agreements"),
    "schools.index": _l("Schools"),
    "enterprises.index": _l("Enterprises"),
    "organisations.index": _l("Parks and associations"),
    "groups.index": _l("Training groups"),
    "students.index": _l("Students"),
    "placements.index": _l("Placements"),
    "policies.index": _l("Insurance"),
    "teachers.index": _l("Teachers' practice"),
    "returns.index": _l("Annual returns"),
    "findings.index": _l("Findings"),
    "audit.index": _l("Audit trail"),
    "audit.access_log": _l("Personal data reads"),
    "ledger.index": _l("Proof of the log"),
    "replay.index": _l("Replay and compare"),
    "accounts.index": _l("Accounts"),
    "returns.deadlines": _l("Return deadlines"),
    "policies.requirements": _l("Required cover"),
}


def menu(role: Role) -> list[tuple[str, str, bool]]:
    """(address, name, current) for the role's menu, leaving out pages not served. One entry
    at most is current: the page itself, else the first entry of the page's blueprint (a
    record's page under its list)."""
    served = current_app.view_functions
    entries = [endpoint for endpoint in MENUS.get(role, ()) if endpoint in served]
    here = current_entry(request.endpoint or "", entries)
    return [
        (_address(endpoint), label(ENTRIES[endpoint]), endpoint == here) for endpoint in entries
    ]


def current_entry(endpoint: str, entries: list[str]) -> str | None:
    if endpoint in entries:
        return endpoint
    blueprint = endpoint.rpartition(".")[0]
    return next((e for e in entries if e.rpartition(".")[0] == blueprint), None)


def _address(endpoint: str) -> str:
    key = (id(current_app), request.script_root, endpoint)
    found = _ADDRESSES.get(key)
    if found is None:
        found = _ADDRESSES[key] = url_for(endpoint)
    return found


_ADDRESSES: dict[tuple[int, str, str], str] = {}
