"""Accounts as they stand now: who holds which role, bound to what, and requests to answer.

Table ``accounts``: one row per account (username, name, role, the party or prefecture it is
bound to, status, what an enterprise's request said — with the enterprise's registration
facts when it asked to be registered, and why a request was sent back — and when it was
requested and last changed). No secret is ever here: passwords and reset links live in the
credential store.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from sqlite_utils import Database

from domain.account import Account, AccountStatus
from projections.engine import (
    Page,
    Recorded,
    Rows,
    View,
    Where,
    as_stood,
    json_text,
    page,
    source,
    topic,
)

view = View("accounts", version=2)


@view.migrations()
def m001_accounts(db: Database) -> None:
    db.table("accounts").create(
        {
            "id": str,
            "username": str,
            "display_name": str,
            "role": str,
            "party_id": str,
            "prefecture": str,
            "status": str,
            "organisation": str,
            "enterprise_uscc": str,
            "contact": str,
            "requested_at": str,
            "changed_at": str,
        },
        pk="id",
    )
    for columns in (["username"], ["status", "requested_at"], ["role"], ["party_id"]):
        db.table("accounts").create_index(columns)


@view.migrations()
def m002_requests_register(db: Database) -> None:
    db.table("accounts").add_column("registration", str)
    db.table("accounts").add_column("sent_back_because", str)
    db.table("accounts").create_index(["enterprise_uscc"])


def _registration(event: Recorded) -> str | None:
    facts = event.get("registration")
    return json_text(facts) if facts else None


@view.handles(topic(Account, "Requested"))
def requested(event: Recorded, rows: Rows) -> None:
    rows.put(
        "accounts",
        {
            "id": event.aggregate_id,
            "username": event["username"],
            "display_name": event["display_name"],
            "role": event["role"],
            "party_id": None,
            "prefecture": None,
            "status": AccountStatus.REQUESTED,
            "organisation": event["organisation"],
            "enterprise_uscc": event["enterprise_uscc"],
            "contact": event["contact"],
            "registration": _registration(event),
            "sent_back_because": None,
            "requested_at": event.timestamp,
            "changed_at": event.timestamp,
        },
    )


@view.handles(topic(Account, "SentBack"))
def sent_back(event: Recorded, rows: Rows) -> None:
    rows.put(
        "accounts",
        {
            "id": event.aggregate_id,
            "status": AccountStatus.SENT_BACK,
            "sent_back_because": event["reason"],
            "changed_at": event.timestamp,
        },
    )


@view.handles(topic(Account, "RequestAmended"))
def amended(event: Recorded, rows: Rows) -> None:
    rows.put(
        "accounts",
        {
            "id": event.aggregate_id,
            "display_name": event["display_name"],
            "organisation": event["organisation"],
            "enterprise_uscc": event["enterprise_uscc"],
            "contact": event["contact"],
            "registration": _registration(event),
            "status": AccountStatus.REQUESTED,
            "changed_at": event.timestamp,
        },
    )


@view.handles(topic(Account, "Approved"), topic(Account, "RoleGranted"))
def bound(event: Recorded, rows: Rows) -> None:
    changes = {
        "id": event.aggregate_id,
        "role": event["role"],
        "party_id": event["party_id"],
        "prefecture": event["prefecture"],
        "changed_at": event.timestamp,
    }
    if event.event_name == "Approved":
        changes["status"] = AccountStatus.ACTIVE
    rows.put("accounts", changes)


STATUS_AFTER = {
    "Declined": AccountStatus.DECLINED,
    "Deactivated": AccountStatus.DEACTIVATED,
    "Reactivated": AccountStatus.ACTIVE,
}


@view.handles(*(topic(Account, name) for name in STATUS_AFTER))
def status_changed(event: Recorded, rows: Rows) -> None:
    rows.put(
        "accounts",
        {
            "id": event.aggregate_id,
            "status": STATUS_AFTER[event.event_name],
            "changed_at": event.timestamp,
        },
    )


# --- queries --------------------------------------------------------------------------------


def list_accounts(
    db: Database,
    *,
    status: str | None = None,
    role: str | None = None,
    party_id: str | None = None,
    search: str | None = None,
    limit: int = 50,
    offset: int = 0,
    at: int | None = None,
) -> Page:
    """Accounts, requests first (oldest first, the order to answer them), then by username.

    ``search`` matches part of the username or the name; ``at``: as of that position.
    """
    where = Where()
    where.add_if(status, "status = ?")
    where.add_if(role, "role = ?")
    where.add_if(party_id, "party_id = ?")
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.add(
            "(username LIKE ? ESCAPE '\\' OR display_name LIKE ? ESCAPE '\\')", pattern, pattern
        )
    return page(
        db,
        select="*",
        source=source("accounts", at),
        where=where,
        order_by="status != 'requested', CASE WHEN status = 'requested' THEN requested_at END,"
        " username",
        limit=limit,
        offset=offset,
    )


def account(db: Database, account_id: str, at: int | None = None) -> dict[str, Any] | None:
    found = list(db.query(f"SELECT * FROM {source('accounts', at)} WHERE id = ?", [account_id]))
    if not found:
        return None
    row = as_stood(found[0])
    row["registration"] = orjson.loads(row["registration"]) if row.get("registration") else None
    return row


def for_the_same_enterprise(
    db: Database, account_id: str, uscc: str, party_id: str, at: int | None = None
) -> list[dict[str, Any]]:
    """The other accounts and open requests for one enterprise: requests naming the same
    code, and accounts bound to the enterprise registered under it (declined requests aside)."""
    return list(
        db.query(
            f"SELECT * FROM {source('accounts', at)} WHERE id != ? AND status != 'declined'"
            " AND (enterprise_uscc = ? OR party_id = ?) ORDER BY requested_at, username",
            [account_id, uscc, party_id],
        )
    )


def usernames_named(db: Database, typed: str, at: int | None = None) -> list[str]:
    """The usernames of the accounts whose username or name is ``typed`` exactly."""
    rows = db.execute(
        f"SELECT username FROM {source('accounts', at)} WHERE username = ? OR display_name = ?"
        " LIMIT 20",
        [typed, typed],
    )
    return [row[0] for row in rows]


def display_names(db: Database, usernames: Iterable[str], at: int | None = None) -> dict[str, str]:
    """``{username: name}`` for those of ``usernames`` that are accounts (not system actors)."""
    wanted = list(dict.fromkeys(usernames))
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    found = db.query(
        f"SELECT username, display_name FROM {source('accounts', at)} WHERE username IN ({marks})",
        wanted,
    )
    return {row["username"]: row["display_name"] for row in found}
