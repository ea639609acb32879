"""Enterprises 企业: the list, registering one, and an enterprise's page with its changes,
its certification as 产教融合型企业 (§四(七)2), corrections and its history."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from domain.actors import Role
from domain.prefectures import PREFECTURES
from projections import accounts, agreement_queries, audit, enterprises, investments
from web import labels
from web.access import ADMIN, READERS, may_see_party, party_scope
from web.actions import Action, Creation, RecordPage, correction
from web.auth import actor, registry, requires, user
from web.lists import list_request, render_list
from web.reads import answer, read
from web.schemas.parties import (
    CertifySchema,
    DecertifySchema,
    EnterpriseChangeSchema,
    EnterpriseCorrectionSchema,
    EnterpriseSchema,
    changes,
)

bp = Blueprint("enterprises", __name__, url_prefix="/enterprises")

FLAGS = {"yes": True, "no": False}


@bp.get("/")
@requires(*READERS[bp.name])
def index() -> ResponseReturnValue:
    if user().role is Role.ENTERPRISE_USER:
        return redirect(url_for("enterprises.show", record_id=user().party_id))
    asked = list_request(
        {
            "prefecture": PREFECTURES,
            "ownership": labels.OWNERSHIPS,
            "above_designated_size": FLAGS,
            "certified": ("yes",),
            "industry": None,
        }
    )
    wanted = {**asked.filters, **party_scope(user())}
    with read(asked.moment) as db:
        found = answer(
            enterprises.list_enterprises,
            db,
            prefecture=wanted["prefecture"],
            industry=wanted["industry"],
            ownership=wanted["ownership"],
            above_designated_size=FLAGS.get(wanted["above_designated_size"] or ""),
            certified_on=asked.moment.effective_day if wanted["certified"] else None,
            limit=asked.limit,
            offset=asked.offset,
        )
    return render_list(
        "enterprises/index.html",
        asked,
        page=found,
        scope=party_scope(user()),
    )


def load(record_id: UUID) -> dict[str, Any] | None:
    with read() as db:
        found = enterprises.enterprise(db, str(record_id))
    if found is None or not may_see_party(user(), found):
        return None
    return found


def context(enterprise: dict[str, Any]) -> dict[str, Any]:
    with read() as db:
        history = audit.audit_trail(db, aggregate_id=enterprise["id"], limit=500).items
        names = accounts.display_names(db, {row["actor"] for row in history})
        agreements = agreement_queries.count_agreements(db, "status", party=enterprise["id"])
        by_year = investments.investment_by_year(db, enterprise_id=enterprise["id"])
    return {"history": history, "names": names, "agreements": agreements, "by_year": by_year}


def _certified(_user: Any, enterprise: dict[str, Any]) -> bool:
    return bool(enterprise.get("certified_on"))


def _not_certified(_user: Any, enterprise: dict[str, Any]) -> bool:
    return not enterprise.get("certified_on")


ACTIONS = [
    Action(
        "change",
        _l("Record a change of attributes"),
        EnterpriseChangeSchema,
        lambda id_, d: registry().change_enterprise(
            id_, effective_on=d["effective_on"], actor=actor(), **changes(d)
        ),
        _l("The change is recorded from the date given."),
        roles=(Role.PROVINCE_ADMIN, Role.ENTERPRISE_USER),
        intro=_l(
            "For a real change, e.g. a new name or growing above designated size. "
            "Fill in only what changed."
        ),
    ),
    Action(
        "certify",
        _l("Certify as an industry–education integration enterprise (产教融合型企业)"),
        CertifySchema,
        lambda id_, d: registry().certify_enterprise(id_, on=d.get("on"), actor=actor()),
        _l("The enterprise is certified. Its investments from that date count toward offsets."),
        roles=ADMIN,
        when=_not_certified,
    ),
    Action(
        "decertify",
        _l("Withdraw the certification"),
        DecertifySchema,
        lambda id_, d: registry().decertify_enterprise(
            id_, on=d.get("on"), reason=d["reason"], actor=actor()
        ),
        _l("The certification is withdrawn from the date given."),
        roles=ADMIN,
        when=_certified,
        danger=True,
    ),
    correction(
        EnterpriseCorrectionSchema,
        "correct_enterprise",
        _l("The correction is recorded; the original registration stays in the history."),
        roles=ADMIN,
    ),
]

page = RecordPage("enterprises/show.html", load, ACTIONS, context, roles=READERS[bp.name])
page.register(bp)


def _register(data: dict[str, Any]) -> UUID:
    return registry().register_enterprise(
        **{**data, "above_designated_size": data["above_designated_size"] == "yes"},
        actor=actor(),
    )


Creation(
    "/new",
    "new",
    _l("Register an enterprise"),
    EnterpriseSchema,
    _register,
    _l("The enterprise is registered."),
    "enterprises.show",
    ADMIN,
).register(bp)
