"""Industry parks 产业园区 and associations 行业协会, the parties groups admit besides
schools and enterprises (§四(五)2): the list, registering one, its page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from domain.prefectures import PREFECTURES
from projections import accounts, audit, groups
from web import labels
from web.access import ADMIN, READERS, may_see_party
from web.actions import Creation, RecordPage, correction
from web.auth import actor, registry, requires, user
from web.lists import list_request, render_list
from web.reads import answer, read
from web.schemas.parties import OrganisationCorrectionSchema, OrganisationSchema

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.get("/")
@requires(*READERS[bp.name])
def index() -> ResponseReturnValue:
    asked = list_request({"kind": labels.ORGANISATION_KINDS, "prefecture": PREFECTURES})
    prefecture = user().prefecture or asked.filters["prefecture"]
    with read(asked.moment) as db:
        found = answer(
            groups.list_organisations,
            db,
            kind=asked.filters["kind"],
            prefecture=prefecture,
            limit=asked.limit,
            offset=asked.offset,
        )
    return render_list(
        "organisations/index.html",
        asked,
        page=found,
    )


def load(record_id: UUID) -> dict[str, Any] | None:
    with read() as db:
        found = groups.organisation(db, str(record_id))
    if found is None or not may_see_party(user(), found):
        return None
    return found


def context(organisation: dict[str, Any]) -> dict[str, Any]:
    with read() as db:
        history = audit.audit_trail(db, aggregate_id=organisation["id"], limit=500).items
        names = accounts.display_names(db, {row["actor"] for row in history})
    return {"history": history, "names": names}


ACTIONS = [
    correction(
        OrganisationCorrectionSchema,
        "correct_organisation",
        _l("The correction is recorded; the original registration stays in the history."),
        roles=ADMIN,
    )
]

page = RecordPage("organisations/show.html", load, ACTIONS, context, roles=READERS[bp.name])
page.register(bp)

Creation(
    "/new",
    "new",
    _l("Register an industry park or association"),
    OrganisationSchema,
    lambda d: registry().register_organisation(**d, actor=actor()),
    _l("It is registered; training groups can now admit it."),
    "organisations.show",
    ADMIN,
).register(bp)
