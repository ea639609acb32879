"""Internships and apprenticeships 学生实习 / 企业新型学徒制 (§四(六)4): the list, registering
one, and a placement's page with the cover check shown before its start, its lifecycle, and
what is reported while it runs (working arrangements, fees, incidents, claims).

A placement is the school's and the host enterprise's record: their users see it, the
province reads it. Students appear by record number only.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import Blueprint
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from domain.actors import Role
from domain.placement import PLACEMENT_MODES
from projections import accounts, agreement_queries, audit, placements, policies, students
from registry.clock import today
from web import labels
from web.access import (
    PARTY_ROLES,
    PLACEMENT_PARTIES,
    READERS,
    in_prefecture,
    placement_scope,
    readers,
)
from web.actions import Action, Creation, RecordPage
from web.auth import SignedIn, actor, registry, requires, user
from web.lists import list_request, render_list
from web.preconditions import start_checklist
from web.reads import answer, names_of, read
from web.schemas.placements import (
    ClaimSchema,
    CompletionSchema,
    DurationExceptionSchema,
    EndSchema,
    FeeSchema,
    IncidentSchema,
    PlacementResumptionSchema,
    PlacementSchema,
    PlacementSuspensionSchema,
    PutOnPolicySchema,
    SettlementSchema,
    StartSchema,
    TripartiteSchema,
    WorkingArrangementSchema,
)

bp = Blueprint("placements", __name__, url_prefix="/placements")

RUNNING = {"yes": True, "no": False}


@bp.get("/")
@requires(*readers("placements.index"))
def index() -> ResponseReturnValue:
    asked = list_request(
        {"kind": labels.PLACEMENT_KINDS, "status": placements.STATUSES, "running": RUNNING}
    )
    scope = placement_scope(user())
    with read(asked.moment) as db:
        found = answer(
            placements.list_placements,
            db,
            school_id=scope.get("school_id"),
            enterprise_id=scope.get("enterprise_id"),
            kind=asked.filters["kind"],
            status=asked.filters["status"],
            running=RUNNING.get(asked.filters["running"] or ""),
            on=asked.moment.effective_day,
            limit=asked.limit,
            offset=asked.offset,
        )
        names = names_of(
            db, [p for row in found.items for p in (row["school_id"], row["enterprise_id"])]
        )
    return render_list(
        "placements/index.html",
        asked,
        page=found,
        names=names,
        scope=scope,
    )


def may_see(signed_in: SignedIn, placement: dict[str, Any], parties: dict[str, Any]) -> bool:
    """Its school's and enterprise's users, the province, and the officer of the school's or
    the enterprise's prefecture (whose findings point at it)."""
    if signed_in.role in PARTY_ROLES:
        return str(signed_in.party_id) in (placement["school_id"], placement["enterprise_id"])
    if signed_in.role is Role.PREFECTURE_OFFICER:
        return in_prefecture(signed_in, parties, placement["school_id"], placement["enterprise_id"])
    return signed_in.role in (Role.PROVINCE_ADMIN, Role.AUDITOR)


def load(record_id: UUID) -> dict[str, Any] | None:
    with read() as db:
        found = placements.placement(db, str(record_id))
        parties = names_of(db, [found["school_id"], found["enterprise_id"]]) if found else {}
    if found is None or not may_see(user(), found, parties):
        return None
    return found


def context(placement: dict[str, Any]) -> dict[str, Any]:
    planned = date.fromisoformat(placement["starts_on"])
    with read() as db:
        history = audit.audit_trail(db, aggregate_id=placement["id"], limit=500).items
        names = accounts.display_names(db, {row["actor"] for row in history})
        parties = names_of(db, [placement["school_id"], placement["enterprise_id"]])
        agreement = agreement_queries.agreement(db, placement["agreement_id"])
        student = students.student(db, placement["student_id"])
        at_start = placements.placement(db, placement["id"], on=planned)
        checks = _cover_checks(placement, at_start, planned)
        agreements_on = {
            c["day"]: agreement_queries.agreement(
                db, placement["agreement_id"], on=date.fromisoformat(c["day"])
            )
            for c in checks
        }
        of_parties = [
            p
            for holder in (placement["school_id"], placement["enterprise_id"])
            for p in policies.list_policies(db, holder=holder, limit=200).items
        ]
    held = [p for p in of_parties if not p["cancelled_on"] and _may_put_on(user(), p)]
    linked = placement["coverage"]["policies"]
    kinds = {p["id"]: p["kind"] for p in of_parties}
    return {
        "policy_names": {p["id"]: _policy_name(p) for p in of_parties},
        "history": history,
        "names": names,
        "parties": parties,
        "agreement": agreement,
        "student": student,
        "checks": checks,
        "checklists": {
            "start": start_checklist(placement, agreements_on, student, checks, _offered(placement))
        },
        "choices": {
            "put_on_policy": {
                "policy": [
                    (p["id"], _policy_name(p), "")
                    for p in held
                    if p["id"] not in {q["policy_id"] for q in linked}
                ]
            },
            "file_claim": {
                "policy": [
                    (
                        p["policy_id"],
                        labels.label(labels.POLICY_KINDS, kinds.get(p["policy_id"], p["kind"])),
                        "",
                    )
                    for p in linked
                ]
            },
            "settle_claim": {
                "number": [(str(n), str(n), "") for n in range(1, placement["claims"] + 1)]
            },
        },
    }


