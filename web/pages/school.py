"""A school's own pages: proposals and amendments to answer, and all its agreements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from domain.actors import Role
from domain.uscc import party_id_for
from projections import agreement_queries, enterprises, schools
from web.access import READERS
from web.actions import Creation
from web.agreement_lists import agreement_list
from web.auth import actor, registry, requires, user
from web.reading_order import name_key
from web.reads import read
from web.schemas.agreements import CODE_LIKE, SchoolProposalSchema

bp = Blueprint("school", __name__, url_prefix="/school")

INBOX_SIZE = 100


def _school() -> dict[str, Any]:
    with read() as db:
        found = schools.school(db, str(user().party_id))
    if found is None:
        abort(404)
    return found


# the inbox's columns a reader sorts by: the key of a row for each (newest first by default)
INBOX_SORTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "title": lambda row: name_key(row["title"]),
    "enterprise": lambda row: name_key(row["enterprise_name"] or ""),
    "starts": lambda row: row["starts_on"],
}


@bp.get("/")
@requires(*READERS[bp.name])
def inbox() -> ResponseReturnValue:
    party = str(user().party_id)
    with read() as db:
        awaiting_us = agreement_queries.list_agreements(
            db, party=party, awaiting="school", newest_first=True, limit=INBOX_SIZE
        )
        awaiting_them = agreement_queries.list_agreements(
            db, party=party, awaiting="enterprise", newest_first=True, limit=INBOX_SIZE
        )
    proposals = [row for row in awaiting_us.items if row["status"] == "proposed"]
    amendments = [row for row in awaiting_us.items if row["status"] != "proposed"]
    sort = request.args.get("sort")
    if sort in INBOX_SORTS:
        proposals.sort(key=INBOX_SORTS[sort])
    return render_template(
        "school/inbox.html",
        sort=sort if sort in INBOX_SORTS else "newest",
        school=_school(),
        proposals=proposals,
        amendments=amendments,
        awaiting_them=awaiting_them,
        more=awaiting_us.has_more,
    )


@bp.get("/agreements")
@requires(*READERS[bp.name])
def agreements() -> ResponseReturnValue:
    return agreement_list("school/agreements.html", "school.agreements", school=_school())


def _named_enterprise(named: str) -> dict[str, Any]:
    """The enterprise a school named by its code or its name; else a sentence beside the
    field saying what is registered under that name, or that the code is not registered and
    how an enterprise gets registered."""
    with read() as db:
        if CODE_LIKE.fullmatch(named):
            found = enterprises.enterprise(db, str(party_id_for(named)))
            if found is None:
                raise ValidationError(
                    gettext(
                        "No enterprise with the code %(code)s is registered. Check the code "
                        "on its business licence. If it is right, the enterprise is not in "
                        "the registry yet: it can ask for an account on the sign-in page "
                        "(“Ask for an account”), or the province administrator registers "
                        "it; then propose again.",
                        code=named,
                    ),
                    "enterprise",
                )
            return found
        matches = enterprises.find_enterprises(db, named)
    if len(matches) == 1 and matches[0]["name"] == named:
        return matches[0]
    if matches:
        raise ValidationError(
            gettext(
                "These registered enterprises have %(named)s in their names: %(matches)s. "
                "Type the full name or the code of the one you mean.",
                named=named,
                matches="；".join(f"{m['name']}（{m['uscc']}）" for m in matches),
            ),
            "enterprise",
        )
    raise ValidationError(
        gettext(
            "No registered enterprise has %(named)s in its name. Check the name on its "
            "business licence, or type its code. An enterprise not in the registry yet can "
            "ask for an account on the sign-in page (“Ask for an account”), or the province "
            "administrator registers it.",
            named=named,
        ),
        "enterprise",
    )


def _propose(data: dict[str, Any]) -> UUID:
    enterprise = _named_enterprise(data["enterprise"])
    enterprise_id = UUID(enterprise["id"])
    title = data.get("title") or gettext(
        "%(school)s and %(enterprise)s cooperation agreement",
        school=_school()["name"],
        enterprise=enterprise["name"],
    )
    return registry().propose_agreement(
        school_id=user().party_id,  # type: ignore[arg-type]
        enterprise_id=enterprise_id,
        title=title,
        modes=data["modes"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        majors=data.get("majors", []),
        actor=actor(),
    )


def _proposal_choices() -> dict[str, Any]:
    majors = [m["name"] for m in _school()["majors"] if m["closed_year"] is None]
    return {"choices": {"majors": [(m, m, "") for m in majors]}}


Creation(
    "/partnerships/new",
    "propose",
    _l("Propose an agreement to an enterprise"),
    SchoolProposalSchema,
    _propose,
    _l("The agreement is proposed. The enterprise has been asked to countersign it."),
    "agreements.show",
    (Role.SCHOOL_USER,),
    intro=_l(
        "Name the enterprise by its registered name or its code; it then countersigns or "
        "declines the proposal."
    ),
    context=_proposal_choices,
    missing="enterprise",
    created_param="agreement_id",
).register(bp)
