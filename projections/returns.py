"""Annual statistics returns 年度统计报表 per school and year, and their deadlines
(专栏1 items 3–7, §四(六)1, §五(三)).

Tables: ``annual_returns`` (one row per school and year: the filing's recorded day, the
deadline it was judged against and its late mark, and the figures as corrected since),
``return_revisions`` (every set of figures: the filing is version 1, each correction the next,
with the Asia/Shanghai day and the time it was recorded, its position and reason) and
``return_deadlines`` (each year's deadline as it stands, and how often it moved).

"As filed" is as recorded by the year's deadline
(docs/domain.md#dates-ratios-and-states-without-events): the latest revision
recorded on or before it, so a return filed after the deadline has no figures as filed. For a
year with no deadline, "as filed" is each return's first revision. "As corrected" is the
latest revision. Shares and rates are ratios of the sums (``ratio``), never averages.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlite_utils import Database

from domain.annual_return import FIGURES, AnnualReturn, ReturnDeadline
from projections.engine import Page, Recorded, Rows, View, Where, as_stood, page, source, topic

view = View("returns", version=1, internal={"return_deadline_ids"})


def _figure_columns() -> dict[str, type]:
    return dict.fromkeys(FIGURES, int)


@view.migrations()
def m001_returns(db: Database) -> None:
    returns = db.table("annual_returns")
    returns.create(
        {
            "id": str,
            "school_id": str,
            "year": int,
            "deadline": str,
            "late": int,
            "filed_on": str,
            "filed_at": str,
            "filed_position": int,
            "revisions": int,
            "corrected_on": str,
            **_figure_columns(),
        },
        pk="id",
    )
    returns.create_index(["year", "school_id"])
    returns.create_index(["school_id"])
    revisions = db.table("return_revisions")
    revisions.create(
        {
            "return_id": str,
            "version": int,
            "school_id": str,
            "year": int,
            "recorded_on": str,
            "recorded_at": str,
            "position": int,
            "reason": str,
            **_figure_columns(),
        },
        pk=("return_id", "version"),
    )
    revisions.create_index(["year", "recorded_on"])
    db.table("return_deadlines").create(
        {"year": int, "due_on": str, "set_at": str, "moves": int, "moved_reason": str}, pk="year"
    )
    db.table("return_deadline_ids").create({"id": str, "year": int}, pk="id")


def _revision(event: Recorded, school_id: str, year: int) -> dict[str, Any]:
    return {
        "return_id": event.aggregate_id,
        "version": event.version,
        "school_id": school_id,
        "year": year,
        "recorded_on": event["recorded_on"],
        "recorded_at": event.timestamp,
        "position": event.position,
        "reason": event.get("reason"),
        **{name: event["figures"][name] for name in FIGURES},
    }


@view.handles(topic(AnnualReturn, "Filed"))
def filed(event: Recorded, rows: Rows) -> None:
    rows.put(
        "annual_returns",
        {
            "id": event.aggregate_id,
            "school_id": event["school_id"],
            "year": event["year"],
            "deadline": event["deadline"],
            "late": int(event["late"]),
            "filed_on": event["recorded_on"],
            "filed_at": event.timestamp,
            "filed_position": event.position,
            "revisions": 1,
            "corrected_on": None,
            **{name: event["figures"][name] for name in FIGURES},
        },
    )
    rows.put("return_revisions", _revision(event, event["school_id"], event["year"]))


@view.handles(topic(AnnualReturn, "Corrected"))
def corrected(event: Recorded, rows: Rows) -> None:
    filing = rows.get("annual_returns", event.aggregate_id)
    assert filing is not None, f"no return {event.aggregate_id}"
    rows.put("return_revisions", _revision(event, filing["school_id"], filing["year"]))
    rows.put(
        "annual_returns",
        {
            "id": event.aggregate_id,
            "revisions": filing["revisions"] + 1,
            "corrected_on": event["recorded_on"],
            **{name: event["figures"][name] for name in FIGURES},
        },
    )


@view.handles(topic(ReturnDeadline, "Set"))
def deadline_set(event: Recorded, rows: Rows) -> None:
    rows.put(
        "return_deadlines",
        {
            "year": event["year"],
            "due_on": event["due_on"],
            "set_at": event.timestamp,
            "moves": 0,
            "moved_reason": None,
        },
    )
    rows.put("return_deadline_ids", {"id": event.aggregate_id, "year": event["year"]})


@view.handles(topic(ReturnDeadline, "Moved"))
def deadline_moved(event: Recorded, rows: Rows) -> None:
    known = rows.get("return_deadline_ids", event.aggregate_id)
    assert known is not None, f"no deadline {event.aggregate_id}"
    deadline = rows.get("return_deadlines", known["year"])
    assert deadline is not None
    rows.put(
        "return_deadlines",
        {
            "year": known["year"],
            "due_on": event["due_on"],
            "moves": deadline["moves"] + 1,
            "moved_reason": event["reason"],
        },
    )


# --- queries -----------------------------------------------------------------------------------

PERCENT = Decimal("0.1")


def ratio(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole`` to one decimal (None when ``whole`` is 0)."""
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(PERCENT, ROUND_HALF_UP)


