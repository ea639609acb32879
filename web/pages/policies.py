"""Insurance policies 保险 (§四(六)4): held by a school or an enterprise, covering whole cohorts
of placements; their periods, renewals, extensions and cancellation. Also the province's
required cover for each kind of placement."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from domain.actors import Role
from domain.cover_requirements import COVER_REQUIREMENTS_ID
from projections import accounts, audit, placements, policies
from web import labels
from web.access import PARTY_ROLES, POLICY_HOLDERS, READERS, in_prefecture, readers
from web.actions import Action, Creation, RecordPage, attempt
from web.auth import SignedIn, actor, registry, requires, user
from web.forms import Form, specs
from web.lists import list_request, render_list
from web.reads import answer, names_of, read
from web.schemas.placements import (
    CancelSchema,
    CoverRequirementSchema,
    CoverSchema,
    CrossPartySchema,
    ExtendSchema,
    PolicySchema,
    RenewSchema,
    UncoverSchema,
)

bp = Blueprint("policies", __name__, url_prefix="/policies")

IN_FORCE = {"yes": True, "no": False}


@bp.get("/")
@requires(*readers("policies.index"))
def index() -> ResponseReturnValue:
    asked = list_request({"kind": labels.POLICY_KINDS, "in_force": IN_FORCE})
    holder = str(user().party_id) if user().role in PARTY_ROLES else None
    with read(asked.moment) as db:
        found = answer(
            policies.list_policies,
            db,
            holder=holder,
            kind=asked.filters["kind"],
            in_force=IN_FORCE.get(asked.filters["in_force"] or ""),
            on=asked.moment.effective_day,
            limit=asked.limit,
            offset=asked.offset,
        )
    return render_list(
        "policies/index.html",
        asked,
        page=found,
        own=holder,
    )


def _may_see(signed_in: SignedIn, policy: dict[str, Any], parties: dict[str, Any]) -> bool:
    """Its holder, the province, and the officer of the prefecture of its holder or of a
    party of a placement it covers (a lapse found there points at it)."""
    if signed_in.role in PARTY_ROLES:
        return bool(str(signed_in.party_id) == policy["holder_id"])
    if signed_in.role is Role.PREFECTURE_OFFICER:
        return in_prefecture(signed_in, parties, *parties)
    return signed_in.role in (Role.PROVINCE_ADMIN, Role.AUDITOR)


def _parties(db: Any, policy: dict[str, Any]) -> dict[str, Any]:
    """The holder and the parties of every placement the policy has covered."""
    covered = placements.list_placements(db, policy_id=policy["id"], limit=500).items
    ids = [policy["holder_id"], *(p[k] for p in covered for k in ("school_id", "enterprise_id"))]
    return names_of(db, ids)


def _linkable(db: Any, policy: dict[str, Any]) -> set[str]:
    """The covered placements whose pages the reader may open: an officer's those of its
    prefecture, everyone else's all (a holder's own, or the province's)."""
    covered = {c["placement_id"] for c in policy["covered"]}
    if user().role is not Role.PREFECTURE_OFFICER:
        return covered
    rows = placements.list_placements(db, policy_id=policy["id"], limit=500).items
    parties = names_of(db, [p[k] for p in rows for k in ("school_id", "enterprise_id")])
    return {
        p["id"] for p in rows if in_prefecture(user(), parties, p["school_id"], p["enterprise_id"])
    }


def load(record_id: UUID) -> dict[str, Any] | None:
    with read() as db:
        found = policies.policy(db, str(record_id))
        officer = user().role is Role.PREFECTURE_OFFICER
        parties = _parties(db, found) if found is not None and officer else {}
    if found is None or not _may_see(user(), found, parties):
        return None
    return found


def context(policy: dict[str, Any]) -> dict[str, Any]:
    holder = policy["holder_id"]
    side = "school_id" if policy["holder_side"] == "school" else "enterprise_id"
    with read() as db:
        history = audit.audit_trail(db, aggregate_id=policy["id"], limit=500).items
        names = accounts.display_names(db, {row["actor"] for row in history})
        holders = placements.list_placements(db, **{side: holder}, limit=500).items
        linkable = _linkable(db, policy)
    on_policy = {c["placement_id"] for c in policy["covered"] if _on_it(c)}
    since = {c["placement_id"]: c["spans"][0][0] for c in policy["covered"]}
    by_id = {p["id"]: p for p in holders}

    def option(placement_id: str) -> tuple[str, str, str]:
        found = by_id.get(placement_id)
        if found is None:
            return placement_id, placement_id[:8], ""
        kind = labels.label(labels.PLACEMENT_KINDS, found["kind"])
        text = f"{kind} · {found['position']} · {found['starts_on']} – {found['ends_on']}"
        return placement_id, text, found["student_id"][:8]

    open_ones = [p for p in holders if p["status"] in ("registered", "started", "suspended")]
    return {
        "history": history,
        "names": names,
        "placements_by_id": by_id,
        "linkable": linkable,
        "choices": {
            "cover": {
                "placements": [option(p["id"]) for p in open_ones if p["id"] not in on_policy]
            },
            "uncover": {"placements": [option(p) for p in sorted(on_policy)]},
            "remove_cross_party": {
                "placements": [
                    (
                        c["placement_id"],
                        str(_l("On the policy since %(day)s", day=since[c["placement_id"]])),
                        "",
                    )
                    for c in policy["covered"]
                    if c["cross_party"]
                ]
            },
        },
    }


