"""Teachers' enterprise practice 教师企业实践 (§四(三)4): at least 6 months in enterprises in
every 5 years. Teachers are known by staff number only; schools log periods under agreements
with a teacher practice station, and the lists show who falls short."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from domain.actors import Role
from domain.teacher_practice import REQUIRED_DAYS
from projections import accounts, agreement_queries, audit, teachers
from web.access import READERS, school_scope
from web.actions import Action, Creation, RecordPage
from web.auth import SignedIn, actor, registry, requires, user
from web.lists import list_request, render_list
from web.reads import answer, names_of, read
from web.schemas.teachers import CancelPracticeSchema, FirstPracticeSchema, PracticeSchema

bp = Blueprint("teachers", __name__, url_prefix="/teachers")

SHORT = {"yes": True, "no": False}


@bp.get("/")
@requires(*READERS[bp.name])
def index() -> ResponseReturnValue:
    asked = list_request({"short": SHORT})
    limits = school_scope(user())
    with read(asked.moment) as db:
        found = answer(
            teachers.list_teachers,
            db,
            school_id=limits.get("school_id"),
            prefecture=limits.get("prefecture"),
            short=SHORT.get(asked.filters["short"] or ""),
            on=asked.moment.effective_day,
            limit=asked.limit,
            offset=asked.offset,
        )
        names = names_of(db, [row["school_id"] for row in found.items])
    return render_list(
        "teachers/index.html",
        asked,
        page=found,
        names=names,
        scope=limits,
        required=REQUIRED_DAYS,
    )


def _may_see(signed_in: SignedIn, teacher: dict[str, Any], prefecture: str | None) -> bool:
    if signed_in.role is Role.SCHOOL_USER:
        return bool(teacher["school_id"] == str(signed_in.party_id))
    if signed_in.role is Role.PREFECTURE_OFFICER:
        return bool(prefecture == signed_in.prefecture)
    return True


def load(record_id: UUID) -> dict[str, Any] | None:
    with read() as db:
        found = teachers.teacher(db, str(record_id))
        school = names_of(db, [found["school_id"]]) if found else {}
    if found is None:
        return None
    found["school"] = school.get(found["school_id"], {})
    if not _may_see(user(), found, found["school"].get("prefecture")):
        return None
    return found


def _practice_agreements(school_id: str) -> list[tuple[str, str, str]]:
    with read() as db:
        found = agreement_queries.list_agreements(
            db, party=school_id, mode="teacher_practice_station", limit=500
        ).items
    return [
        (a["id"], f"{a['title']} · {a['enterprise_name']} · {a['starts_on']} – {a['ends_on']}", "")
        for a in found
        if a["status"] in ("countersigned", "suspended", "terminated")
    ]


def context(teacher: dict[str, Any]) -> dict[str, Any]:
    with read() as db:
        history = audit.audit_trail(db, aggregate_id=teacher["id"], limit=500).items
        names = accounts.display_names(db, {row["actor"] for row in history})
        hosts = names_of(db, [p["enterprise_id"] for p in teacher["period_list"]])
    current = [p for p in teacher["period_list"] if not p["cancelled"]]
    return {
        "history": history,
        "names": names,
        "hosts": hosts,
        "required": REQUIRED_DAYS,
        "choices": {
            "log": {"agreement": _practice_agreements(teacher["school_id"])},
            "cancel": {
                "number": [
                    (str(p["number"]), f"{p['number']}: {p['starts_on']} – {p['ends_on']}", "")
                    for p in current
                ]
            },
        },
    }


def _own_school(signed_in: SignedIn, teacher: dict[str, Any]) -> bool:
    return bool(teacher["school_id"] == str(signed_in.party_id))


def _log(teacher_id: UUID, data: dict[str, Any]) -> UUID:
    with read() as db:
        found = teachers.teacher(db, str(teacher_id))
    assert found is not None
    return registry().log_teacher_practice(
        school_id=UUID(found["school_id"]),
        staff_number=found["staff_number"],
        agreement_id=data["agreement"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        actor=actor(),
    )


ACTIONS = [
    Action(
        "log",
        _l("Log a practice period"),
        PracticeSchema,
        _log,
        _l("The period is logged."),
        roles=(Role.SCHOOL_USER,),
        when=_own_school,
    ),
    Action(
        "cancel",
        _l("Cancel a period logged by mistake"),
        CancelPracticeSchema,
        lambda id_, d: registry().cancel_teacher_practice(
            id_, number=d["number"], reason=d["reason"], actor=actor()
        ),
        _l("The period no longer counts; it stays in the history."),
        roles=(Role.SCHOOL_USER,),
        when=lambda u, t: _own_school(u, t) and any(not p["cancelled"] for p in t["period_list"]),
    ),
]

page = RecordPage("teachers/show.html", load, ACTIONS, context, roles=READERS[bp.name])
page.register(bp)

Creation(
    "/new",
    "new",
    _l("Log a teacher's practice"),
    FirstPracticeSchema,
    lambda d: registry().log_teacher_practice(
        school_id=user().party_id,  # type: ignore[arg-type]
        staff_number=d["staff_number"],
        agreement_id=d["agreement"],
        starts_on=d["starts_on"],
        ends_on=d["ends_on"],
        actor=actor(),
    ),
    _l("The period is logged."),
    "teachers.show",
    (Role.SCHOOL_USER,),
    intro=_l(
        "A period at an enterprise under an agreement with a teacher practice station, on "
        "dates when the agreement is in force. The teacher's log opens with the first one."
    ),
    context=lambda: {"choices": {"agreement": _practice_agreements(str(user().party_id))}},
).register(bp)