def returns_with_schools(at: int | None) -> str:
    """SQL for ``FROM``: the returns ``r`` with their schools ``s``, as of ``at``."""
    return (
        f"{source('annual_returns', at, 'r')}"
        f" LEFT JOIN {source('schools', at, 's')} ON s.id = r.school_id"
    )


def deadline_of(db: Database, year: int, *, at: int | None = None) -> date | None:
    """The year's filing deadline as it stands (None if none was set)."""
    found = list(
        db.query(f"SELECT due_on FROM {source('return_deadlines', at)} WHERE year = ?", [year])
    )
    return date.fromisoformat(found[0]["due_on"]) if found else None


def revisions_by(
    year: int, by: date | None, first_only: bool = False, *, at: int | None = None
) -> str:
    """SQL selecting, per return of ``year``, the revision on record at the end of ``by``
    (None: the latest; ``first_only``: the filing), as of ``at``."""
    revisions = source("return_revisions", at, "v")
    if first_only:
        return f"SELECT v.* FROM {revisions} WHERE v.year = {int(year)} AND v.version = 1"
    if by is None:
        return (
            f"SELECT v.* FROM {source('annual_returns', at, 'r')} JOIN {revisions}"
            f" ON v.return_id = r.id AND v.version = r.revisions WHERE r.year = {int(year)}"
        )
    b = f"'{by.isoformat()}'"  # a date's ISO form: safe to inline
    return (
        f"SELECT v.* FROM {revisions} WHERE v.year = {int(year)} AND v.recorded_on <= {b}"
        f" AND v.version = (SELECT max(x.version) FROM {source('return_revisions', at, 'x')}"
        f" WHERE x.return_id = v.return_id AND x.recorded_on <= {b})"
    )


def as_filed_sql(db: Database, year: int, *, at: int | None = None) -> str:
    """The revisions "as filed": by the year's deadline, or each filing if it has none."""
    deadline = deadline_of(db, year, at=at)
    return revisions_by(year, deadline, first_only=deadline is None, at=at)


def _totals(rows: list[dict[str, Any]], year: int) -> dict[str, Any]:
    sums = {name: sum(r[name] for r in rows) for name in FIGURES}
    return {
        "year": year,
        "returns": len(rows),
        "late": sum(r["late"] for r in rows),
        "corrected": sum(r["version"] > 1 for r in rows),
        "sums": sums,
        "senior_share": ratio(sums["senior_students"], sums["students"]),
        "employment_rate": ratio(sums["employed"], sums["graduates"]),
    }


def totals_by_prefecture(
    db: Database, revisions: str, year: int, *, at: int | None = None
) -> dict[str, dict[str, Any]]:
    """Totals (as ``return_totals``) of the chosen revisions per school prefecture."""
    found = db.query(
        f"SELECT v.*, r.late, s.prefecture FROM ({revisions}) v"
        f" JOIN {source('annual_returns', at, 'r')} ON r.id = v.return_id"
        f" LEFT JOIN {source('schools', at, 's')} ON s.id = v.school_id"
    )
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in found:
        grouped.setdefault(row["prefecture"], []).append(row)
    return {prefecture: _totals(rows, year) for prefecture, rows in grouped.items()}


