"""An enterprise's own pages: its partnerships, the placements it hosts and its open
findings on its home page, and registering a new partnership with a school."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from domain.errors import DomainError
from domain.prefectures import PREFECTURES
from projections import agreement_queries, enterprises, finding_queries, placements, schools
from projections.engine import MAX_LIMIT, Page
from registry.errors import NotFound
from web.access import READERS
from web.agreement_lists import agreement_list
from web.auth import actor, registry, requires, user
from web.finding_rows import shown
from web.forms import Form, submitted
from web.lists import choice, nothing_refused
from web.paging import offset, page_number
from web.reading_order import prefecture_then_name
from web.reads import answer, names_of, read
from web.schemas.agreements import PartnershipSchema, mode_options

bp = Blueprint("enterprise", __name__, url_prefix="/enterprise")

PARTNERSHIP_FIELDS = (
    "school",
    "title",
    "modes",
    "starts_on",
    "ends_on",
    "majors",
    "planned_investment",
)
SCHOOLS_PER_PAGE = 12
ON_HOME = 10


def _enterprise() -> dict[str, Any]:
    with read() as db:
        found = enterprises.enterprise(db, str(user().party_id))
    if found is None:
        abort(404)
    return found


@bp.get("/")
@requires(*READERS[bp.name])
def home() -> ResponseReturnValue:
    party = str(user().party_id)
    with read() as db:
        awaiting_us = agreement_queries.list_agreements(
            db, party=party, awaiting="enterprise", newest_first=True, limit=50
        )
        hosted = answer(placements.list_placements, db, enterprise_id=party, limit=ON_HOME)
        found = answer(finding_queries.findings, db, enterprise=party, state="open", limit=ON_HOME)
        names = names_of(
            db,
            [
                p
                for row in [*hosted.items, *found.items]
                for p in (row.get("school_id"), row.get("enterprise_id"))
            ],
        )
    return agreement_list(
        "enterprise/home.html",
        "enterprise.home",
        enterprise=_enterprise(),
        awaiting_us=awaiting_us,
        placements=hosted,
        findings=found,
        finding_rows=[shown(row, names) for row in found.items],
        names=names,
    )


def _school_picker(args: Any) -> dict[str, Any]:
    """Schools by prefecture and part of the name, for choosing the partner, listed by
    prefecture in the province's order, then by name as people read them (pinyin): SQL
    orders Chinese by code point, so the schools that match (a province has a few hundred,
    ``MAX_LIMIT`` at most) are ordered here and paged."""
    prefecture = choice(args.get("prefecture"), PREFECTURES, "prefecture")
    name = (args.get("q") or "").strip()[:50] or None
    number = page_number(args.get("page"))
    with read() as db:
        found = schools.list_schools(
            db, prefecture=prefecture, name=name, withdrawn=False, limit=MAX_LIMIT
        )
    ordered = sorted(found.items, key=lambda s: prefecture_then_name(s["prefecture"], s["name"]))
    start = offset(number, SCHOOLS_PER_PAGE)
    shown = ordered[start : start + SCHOOLS_PER_PAGE] if nothing_refused() else []
    return {
        "schools": Page(shown, len(ordered), SCHOOLS_PER_PAGE, start),
        "picker": {"prefecture": prefecture or "", "q": name or ""},
        "picker_args": {k: v for k, v in (("prefecture", prefecture), ("q", name)) if v},
    }


def _chosen_school(school_id: str | None) -> dict[str, Any] | None:
    if not school_id:
        return None
    try:
        UUID(school_id)
    except ValueError:
        return None
    with read() as db:
        found = schools.school(db, school_id)
    if found is None or found.get("withdrawn_on"):
        return None
    found["open_majors"] = [m["name"] for m in found["majors"] if m["closed_year"] is None]
    return found


def _partnership_page(form: Form, school_id: str | None, status: int = 200) -> ResponseReturnValue:
    school = _chosen_school(school_id)
    context = _school_picker(request.args) if school is None else {}
    return (
        render_template(
            "enterprise/register.html",
            form=form,
            school=school,
            enterprise=_enterprise(),
            mode_options=mode_options(),
            **context,
        ),
        status,
    )


@bp.get("/partnerships/new")
@requires(*READERS[bp.name])
def register_partnership() -> ResponseReturnValue:
    return _partnership_page(Form(), request.args.get("school"))


def _default_title(school_id: str) -> str:
    school = _chosen_school(school_id)
    return str(
        gettext(
            "%(school)s and %(enterprise)s cooperation agreement",
            school=school["name"] if school else "",
            enterprise=_enterprise()["name"],
        )
    )


@bp.post("/partnerships/new")
@requires(*READERS[bp.name])
def submit_partnership() -> ResponseReturnValue:
    form, data = submitted(PartnershipSchema())
    school_id = request.form.get("school")
    if data is not None:
        title = data.get("title") or _default_title(str(data["school"]))
        try:
            agreement_id = registry().propose_agreement(
                school_id=data["school"],
                enterprise_id=user().party_id,  # type: ignore[arg-type]
                title=title,
                modes=data["modes"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                majors=data.get("majors", []),
                planned_investment=data.get("planned_investment"),
                actor=actor(),
            )
        except NotFound:
            form.add("school", gettext("Choose the school again: it is not in the registry."))
        except DomainError as refused:
            form.refuse(refused, PARTNERSHIP_FIELDS)
    if not form.ok:
        return _partnership_page(form, school_id, status=422)
    flash(
        gettext("The partnership is registered. The school has been asked to countersign it."),
        "ok",
    )
    return redirect(url_for("agreements.show", agreement_id=agreement_id))
