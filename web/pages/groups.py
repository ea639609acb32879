"""Training groups 技师学院（职业培训）集团 (§四(四)3, 专栏1 item 8): the list, proposing one,
and a group's page with its members, the formation checklist toward its charter, and the
steps its secretariat or lead college takes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from domain.actors import Role
from domain.prefectures import PREFECTURES
from projections import accounts, audit, groups
from web import labels
from web.access import GROUP_ACTORS, READERS
from web.actions import Action, Creation, RecordPage, correction
from web.auth import SignedIn, actor, registry, requires, user
from web.lists import list_request, render_list
from web.preconditions import charter_checklist
from web.reads import answer, names_of, read
from web.schemas.groups import (
    AdmitSchema,
    CharterSchema,
    DissolveSchema,
    GroupCorrectionSchema,
    GroupSchema,
    HandOverSchema,
    OperatingSchema,
    RemoveSchema,
)

bp = Blueprint("groups", __name__, url_prefix="/groups")


@bp.get("/")
@requires(*READERS[bp.name])
def index() -> ResponseReturnValue:
    if user().role is Role.GROUP_SECRETARIAT:
        return redirect(url_for("groups.show", record_id=user().party_id))
    asked = list_request({"stage": labels.STAGES, "prefecture": PREFECTURES, "ours": ("yes",)})
    signed_in = user()
    prefecture = (
        signed_in.prefecture
        if signed_in.role is Role.PREFECTURE_OFFICER
        else asked.filters["prefecture"]
    )
    member = str(signed_in.party_id) if asked.filters["ours"] and signed_in.party_id else None
    with read(asked.moment) as db:
        found = answer(
            groups.list_groups,
            db,
            stage=asked.filters["stage"],
            prefecture=prefecture,
            member=member,
            on=asked.moment.effective_day,
            limit=asked.limit,
            offset=asked.offset,
        )
        names = _names(db, [row["lead_on"] for row in found.items])
    return render_list(
        "groups/index.html",
        asked,
        page=found,
        names=names,
        officer=signed_in.role is Role.PREFECTURE_OFFICER,
    )


def _names(db: Any, ids: list[str]) -> dict[str, str]:

    return {k: v["name"] for k, v in names_of(db, ids).items()}


def acts_for_group(signed_in: SignedIn, group: dict[str, Any]) -> bool:
    """The group's secretariat, or a user of its lead college."""
    party = str(signed_in.party_id) if signed_in.party_id else None
    if signed_in.role is Role.GROUP_SECRETARIAT:
        return bool(party == group["id"])
    return signed_in.role is Role.SCHOOL_USER and bool(party == group["lead_on"])


def _may_see(signed_in: SignedIn, group: dict[str, Any]) -> bool:
    if signed_in.role is Role.PREFECTURE_OFFICER:
        return bool(signed_in.prefecture in group["prefectures"])
    if signed_in.role is Role.GROUP_SECRETARIAT:
        return bool(str(signed_in.party_id) == group["id"])
    return True


def load(record_id: UUID) -> dict[str, Any] | None:
    with read() as db:
        found = groups.group(db, str(record_id))
    if found is None or not _may_see(user(), found):
        return None
    return found


def context(group: dict[str, Any]) -> dict[str, Any]:
    with read() as db:
        history = audit.audit_trail(db, aggregate_id=group["id"], limit=500).items
        names = accounts.display_names(db, {row["actor"] for row in history})
    current = [m for m in group["members"] if m["member_on"]]
    lead = next((m for m in group["members"] if m["party_id"] == group["lead_on"]), None)
    others = [m for m in current if m["party_id"] != group["lead_on"]]
    return {
        "history": history,
        "names": names,
        "lead": lead,
        "checklist": checklist(group, others),
        "checklists": {
            "charter": charter_checklist(
                group, others, {a.name for a in ACTIONS if a.offered_to(user(), group)}
            )
        },
        "choices": {
            "remove": {"party": [(m["party_id"], m["name"] or m["party_id"], "") for m in others]},
            "hand_over": {
                "to": [
                    (m["party_id"], m["name"] or m["party_id"], "")
                    for m in others
                    if m["party_type"] == "school"
                ]
            },
        },
    }


