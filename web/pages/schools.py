"""Schools 技工院校: the list, registering one, and a school's page with its majors, its
upgrades and withdrawal, corrections, and its history (§三, §四(二)1)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from domain.actors import Role
from domain.prefectures import PREFECTURES
from projections import accounts, agreement_queries, audit, schools
from web import labels
from web.access import ADMIN, READERS, may_see_party, party_scope
from web.actions import Action, Creation, RecordPage, correction
from web.auth import actor, registry, requires, user
from web.lists import list_request, render_list
from web.reads import answer, read
from web.schemas.parties import (
    CloseMajorSchema,
    MajorSchema,
    SchoolCorrectionSchema,
    SchoolSchema,
    UpgradeSchema,
    WithdrawSchema,
)

bp = Blueprint("schools", __name__, url_prefix="/schools")

WITHDRAWN = {"no": False, "yes": True}


@bp.get("/")
@requires(*READERS[bp.name])
def index() -> ResponseReturnValue:
    if user().role is Role.SCHOOL_USER:
        return redirect(url_for("schools.show", record_id=user().party_id))
    asked = list_request(
        {"prefecture": PREFECTURES, "kind": labels.SCHOOL_KINDS, "withdrawn": WITHDRAWN, "q": None}
    )
    wanted = {**asked.filters, **party_scope(user())}
    with read(asked.moment) as db:
        found = answer(
            schools.list_schools,
            db,
            prefecture=wanted["prefecture"],
            kind=wanted["kind"],
            withdrawn=WITHDRAWN.get(wanted["withdrawn"] or ""),
            name=wanted["q"],
            limit=asked.limit,
            offset=asked.offset,
        )
        by_kind = answer(schools.count_schools, db, by="kind", prefecture=wanted["prefecture"])
    return render_list(
        "schools/index.html",
        asked,
        page=found,
        by_kind=by_kind,
        scope=party_scope(user()),
    )


def load(record_id: UUID) -> dict[str, Any] | None:
    with read() as db:
        found = schools.school(db, str(record_id))
    if found is None or not may_see_party(user(), found):
        return None
    return found


def context(school: dict[str, Any]) -> dict[str, Any]:
    with read() as db:
        history = audit.audit_trail(db, aggregate_id=school["id"], limit=500).items
        names = accounts.display_names(db, {row["actor"] for row in history})
        agreements = agreement_queries.count_agreements(db, "status", party=school["id"])
    open_majors = [m["name"] for m in school["majors"] if m["closed_year"] is None]
    return {
        "history": history,
        "names": names,
        "agreements": agreements,
        "choices": {"close_major": {"name": [(m, m, "") for m in open_majors]}},
    }


def _open(_user: Any, school: dict[str, Any]) -> bool:
    return not school.get("withdrawn_on")


def _has_open_majors(_user: Any, school: dict[str, Any]) -> bool:
    return _open(_user, school) and any(m["closed_year"] is None for m in school["majors"])


ACTIONS = [
    Action(
        "open_major",
        _l("Open a major"),
        MajorSchema,
        lambda id_, d: registry().open_major(id_, name=d["name"], year=d["year"], actor=actor()),
        _l("The major is open."),
        roles=(Role.PROVINCE_ADMIN, Role.SCHOOL_USER),
        when=_open,
    ),
    Action(
        "close_major",
        _l("Close a major"),
        CloseMajorSchema,
        lambda id_, d: registry().close_major(id_, name=d["name"], year=d["year"], actor=actor()),
        _l("The major is closed."),
        roles=(Role.PROVINCE_ADMIN, Role.SCHOOL_USER),
        when=_has_open_majors,
    ),
    Action(
        "upgrade",
        _l("Upgrade the school (晋级)"),
        UpgradeSchema,
        lambda id_, d: registry().upgrade_school(
            id_, to_kind=d["to_kind"], on=d.get("on"), actor=actor()
        ),
        _l("The school has been upgraded."),
        roles=ADMIN,
        when=_open,
    ),
    correction(
        SchoolCorrectionSchema,
        "correct_school",
        _l("The correction is recorded; the original registration stays in the history."),
        roles=ADMIN,
    ),
    Action(
        "withdraw",
        _l("Withdraw the school from the registry (退出)"),
        WithdrawSchema,
        lambda id_, d: registry().withdraw_school(
            id_, reason=d["reason"], on=d.get("on"), actor=actor()
        ),
        _l("The school is withdrawn. Its history stays; it enters no new agreements."),
        roles=ADMIN,
        when=_open,
        danger=True,
    ),
]

page = RecordPage("schools/show.html", load, ACTIONS, context, roles=READERS[bp.name])
page.register(bp)

Creation(
    "/new",
    "new",
    _l("Register a school"),
    SchoolSchema,
    lambda d: registry().register_school(**d, actor=actor()),
    _l("The school is registered."),
    "schools.show",
    ADMIN,
    intro=_l("Schools are registered by the province. The code decides the school's record."),
).register(bp)