def _offered(placement: dict[str, Any]) -> set[str]:
    return {a.name for a in ACTIONS if a.offered_to(user(), placement)}


def _policy_name(policy: dict[str, Any]) -> str:
    """A policy as a picker or a link names it: two policies of one kind read apart."""
    return (
        f"{labels.label(labels.POLICY_KINDS, policy['kind'])} · "
        f"{policy['insurer']} {policy['policy_number']} · {policy['holder_name']}"
    )


def _may_put_on(signed_in: SignedIn, policy: dict[str, Any]) -> bool:
    """Only the holder (or an administrator) puts placements on a policy: the picker offers
    a party its own policies, so no one picks a policy the registry would refuse them."""
    if signed_in.role in PARTY_ROLES:
        return bool(policy["holder_id"] == str(signed_in.party_id))
    return True


def _cover_checks(
    placement: dict[str, Any], at_start: dict[str, Any] | None, planned: date
) -> list[dict[str, Any]]:
    """Cover on the days a start would be judged: today, and the planned start if later."""
    checks = [{"day": today().isoformat(), **placement["coverage"]}]
    if at_start is not None and planned > today():
        checks.append({"day": planned.isoformat(), **at_start["coverage"]})
    return checks


def _status(*allowed: str) -> Any:
    def offered(signed_in: SignedIn, placement: dict[str, Any]) -> bool:
        return placement["status"] in allowed

    return offered


def _post_internship_not_started(_user: SignedIn, placement: dict[str, Any]) -> bool:
    return bool(placement["kind"] == "post_internship" and placement["status"] == "registered")


def _has_policies(_user: SignedIn, placement: dict[str, Any]) -> bool:
    return bool(placement["coverage"]["policies"])


def _has_claims(_user: SignedIn, placement: dict[str, Any]) -> bool:
    return bool(placement["claims"])


