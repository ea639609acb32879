"""Auditors' pages: the audit trail by record, actor, party and time range, and the log of
who read students' personal data (docs/domain.md#roles:
auditors read every record as recorded by any past day)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from domain.errors import DomainError
from domain.uscc import party_id_for, validate_uscc
from projections import accounts, audit
from web.access import READERS
from web.addresses import record_url
from web.auth import registry, requires, user
from web.lists import text
from web.reads import LATEST_POSITION, PAGE_SIZE, asked_day, offset, page_number, read

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _record_id(value: str | None) -> str | None:
    try:
        return str(UUID((value or "").strip())) if value and value.strip() else None
    except ValueError:
        return None


def _party(value: str | None) -> str | None:
    """A party by record id or by its unified social credit code."""
    found = _record_id(value)
    if found or not value:
        return found
    try:
        return str(party_id_for(validate_uscc("".join(value.split()))))
    except DomainError:
        return None


@bp.get("/")
@requires(*READERS[bp.name])
def index() -> ResponseReturnValue:
    args = request.args
    record, actor = _record_id(args.get("record")), text(args.get("actor"), 64)
    party = _party(args.get("party"))
    (since, since_refused), (until, until_refused) = (
        asked_day(args.get("since")),
        asked_day(args.get("until")),
    )
    number = page_number(args.get("page"))
    with read() as db:
        found = audit.audit_trail(
            db,
            aggregate_id=record,
            actor=actor,
            party=party,
            since=since,
            before=until + timedelta(days=1) if until else None,
            limit=PAGE_SIZE,
            offset=offset(number),
        )
        names = accounts.display_names(db, {row["actor"] for row in found.items})
    filters: dict[str, str | date | None] = {
        "record": record,
        "actor": actor,
        "party": party,
        "since": since,
        "until": until,
    }
    shown = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in filters.items()}
    return render_template(
        "audit/index.html",
        page=found,
        names=names,
        filters={k: v or "" for k, v in shown.items()},
        typed={k: args.get(k, "") for k in filters},
        refused={"since": since_refused, "until": until_refused},
        args={k: v for k, v in shown.items() if v},
        record_url=record_url,
    )


@bp.get("/access-log")
@requires(*READERS[bp.name])
def access_log() -> ResponseReturnValue:
    args = request.args
    student = _record_id(args.get("student"))
    reader = text(args.get("reader"), 64)
    try:
        after = min(max(0, int(args.get("after") or 0)), LATEST_POSITION)
    except ValueError:
        after = 0
    entries = registry().access_log_entries(
        actor=user().actor,
        student_id=UUID(student) if student else None,
        reader=reader,
        after=after,
        limit=PAGE_SIZE + 1,
    )
    more = len(entries) > PAGE_SIZE
    entries = entries[:PAGE_SIZE]
    filters: dict[str, Any] = {"student": student or "", "reader": reader or ""}
    return render_template(
        "audit/access_log.html",
        entries=entries,
        filters=filters,
        typed={"student": args.get("student", ""), "reader": args.get("reader", "")},
        next_args={**{k: v for k, v in filters.items() if v}, "after": entries[-1].position}
        if more
        else None,
    )