def _on_it(covered: dict[str, Any]) -> bool:
    """On the policy as the domain counts it: added and not taken off, whether its cover has
    begun yet or not (one added from a later day is not offered again)."""
    spans = covered["spans"]
    return bool(spans) and spans[-1][1] is None and not covered["cross_party"]


def _open(_user: SignedIn, policy: dict[str, Any]) -> bool:
    return not policy["cancelled_on"]


ACTIONS = [
    Action(
        "cover",
        _l("Put placements on the policy"),
        CoverSchema,
        lambda id_, d: registry().cover_placements(
            id_, placement_ids=d["placements"], on=d.get("on"), actor=actor()
        ),
        _l("The placements are on the policy."),
        roles=POLICY_HOLDERS,
        when=_open,
        intro=_l("A whole cohort at once: tick every placement the policy covers."),
    ),
    Action(
        "uncover",
        _l("Take placements off the policy"),
        UncoverSchema,
        lambda id_, d: registry().uncover_placements(
            id_, placement_ids=d["placements"], on=d.get("on"), actor=actor()
        ),
        _l("The placements are off the policy from the date given."),
        roles=POLICY_HOLDERS,
        when=lambda u, p: _open(u, p) and any(_on_it(c) for c in p["covered"]),
    ),
    Action(
        "remove_cross_party",
        _l("Remove other parties' placements"),
        CrossPartySchema,
        lambda id_, d: registry().remove_cross_party_placements(
            id_, placement_ids=d["placements"], reason=d["reason"], actor=actor()
        ),
        _l("The other parties' placements are off the policy; their finding is closed."),
        roles=POLICY_HOLDERS,
        when=lambda _u, p: any(c["cross_party"] for c in p["covered"]),
        intro=_l(
            "These placements were put on the policy before the rule that a policy covers only"
            " its holder's own placements. They never counted as cover. Give the reason for the"
            " correction; it is kept in the record's history."
        ),
    ),
    Action(
        "renew",
        _l("Renew for a new period"),
        RenewSchema,
        lambda id_, d: registry().renew_policy(id_, **d, actor=actor()),
        _l("The policy is renewed."),
        roles=POLICY_HOLDERS,
        when=_open,
        intro=_l("A gap between periods is a gap in cover."),
    ),
    Action(
        "extend",
        _l("Extend the current period"),
        ExtendSchema,
        lambda id_, d: registry().extend_policy(id_, **d, actor=actor()),
        _l("The cover is extended."),
        roles=POLICY_HOLDERS,
        when=_open,
    ),
    Action(
        "cancel",
        _l("Cancel the policy"),
        CancelSchema,
        lambda id_, d: registry().cancel_policy(
            id_, on=d.get("on"), reason=d["reason"], actor=actor()
        ),
        _l("The policy is cancelled. Placements it covered lose that cover from the date given."),
        roles=POLICY_HOLDERS,
        when=_open,
        danger=True,
    ),
]

page = RecordPage("policies/show.html", load, ACTIONS, context, roles=READERS[bp.name])
page.register(bp)

Creation(
    "/new",
    "new",
    _l("Register an insurance policy"),
    PolicySchema,
    lambda d: registry().register_policy(holder_id=user().party_id, **d, actor=actor()),  # type: ignore[arg-type]
    _l("The policy is registered. Put the placements it covers on it next."),
    "policies.show",
    (Role.SCHOOL_USER, Role.ENTERPRISE_USER),
    intro=_l("A policy your organisation holds; one policy may cover a whole cohort."),
).register(bp)


# --- the province's required cover --------------------------------------------------------------


@bp.route("/requirements", methods=["GET", "POST"])
@requires(*READERS["policies.requirements"])
def requirements() -> ResponseReturnValue:
    form, status = Form(), 200
    if request.method == "POST":
        if user().role is not Role.PROVINCE_ADMIN:
            abort(403)
        form, _done, status = attempt(
            CoverRequirementSchema(),
            lambda d: registry().set_cover_requirement(**d, actor=actor()),
        )
        if form.ok:
            flash(str(_l("The requirement is set for placements registered from now on.")), "ok")
            return redirect(url_for("policies.requirements"))
    required = {kind: registry().required_cover_for(kind) for kind in labels.PLACEMENT_KINDS}
    with read() as db:
        history = audit.audit_trail(db, aggregate_id=str(COVER_REQUIREMENTS_ID), limit=200).items
        names = accounts.display_names(db, {row["actor"] for row in history})
    return (
        render_template(
            "policies/requirements.html",
            required=required,
            form=form,
            specs=specs(CoverRequirementSchema()),
            history=history,
            names=names,
        ),
        status,
    )
