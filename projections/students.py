"""Students 学生, pseudonymously: the facts rules and counts need, never personal data.

One ``students`` row per student: its random id, school, student number (学号, the school's
own identifier, dropped from the row when the student is forgotten), gender, year of entry,
major and whether it has been forgotten, with the erasure's legal basis and who asked (a category).
Name, ID number and birth date arrive sealed (``SealedText``) and are never stored here, not
even as ciphertext: pages that may show a person read the log through the application,
which holds the keys. Forgetting a student keeps its row, so counts stay as they were.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from domain.student import Student
from projections.engine import (
    Page,
    Recorded,
    Rows,
    View,
    Where,
    as_stood,
    counts,
    page,
    source,
    topic,
)

view = View("students", version=2)

# facts a correction may change that this view keeps (a corrected name stays sealed)
KEPT = frozenset({"gender", "entry_year", "major", "student_number"})
COUNTABLE = ("school_id", "entry_year", "major", "gender", "forgotten")


@view.migrations()
def m001_students(db: Database) -> None:
    students = db.table("students")
    students.create(
        {
            "id": str,
            "school_id": str,
            "gender": str,
            "entry_year": int,
            "major": str,
            "forgotten": int,
            "erasure_basis": str,
            "erasure_requested_by": str,
            "registered_at": str,
            "forgotten_at": str,
        },
        pk="id",
    )
    for columns in (["school_id", "entry_year"], ["entry_year"], ["major"], ["gender"]):
        students.create_index(columns)
    students.create_index(["forgotten"])


@view.migrations()
def m002_student_numbers(db: Database) -> None:
    db.table("students").add_column("student_number", str)
    db.table("students").create_index(["school_id", "student_number"])


@view.handles(topic(Student, "Registered"))
def registered(event: Recorded, rows: Rows) -> None:
    rows.put(
        "students",
        {
            "id": event.aggregate_id,
            "school_id": event["school_id"],
            "gender": event["gender"],
            "entry_year": event["entry_year"],
            "major": event["major"],
            "student_number": event.get("student_number"),
            "forgotten": 0,
            "erasure_basis": None,
            "erasure_requested_by": None,
            "registered_at": event.timestamp,
            "forgotten_at": None,
        },
    )


@view.handles(topic(Student, "Corrected"))
def corrected(event: Recorded, rows: Rows) -> None:
    if event["field"] in KEPT:
        rows.put("students", {"id": event.aggregate_id, event["field"]: event["value"]})


@view.handles(topic(Student, "Forgotten"))
def forgotten(event: Recorded, rows: Rows) -> None:
    rows.put(
        "students",
        {
            "id": event.aggregate_id,
            "forgotten": 1,
            "student_number": None,
            "erasure_basis": event["basis"],
            "erasure_requested_by": event["requested_by"],
            "forgotten_at": event.timestamp,
        },
    )


# --- queries -----------------------------------------------------------------------------------


def _where(
    school_id: str | None,
    entry_year: int | None,
    major: str | None,
    gender: str | None,
    forgotten: bool | None,
    student_number: str | None = None,
    ids: list[str] | None = None,
) -> Where:
    where = Where()
    where.add_if(school_id, "school_id = ?")
    where.add_if(student_number, "student_number = ?")
    if ids is not None:
        # the students a keyed search found (none: nothing matches)
        where.add(f"id IN ({', '.join('?' for _ in ids) or 'NULL'})", *ids)
    where.add_if(entry_year, "entry_year = ?")
    where.add_if(major, "major = ?")
    where.add_if(gender, "gender = ?")
    if forgotten is not None:
        where.add("forgotten = ?", int(forgotten))
    return where


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "forgotten": bool(row["forgotten"])}


def list_students(
    db: Database,
    *,
    school_id: str | None = None,
    entry_year: int | None = None,
    major: str | None = None,
    gender: str | None = None,
    forgotten: bool | None = None,
    student_number: str | None = None,
    ids: list[str] | None = None,
    limit: int = 50,
    offset: int = 0,
    at: int | None = None,
) -> Page:
    """Students by school, year of entry and id: pseudonymous ids and facts only.

    ``student_number``: the one student holding it; ``ids``: the students a search by name or
    ID number found through the keyed indexes (the registry's ``find_students``).
    """
    found = page(
        db,
        select="*",
        source=source("students", at),
        where=_where(school_id, entry_year, major, gender, forgotten, student_number, ids),
        order_by="school_id, entry_year, id",
        limit=limit,
        offset=offset,
    )
    return Page([_shown(row) for row in found.items], found.total, limit, offset)


def count_students(
    db: Database,
    by: str,
    *,
    school_id: str | None = None,
    entry_year: int | None = None,
    major: str | None = None,
    gender: str | None = None,
    forgotten: bool | None = None,
    at: int | None = None,
) -> dict[str, int]:
    """Students matching the filters, counted by one of ``COUNTABLE`` (forgotten: "0"/"1")."""
    if by not in COUNTABLE:
        raise ValueError(f"students are counted by one of {COUNTABLE}, not {by!r}")
    where = _where(school_id, entry_year, major, gender, forgotten)
    return counts(
        db.query(
            f"SELECT {by} AS key, count(*) AS n FROM {source('students', at)}{where.sql}"
            f" GROUP BY {by}",
            where.params,
        )
    )


def student(db: Database, student_id: str, *, at: int | None = None) -> dict[str, Any] | None:
    """One student's pseudonymous record."""
    found = list(db.query(f"SELECT * FROM {source('students', at)} WHERE id = ?", [student_id]))
    return _shown(as_stood(found[0])) if found else None
