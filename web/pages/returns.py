"""Annual statistics returns 年度统计报表 (专栏1 items 3–7): each school files its figures
once a year and corrects them with a reason; the province sets each year's deadline, and a
return recorded after it is marked late. "As filed" is as recorded by the deadline."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from domain.actors import Role
from domain.annual_return import FIGURES
from domain.prefectures import PREFECTURES
from projections import accounts, audit, returns
from web.access import READERS, RETURN_CORRECTORS, school_scope
from web.actions import Action, Creation, attempt, perform
from web.auth import actor, registry, requires, user
from web.forms import Form, specs
from web.lists import list_request, render_list
from web.reads import answer, read
from web.schemas.teachers import (
    DeadlineSchema,
    MoveDeadlineSchema,
    ReturnCorrectionSchema,
    ReturnSchema,
)

bp = Blueprint("returns", __name__, url_prefix="/returns")

YEARS = [str(year) for year in range(2000, 2101)]
FLAGS = {"yes": True, "no": False}


@bp.get("/")
@requires(*READERS[bp.name])
def index() -> ResponseReturnValue:
    asked = list_request(
        {"year": YEARS, "late": FLAGS, "corrected": FLAGS, "prefecture": PREFECTURES}
    )
    limits = school_scope(user())
    year = asked.filters["year"]
    with read(asked.moment) as db:
        found = answer(
            returns.list_returns,
            db,
            year=int(year) if year else None,
            school_id=limits.get("school_id"),
            prefecture=limits.get("prefecture") or asked.filters["prefecture"],
            late=FLAGS.get(asked.filters["late"] or ""),
            corrected=FLAGS.get(asked.filters["corrected"] or ""),
            limit=asked.limit,
            offset=asked.offset,
        )
        deadlines = answer(returns.return_deadlines, db)
    return render_list(
        "returns/index.html",
        asked,
        page=found,
        deadlines=deadlines,
        scope=limits,
        may_correct=user().role in RETURN_CORRECTORS and not asked.moment.chosen,
    )


def _return(school_id: UUID, year: int) -> dict[str, Any]:
    with read() as db:
        found = returns.annual_return(db, str(school_id), year)
    signed_in = user()
    if found is None:
        abort(404)
    if signed_in.role is Role.SCHOOL_USER and found["school_id"] != str(signed_in.party_id):
        abort(404)
    if signed_in.role is Role.PREFECTURE_OFFICER and found["prefecture"] != signed_in.prefecture:
        abort(404)
    return found


def render_return(
    school_id: UUID, year: int, form: Form | None = None, status: int = 200
) -> ResponseReturnValue:
    found = _return(school_id, year)
    with read() as db:
        history = audit.audit_trail(db, aggregate_id=found["id"], limit=200).items
        names = accounts.display_names(db, {row["actor"] for row in history})
    signed_in = user()
    may_correct = signed_in.role is Role.PROVINCE_ADMIN or (
        signed_in.role is Role.SCHOOL_USER and found["school_id"] == str(signed_in.party_id)
    )
    return (
        render_template(
            "returns/show.html",
            record=found,
            figures=FIGURES,
            history=history,
            names=names,
            may_correct=may_correct,
            correcting="correct" in request.args,
            form=form or Form(values={name: found[name] for name in FIGURES}),
            specs=specs(ReturnCorrectionSchema()),
            version=registry().version_of(UUID(found["id"])),
        ),
        status,
    )


@bp.get("/<uuid:school_id>/<int:year>")
@requires(*READERS[bp.name])
def show(school_id: UUID, year: int) -> ResponseReturnValue:
    return render_return(school_id, year)


def _correction(school_id: UUID, year: int) -> Action:
    return Action(
        "correct",
        _l("Correct the figures"),
        ReturnCorrectionSchema,
        lambda _return_id, d: registry().correct_annual_return(
            school_id=school_id,
            year=year,
            figures={name: d[name] for name in FIGURES},
            reason=d["reason"],
            actor=actor(),
        ),
        _l("The correction is recorded; the filed figures stay on record."),
        roles=RETURN_CORRECTORS,
    )


@bp.post("/<uuid:school_id>/<int:year>/correct")
@requires(*RETURN_CORRECTORS)
def correct(school_id: UUID, year: int) -> ResponseReturnValue:
    found = _return(school_id, year)
    return perform(
        _correction(school_id, year),
        UUID(found["id"]),
        lambda forms, status: render_return(school_id, year, forms["correct"], status),
        url_for("returns.show", school_id=school_id, year=year),
    )


def _file(data: dict[str, Any]) -> UUID:
    return registry().file_annual_return(
        school_id=user().party_id,  # type: ignore[arg-type]
        year=data["year"],
        figures={name: data[name] for name in FIGURES},
        actor=actor(),
    )


def filed_years() -> dict[str, Any]:
    """The years the signed-in school has filed, each offered for a correction instead."""
    school_id = user().party_id
    with read() as db:
        found = returns.list_returns(db, school_id=str(school_id), limit=200)
    return {"school_id": school_id, "filed": [row["year"] for row in found.items]}


Creation(
    "/new",
    "new",
    _l("File the annual statistics return"),
    ReturnSchema,
    _file,
    _l("The return is filed."),
    "returns.show",
    (Role.SCHOOL_USER,),
    intro=_l(
        "Once a year, after the year is over. A filed return is corrected with a "
        "reason; both sets of figures stay on record."
    ),
    button=_l("File the return"),
    template="returns/new.html",
    context=lambda: filed_years(),
    shows=lambda form, _filed: {"school_id": user().party_id, "year": int(form.value("year"))},
).register(bp)


@bp.route("/deadlines", methods=["GET", "POST"])
@requires(*READERS[bp.name])
def deadlines() -> ResponseReturnValue:
    forms: dict[str, Form] = {}
    status = 200
    if request.method == "POST":
        if user().role is not Role.PROVINCE_ADMIN:
            abort(403)
        name = request.form.get("step", "")
        if name not in ("set", "move"):
            abort(400)
        form, _done, status = attempt(
            DeadlineSchema() if name == "set" else MoveDeadlineSchema(),
            lambda d: (
                registry().set_return_deadline(**d, actor=actor())
                if name == "set"
                else registry().move_return_deadline(**d, actor=actor())
            ),
        )
        if form.ok:
            flash(gettext("The deadline is recorded."), "ok")
            return redirect(url_for("returns.deadlines"))
        forms[name] = form
    with read() as db:
        found = returns.return_deadlines(db)
    return (
        render_template(
            "returns/deadlines.html",
            deadlines=found,
            forms=forms,
            empty_form=Form(),
            set_specs=specs(DeadlineSchema()),
            move_specs=specs(MoveDeadlineSchema()),
        ),
        status,
    )