def return_totals(
    db: Database,
    year: int,
    *,
    by: date | None = None,
    as_filed: bool = False,
    prefecture: str | None = None,
    at: int | None = None,
) -> dict[str, Any]:
    """Sums of the year's returns, the senior share and the employment rate (ratios of the
    sums, one decimal), and how many returns were counted, late and corrected.

    Figures as corrected since filing by default; as recorded by the end of ``by``; or
    ``as_filed`` (by the year's deadline). ``prefecture`` is the school's.
    """
    revisions = as_filed_sql(db, year, at=at) if as_filed else revisions_by(year, by, at=at)
    where = " WHERE s.prefecture = ?" if prefecture else ""
    rows = list(
        db.query(
            f"SELECT v.*, r.late FROM ({revisions}) v"
            f" JOIN {source('annual_returns', at, 'r')} ON r.id = v.return_id"
            f" LEFT JOIN {source('schools', at, 's')} ON s.id = v.school_id{where}",
            [prefecture] if prefecture else [],
        )
    )
    return _totals(rows, year)


def list_returns(
    db: Database,
    *,
    year: int | None = None,
    school_id: str | None = None,
    prefecture: str | None = None,
    late: bool | None = None,
    corrected: bool | None = None,
    limit: int = 50,
    offset: int = 0,
    at: int | None = None,
) -> Page:
    """Returns by year (newest first) and school name, with the school's name and
    prefecture and the figures as corrected since filing."""
    where = Where()
    where.add_if(year, "r.year = ?")
    where.add_if(school_id, "r.school_id = ?")
    where.add_if(
        prefecture,
        f"r.school_id IN (SELECT id FROM {source('schools', at)} WHERE prefecture = ?)",
    )
    if late is not None:
        where.add("r.late = ?", int(late))
    if corrected is not None:
        where.add("r.revisions > 1" if corrected else "r.revisions = 1")
    found = page(
        db,
        select="r.*, s.name AS school_name, s.prefecture",
        source=returns_with_schools(at),
        where=where,
        order_by="r.year DESC, s.name, r.school_id",
        limit=limit,
        offset=offset,
    )
    items = [{**row, "late": bool(row["late"])} for row in found.items]
    return Page(items, found.total, limit, offset)


def annual_return(
    db: Database, school_id: str, year: int, *, at: int | None = None
) -> dict[str, Any] | None:
    """One school's return for one year with every revision (``revision_list``) and
    ``as_filed``, the figures on record by the year's deadline (None if filed after it)."""
    found = list(
        db.query(
            f"SELECT r.*, s.name AS school_name, s.prefecture FROM {returns_with_schools(at)}"
            " WHERE r.school_id = ? AND r.year = ?",
            [school_id, year],
        )
    )
    if not found:
        return None
    row = {**as_stood(found[0]), "late": bool(found[0]["late"])}
    revisions = list(
        db.query(
            "SELECT version, recorded_on, recorded_at, position, reason, "
            + ", ".join(FIGURES)
            + f" FROM {source('return_revisions', at)} WHERE return_id = ? ORDER BY version",
            [row["id"]],
        )
    )
    deadline = deadline_of(db, year, at=at)
    on_record = [
        r for r in revisions if deadline is None or r["recorded_on"] <= deadline.isoformat()
    ]
    chosen = on_record[:1] if deadline is None else on_record[-1:]
    row["revision_list"] = revisions
    row["as_filed"] = {name: chosen[0][name] for name in FIGURES} if chosen else None
    return row


def return_deadlines(db: Database, *, at: int | None = None) -> list[dict[str, Any]]:
    """Every year's filing deadline as it stands, newest year first."""
    found = db.query(f"SELECT * FROM {source('return_deadlines', at)} ORDER BY year DESC")
    return [as_stood(row) for row in found]
