"""Auditors' pages: the audit trail by record, actor, party and time range, and the log of
who read students' personal data (docs/domain.md#roles:
auditors read every record as recorded by any past day)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import NamedTuple
from uuid import UUID

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlite_utils import Database

from domain.errors import DomainError
from domain.uscc import party_id_for, validate_uscc
from projections import accounts, audit
from projections.engine import Page
from web import labels, trail
from web.access import READERS
from web.auth import registry, requires, user
from web.labels import label
from web.moments import LATEST_POSITION, asked_day
from web.paging import PAGE_SIZE, offset, page_number
from web.reads import read

bp = Blueprint("audit", __name__, url_prefix="/audit")


class Typed(NamedTuple):
    """What a filter's text named: the ids (None: no filter) or why it names nothing."""

    ids: list[str] | None
    refusal: str


def _record_id(value: str | None) -> str | None:
    try:
        return str(UUID((value or "").strip())) if value and value.strip() else None
    except ValueError:
        return None


SHORT_ID = re.compile(r"[0-9a-f]{8}(-[0-9a-f-]{0,27})?")


def _no_record(typed: str) -> str:
    return str(
        gettext(
            "No record matches “%(typed)s”. Type a record's id (its first 8 characters, as"
            " the trail shows them, are enough), its name or title, or a party's USCC.",
            typed=typed,
        )
    )


def records_typed(db: Database, typed: str | None, kind: str | None = None) -> Typed:
    """The records a filter's text names, in any form a page shows them: a whole id, its
    first 8 characters or more, a party's USCC, a name or title; or why it names none.
    ``kind``: only records of that kind (the aggregate's class name)."""
    value = " ".join((typed or "").split())[:100]
    if not value:
        return Typed(None, "")
    found: list[str] = []
    whole = _record_id(value)
    if whole is not None:
        found = [whole]
    elif SHORT_ID.fullmatch(value.lower()):
        found = audit.records_starting(db, value.lower())
    else:
        try:
            found = [str(party_id_for(validate_uscc(value.replace(" ", ""))))]
        except DomainError:
            found = audit.records_named(db, value)
    known = audit.records(db, found)
    found = [i for i in found if i in known and (kind is None or known[i]["type"] == kind)]
    return Typed(found, "" if found else _no_record(value))


def actors_typed(db: Database, typed: str | None) -> Typed:
    """The actors a filter's text names: a username or an account holder's name."""
    value = " ".join((typed or "").split())[:64]
    if not value:
        return Typed(None, "")
    found = accounts.usernames_named(db, value) or ([value] if audit.has_acted(db, value) else [])
    for what in labels.SYSTEM_ACTORS:
        named = label(labels.SYSTEM_ACTORS, what)
        if value == named:  # the registry's own actor, as the trail names it
            found = audit.actors_starting(db, f"system:{what}")
        elif value.startswith(f"{named}（") and value.endswith("）"):
            found = [f"system:{what}:{value[len(named) + 1 : -1]}"]
    refusal = gettext(
        "No one called “%(typed)s” has recorded anything. Type a username or an account"
        " holder's name as the trail shows it.",
        typed=value,
    )
    return Typed(found, "" if found else refusal)


# the columns the trail sorts by: the order each header asks for
SORTS = tuple(audit.ORDERS)


@bp.get("/")
@requires(*READERS[bp.name])
def index() -> ResponseReturnValue:
    args = request.args
    (since, since_refused), (until, until_refused) = (
        asked_day(args.get("since")),
        asked_day(args.get("until")),
    )
    order = str(args.get("sort")) if args.get("sort") in SORTS else "newest"
    number = page_number(args.get("page"))
    with read() as db:
        record, actor = records_typed(db, args.get("record")), actors_typed(db, args.get("actor"))
        party = records_typed(db, args.get("party"))
        refused = {
            "record": record.refusal,
            "actor": actor.refusal,
            "party": party.refusal,
            "since": since_refused,
            "until": until_refused,
        }
        found = Page([], 0, PAGE_SIZE, offset(number))
        if not any(refused.values()):
            found = audit.audit_trail(
                db,
                aggregate_id=record.ids,
                actor=actor.ids,
                party=party.ids,
                since=since,
                before=until + timedelta(days=1) if until else None,
                order=order,
                limit=PAGE_SIZE,
                offset=offset(number),
            )
        names = accounts.display_names(db, {row["actor"] for row in found.items})
        entries = trail.described(db, found.items, trail_links=True)
    typed = {k: " ".join(args.get(k, "").split()) for k in ("record", "actor", "party")}
    shown: dict[str, str] = {
        **typed,
        "since": since.isoformat() if since else "",
        "until": until.isoformat() if until else "",
    }
    kept = {k: v for k, v in shown.items() if v}
    return render_template(
        "audit/index.html",
        page=found,
        entries=entries,
        names=names,
        typed={**shown, "since": args.get("since", ""), "until": args.get("until", "")},
        refused=refused,
        args={**kept, "sort": order},
        sort_args=kept,
        order=order,
    )


def _one(found: Typed, typed: str | None) -> Typed:
    """The access log filters by one student and one reader: several matches are refused."""
    if found.ids is not None and len(found.ids) > 1:
        return Typed(
            None,
            gettext(
                "Several records match “%(typed)s”. Type more of the id, or the whole of it.",
                typed=" ".join((typed or "").split()),
            ),
        )
    return found


@bp.get("/access-log")
@requires(*READERS[bp.name])
def access_log() -> ResponseReturnValue:
    args = request.args
    with read() as db:
        student = _one(records_typed(db, args.get("student"), kind="Student"), args.get("student"))
        reader = _one(actors_typed(db, args.get("reader")), args.get("reader"))
    try:
        after = min(max(0, int(args.get("after") or 0)), LATEST_POSITION)
    except ValueError:
        after = 0
    refused = {"student": student.refusal, "reader": reader.refusal}
    entries = []
    if not any(refused.values()):
        entries = registry().access_log_entries(
            actor=user().actor,
            student_id=UUID(student.ids[0]) if student.ids else None,
            reader=reader.ids[0] if reader.ids else None,
            after=after,
            limit=PAGE_SIZE + 1,
        )
    more = len(entries) > PAGE_SIZE
    entries = entries[:PAGE_SIZE]
    typed = {k: " ".join(args.get(k, "").split()) for k in ("student", "reader")}
    return render_template(
        "audit/access_log.html",
        entries=entries,
        typed=typed,
        refused=refused,
        next_args={**{k: v for k, v in typed.items() if v}, "after": entries[-1].position}
        if more
        else None,
    )