ACTIONS = [
    Action(
        "put_on_policy",
        _l("Put on an insurance policy"),
        PutOnPolicySchema,
        lambda id_, d: registry().cover_placements(
            d["policy"], placement_ids=[id_], on=d.get("on"), actor=actor()
        ),
        _l("The placement is on the policy."),
        roles=PLACEMENT_PARTIES,
        when=_status("registered", "started", "suspended"),
        intro=_l(
            "Only a policy's holder puts placements on it: the list offers the policies your "
            "organisation holds."
        ),
    ),
    Action(
        "tripartite",
        _l("Record the tripartite agreement (三方协议)"),
        TripartiteSchema,
        lambda id_, d: registry().record_tripartite_agreement(
            id_, signed_on=d["signed_on"], actor=actor()
        ),
        _l("The tripartite agreement is recorded."),
        roles=PLACEMENT_PARTIES,
        when=_post_internship_not_started,
    ),
    Action(
        "start",
        _l("Start the placement"),
        StartSchema,
        lambda id_, d: registry().start_placement(id_, on=d.get("on"), actor=actor()),
        _l("The placement has started."),
        roles=PLACEMENT_PARTIES,
        when=_status("registered"),
        intro=_l(
            "It starts only if everything below is met on the day it starts (an empty date "
            "means today)."
        ),
    ),
    Action(
        "suspend",
        _l("Suspend the placement"),
        PlacementSuspensionSchema,
        lambda id_, d: registry().suspend_placement(
            id_, on=d.get("on"), reason=d["reason"], actor=actor()
        ),
        _l("The placement is suspended."),
        roles=PLACEMENT_PARTIES,
        when=_status("started"),
    ),
    Action(
        "resume",
        _l("Resume the placement"),
        PlacementResumptionSchema,
        lambda id_, d: registry().resume_placement(id_, on=d.get("on"), actor=actor()),
        _l("The placement runs again."),
        roles=PLACEMENT_PARTIES,
        when=_status("suspended"),
    ),
    Action(
        "complete",
        _l("Record its completion"),
        CompletionSchema,
        lambda id_, d: registry().complete_placement(id_, on=d.get("on"), actor=actor()),
        _l("The placement is completed."),
        roles=PLACEMENT_PARTIES,
        when=_status("started"),
    ),
    Action(
        "duration_exception",
        _l("Record why it lasts longer than 6 months"),
        DurationExceptionSchema,
        lambda id_, d: registry().record_duration_exception(id_, reason=d["reason"], actor=actor()),
        _l("The reason is recorded."),
        roles=PLACEMENT_PARTIES,
        when=lambda _u, p: (
            p["kind"] == "post_internship"
            and not p["duration_exception"]
            and p["status"] in ("registered", "started", "suspended")
        ),
    ),
    Action(
        "working_arrangement",
        _l("Record the working arrangement"),
        WorkingArrangementSchema,
        lambda id_, d: registry().record_working_arrangement(id_, **d, actor=actor()),
        _l("The working arrangement is recorded."),
        roles=PLACEMENT_PARTIES,
        intro=_l(
            "Pay and hours as they are. Night shifts, overtime, holiday work and pay below "
            "80 per cent of the post's wage are recorded and flagged, never refused."
        ),
    ),
    Action(
        "report_fee",
        _l("Report a fee charged to the student"),
        FeeSchema,
        lambda id_, d: registry().report_fee(id_, **d, actor=actor()),
        _l("The fee is recorded and flagged."),
        roles=PLACEMENT_PARTIES,
        intro=_l("严禁向学生违规收取实习实训费用: every reported fee is kept and flagged."),
    ),
    Action(
        "record_incident",
        _l("Record an incident"),
        IncidentSchema,
        lambda id_, d: registry().record_incident(id_, **d, actor=actor()),
        _l("The incident is recorded."),
        roles=PLACEMENT_PARTIES,
    ),
    Action(
        "file_claim",
        _l("File an insurance claim"),
        ClaimSchema,
        lambda id_, d: registry().file_claim(
            id_, policy_id=d["policy"], filed_on=d["filed_on"], amount=d["amount"], actor=actor()
        ),
        _l("The claim is filed."),
        roles=PLACEMENT_PARTIES,
        when=_has_policies,
    ),
    Action(
        "settle_claim",
        _l("Record a claim's outcome"),
        SettlementSchema,
        lambda id_, d: registry().settle_claim(id_, **d, actor=actor()),
        _l("The claim's outcome is recorded."),
        roles=PLACEMENT_PARTIES,
        when=_has_claims,
    ),
    Action(
        "end_early",
        _l("End the placement early"),
        EndSchema,
        lambda id_, d: registry().end_placement_early(
            id_, on=d.get("on"), reason=d["reason"], actor=actor()
        ),
        _l("The placement has ended."),
        roles=PLACEMENT_PARTIES,
        when=_status("registered", "started", "suspended"),
        danger=True,
    ),
]

page = RecordPage("placements/show.html", load, ACTIONS, context, roles=READERS[bp.name])
page.register(bp)


def _register(data: dict[str, Any]) -> UUID:
    return registry().register_placement(
        student_id=data["student"],
        agreement_id=data["agreement"],
        kind=data["kind"],
        position=data["position"],
        workplace_prefecture=data["workplace_prefecture"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        mentor=data["mentor"],
        supervising_teacher=data["supervising_teacher"],
        pay=data.get("pay"),
        duration_exception=data.get("duration_exception", ""),
        intermediary=data.get("intermediary", ""),
        actor=actor(),
    )


def _registration_choices() -> dict[str, Any]:
    school = str(user().party_id)
    with read() as db:
        enrolled = students.list_students(db, school_id=school, forgotten=False, limit=500)
        agreements = [
            row
            for status in ("active", "not_yet_started")
            for row in agreement_queries.list_agreements(
                db, party=school, status=status, limit=500
            ).items
            if PLACEMENT_MODES.intersection(row["modes"])
        ]
    return {
        "choices": {
            "student": [
                (
                    s["id"],
                    " · ".join(
                        str(v)
                        for v in (s["student_number"], s["id"][:8], s["major"], s["entry_year"])
                        if v
                    ),
                    "",
                )
                for s in enrolled.items
            ],
            "agreement": [
                (
                    a["id"],
                    f"{a['title']} · {a['enterprise_name']} · {a['starts_on']} – {a['ends_on']}",
                    "",
                )
                for a in agreements
            ],
        }
    }


Creation(
    "/new",
    "new",
    _l("Register a placement"),
    PlacementSchema,
    _register,
    _l("The placement is registered. It can start once its cover is in force."),
    "placements.show",
    (Role.SCHOOL_USER,),
    intro=_l(
        "The student's age and school year are checked against the rules for post "
        "internships; the check is logged, and only its outcome is kept."
    ),
    context=_registration_choices,
).register(bp)
