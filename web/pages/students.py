"""Students 学生, pseudonymous on every list: a school registers its students; their names
and ID numbers are shown only when a reader allowed to see them asks, and every such read is
logged first (docs/personal-data.md). Province administrators erase on request."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from domain.actors import Role
from domain.errors import DomainError
from projections import accounts, audit, placements, schools, students
from web import labels
from web.access import READERS
from web.actions import Action, Creation, RecordPage, attempt, correction
from web.auth import actor, registry, requires, user
from web.lists import list_request, render_list
from web.messages import sentence
from web.reads import answer, names_of, read
from web.schemas.students import ErasureSchema, RevealSchema, StudentCorrectionSchema, StudentSchema

bp = Blueprint("students", __name__, url_prefix="/students")

YEARS = [str(year) for year in range(2000, 2101)]
FORGOTTEN = {"no": False, "yes": True}
# what is searched as an ID number rather than a name: a run of 15 to 18 digits (or 17 and
# an X), so that a number too short or with a typo is told so instead of matching no name
ID_NUMBER_SHAPE = re.compile(r"[0-9]{17}[0-9X]|[0-9]{15,18}")


@bp.get("/")
@requires(*READERS["students.index"])
def index() -> ResponseReturnValue:
    asked = list_request(
        {
            "entry_year": YEARS,
            "gender": labels.GENDERS,
            "forgotten": FORGOTTEN,
            "major": None,
            "student_number": None,
            "person": None,
        }
    )
    own = str(user().party_id) if user().role is Role.SCHOOL_USER else None
    year = asked.filters["entry_year"]
    ids, refused = _found_by_person(own, asked.filters["person"])
    with read(asked.moment) as db:
        found = answer(
            students.list_students,
            db,
            school_id=own,
            entry_year=int(year) if year else None,
            major=asked.filters["major"],
            gender=asked.filters["gender"],
            forgotten=FORGOTTEN.get(asked.filters["forgotten"] or ""),
            student_number=asked.filters["student_number"],
            ids=ids,
            limit=asked.limit,
            offset=asked.offset,
        )
        names = names_of(db, [row["school_id"] for row in found.items])
    return render_list(
        "students/index.html",
        asked,
        page=found,
        names=names,
        own=own,
        person_refused=refused,
    )


def _found_by_person(own: str | None, typed: str | None) -> tuple[list[str] | None, str | None]:
    """A school's search by exact full name or ID number, through the keyed indexes: the
    students found (None: no such search), and why a typed ID number cannot be searched."""
    if own is None or typed is None:
        return None, None
    by_number = ID_NUMBER_SHAPE.fullmatch(typed.upper()) is not None
    try:
        found = registry().find_students(
            UUID(own),
            actor=actor(),
            **({"id_number": typed} if by_number else {"name": typed}),
        )
    except DomainError as refused:
        return [], sentence(refused)
    return [str(student_id) for student_id in found], None


def load(record_id: UUID) -> dict[str, Any] | None:
    signed_in = user()
    with read() as db:
        found = students.student(db, str(record_id))
        if found is None:
            return None
        hosted = placements.list_placements(
            db,
            student_id=found["id"],
            enterprise_id=str(signed_in.party_id) if signed_in.party_id else None,
            limit=1,
        )
    role, party = signed_in.role, str(signed_in.party_id)
    if role is Role.SCHOOL_USER and found["school_id"] != party:
        return None
    if role is Role.ENTERPRISE_USER and not hosted.total:
        return None
    return found


def context(student: dict[str, Any]) -> dict[str, Any]:
    with read() as db:
        history = audit.audit_trail(db, aggregate_id=student["id"], limit=500).items
        names = accounts.display_names(db, {row["actor"] for row in history})
        school = schools.school(db, student["school_id"])
        placed = placements.list_placements(db, student_id=student["id"], limit=50).items
        hosts = names_of(db, [p["enterprise_id"] for p in placed])
    majors = [m["name"] for m in (school or {}).get("majors", [])]
    return {
        "history": history,
        "names": names,
        "school": school,
        "placed": placed,
        "hosts": hosts,
        "reveal_form": None,
        "revealed": None,
        "choices": {"correct": {"major": [(m, m, "") for m in majors]}},
    }


def _kept(_user: Any, student: dict[str, Any]) -> bool:
    return not student["forgotten"]


ACTIONS = [
    correction(
        StudentCorrectionSchema,
        "correct_student",
        _l("The correction is recorded; the original stays in the history (sealed)."),
        roles=(Role.SCHOOL_USER, Role.PROVINCE_ADMIN),
        when=_kept,
        intro=_l("Fill in the right value of one fact, and why."),
    ),
    Action(
        "forget",
        _l("Erase the personal data (PIPL)"),
        ErasureSchema,
        lambda id_, d: registry().forget_student(
            id_, basis=d["basis"], requested_by=d["requested_by"], actor=actor()
        ),
        _l("The personal data is erased: its key is destroyed. The receipt stays in the log."),
        roles=(Role.PROVINCE_ADMIN,),
        when=_kept,
        danger=True,
        intro=_l(
            "The student's key is destroyed, so the name, ID number and birth date can no "
            "longer be read anywhere, backups of the log included. This cannot be undone."
        ),
    ),
]

page = RecordPage("students/show.html", load, ACTIONS, context, roles=READERS[bp.name])
page.register(bp)


@bp.post("/<uuid:record_id>/reveal")
@requires(*READERS[bp.name])
def reveal(record_id: UUID) -> ResponseReturnValue:
    """Show the personal data to a reader the domain allows; the read is logged first."""
    if load(record_id) is None:
        abort(404)
    form, found, status = attempt(
        RevealSchema(),
        lambda d: registry().reveal_student(record_id, reader=actor(), reason=d.get("reason", "")),
    )
    return page.render(
        record_id,
        status=status if not form.ok else 200,
        extra={"reveal_form": form, "revealed": found if form.ok else None},
    )


def _student_choices() -> dict[str, Any]:
    with read() as db:
        school = schools.school(db, str(user().party_id))
    majors = [m["name"] for m in (school or {}).get("majors", []) if m["closed_year"] is None]
    return {"choices": {"major": [(m, m, "") for m in majors]}}


Creation(
    "/new",
    "new",
    _l("Register a student"),
    StudentSchema,
    lambda d: registry().register_student(school_id=user().party_id, **d, actor=actor()),  # type: ignore[arg-type]
    _l("The student is registered. The name and ID number are stored encrypted."),
    "students.show",
    (Role.SCHOOL_USER,),
    intro=_l(
        "The name and ID number are encrypted with a key of the student's own, so they can "
        "be erased on request without touching the rest of the record."
    ),
    context=_student_choices,
).register(bp)
