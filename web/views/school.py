"""A school's own pages: proposals and amendments to answer, and all its agreements."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from domain.actors import Role
from projections import agreement_queries, schools
from web.auth import requires, user
from web.reads import read
from web.views.agreements import agreement_list

bp = Blueprint("school", __name__, url_prefix="/school")

INBOX_SIZE = 100


def _school() -> dict[str, Any]:
    with read() as db:
        found = schools.school(db, str(user().party_id))
    if found is None:
        abort(404)
    return found


@bp.get("/")
@requires(Role.SCHOOL_USER)
def inbox() -> ResponseReturnValue:
    party = str(user().party_id)
    with read() as db:
        awaiting_us = agreement_queries.list_agreements(
            db, party=party, awaiting="school", limit=INBOX_SIZE
        )
        awaiting_them = agreement_queries.list_agreements(
            db, party=party, awaiting="enterprise", limit=INBOX_SIZE
        )
    proposals = [row for row in awaiting_us.items if row["status"] == "proposed"]
    amendments = [row for row in awaiting_us.items if row["status"] != "proposed"]
    return render_template(
        "school/inbox.html",
        school=_school(),
        proposals=proposals,
        amendments=amendments,
        awaiting_them=awaiting_them,
        more=awaiting_us.has_more,
    )


@bp.get("/agreements")
@requires(Role.SCHOOL_USER)
def agreements() -> ResponseReturnValue:
    return agreement_list("school/agreements.html", "school.agreements", school=_school())