def checklist(group: dict[str, Any], others: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The formation steps toward a charter and operation, each met or not, with its date."""
    schools = [m for m in others if m["party_type"] == "school"]
    enterprises = [m for m in others if m["party_type"] == "enterprise"]
    chartered = group["chartered_on"]
    return [
        {"step": "proposed", "met": True, "on": group["proposed_on"], "who": None},
        {
            "step": "second_school",
            "met": bool(schools) or bool(chartered),
            "on": schools[0]["joined_on"] if schools else None,
            "who": schools[0]["name"] if schools else None,
        },
        {
            "step": "enterprise",
            "met": bool(enterprises) or bool(chartered),
            "on": enterprises[0]["joined_on"] if enterprises else None,
            "who": enterprises[0]["name"] if enterprises else None,
        },
        {"step": "chartered", "met": bool(chartered), "on": chartered, "who": None},
        {
            "step": "operating",
            "met": bool(group["operating_from"]),
            "on": group["operating_from"],
            "who": None,
        },
    ]


def _open(signed_in: SignedIn, group: dict[str, Any]) -> bool:
    return acts_for_group(signed_in, group) and not group["dissolved_on"]


def _forming(signed_in: SignedIn, group: dict[str, Any]) -> bool:
    return _open(signed_in, group) and not group["chartered_on"]


def _chartered(signed_in: SignedIn, group: dict[str, Any]) -> bool:
    return _open(signed_in, group) and bool(group["chartered_on"]) and not group["operating_from"]


ACTIONS = [
    Action(
        "admit",
        _l("Admit a member"),
        AdmitSchema,
        lambda id_, d: registry().admit_to_group(
            id_, party_id=d["party"], on=d.get("on"), actor=actor()
        ),
        _l("The member is admitted."),
        roles=GROUP_ACTORS,
        when=_open,
        missing="party",
    ),
    Action(
        "charter",
        _l("Charter the group"),
        CharterSchema,
        lambda id_, d: registry().charter_group(id_, on=d.get("on"), actor=actor()),
        _l("The group is chartered and counts toward the province's ten groups."),
        roles=GROUP_ACTORS,
        when=_forming,
        intro=_l(
            "A group is chartered once another school and an enterprise are members: the "
            "checklist below says what it has and what it lacks."
        ),
    ),
    Action(
        "declare_operating",
        _l("Declare the group operating (实体化运作)"),
        OperatingSchema,
        lambda id_, d: registry().declare_group_operating(id_, on=d.get("on"), actor=actor()),
        _l("The group operates from the date given."),
        roles=GROUP_ACTORS,
        when=_chartered,
    ),
    Action(
        "remove",
        _l("Remove a member"),
        RemoveSchema,
        lambda id_, d: registry().remove_from_group(
            id_, party_id=d["party"], on=d.get("on"), reason=d["reason"], actor=actor()
        ),
        _l("The member has left the group."),
        roles=GROUP_ACTORS,
        when=_open,
    ),
    Action(
        "hand_over",
        _l("Hand the lead to another technician college"),
        HandOverSchema,
        lambda id_, d: registry().hand_over_group_lead(
            id_, to_id=d["to"], on=d.get("on"), actor=actor()
        ),
        _l("The lead is handed over."),
        roles=GROUP_ACTORS,
        when=_open,
    ),
    correction(
        GroupCorrectionSchema,
        "correct_group",
        _l("The correction is recorded; the original stays in the history."),
        roles=GROUP_ACTORS,
        when=_open,
        intro=None,
    ),
    Action(
        "dissolve",
        _l("Dissolve the group"),
        DissolveSchema,
        lambda id_, d: registry().dissolve_group(
            id_, on=d.get("on"), reason=d["reason"], actor=actor()
        ),
        _l("The group is dissolved. It accepts no further changes."),
        roles=GROUP_ACTORS,
        when=_open,
        danger=True,
    ),
]

page = RecordPage("groups/show.html", load, ACTIONS, context, roles=READERS[bp.name])
page.register(bp)

Creation(
    "/new",
    "new",
    _l("Propose a training group"),
    GroupSchema,
    lambda d: registry().propose_group(
        lead_id=user().party_id,  # type: ignore[arg-type]
        name=d["name"],
        prefectures=d["prefectures"],
        industry_focus=d["industry_focus"],
        proposed_on=d.get("proposed_on"),
        actor=actor(),
    ),
    _l("The group is proposed, led by your college. Admit its members next."),
    "groups.show",
    (Role.SCHOOL_USER,),
    intro=_l(
        "A technician college proposes a group and leads it. It is chartered once another "
        "school and an enterprise have joined."
    ),
).register(bp)
