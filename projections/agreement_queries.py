"""What agreement pages ask: filtered lists, counts by each filter, one agreement.

Filters (all optional, combined with AND):
- ``prefecture``: either party is located there (an agreement between a school in one
  prefecture and an enterprise in another belongs to both);
- ``mode``: the agreed terms include the mode;
- ``status``: the state on ``on`` (default today, Asia/Shanghai), as
  ``CooperationAgreement.status_on`` defines it: proposed, declined, not_yet_started, active,
  suspended, expired, terminated. Expiry and the start date need no event: they follow from
  the dates;
- ``industry``: the enterprise's industry (as it is now);
- ``party``: the school or the enterprise.

Every query takes ``at``: the answer as of that position (projections/engine/asof.py), default
now. ``on`` is the effective date (the day whose state is asked, from the dates users
entered), ``at`` the recorded state asked about: ``status="active", on=D`` are the
agreements in force on D as known now, ``at=position_on(db, D)`` as recorded by D.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlite_utils import Database

from domain.agreement import Side, Status, StatusOn
from projections.engine import Page, Where, as_stood, counts, page, source
from projections.vocabulary import sql_list, sql_text
from registry.clock import today

STATUSES = tuple(StatusOn)
SIDES = tuple(Side)
# the recorded states of an agreement that was countersigned: its state on a day follows
# from its dates
SIGNED = sql_list(Status.COUNTERSIGNED, Status.SUSPENDED, Status.TERMINATED)
# the side whose answer an agreement waits for: a proposal from the other side, or an
# amendment the other side proposed
AWAITING = (
    f"((a.status = {sql_text(Status.PROPOSED)} AND a.proposed_by != ?)"
    " OR json_extract(a.pending_amendment, '$.proposed_by') != ?)"
)
# the recorded states of an agreement never countersigned: its state on any day is the same
UNSIGNED = (Status.PROPOSED, Status.DECLINED, Status.WITHDRAWN)
COUNTABLE = ("prefecture", "mode", "status", "industry", "school", "enterprise")
_JSON = ("modes", "majors", "pending_amendment")


def agreements_with_parties(at: int | None = None) -> str:
    """FROM clause: agreements ``a`` with their school ``s`` and enterprise ``e``."""
    return (
        f"{source('agreements', at, 'a')}"
        f" JOIN {source('agreement_parties', at, 's')} ON s.party_id = a.school_id"
        f" JOIN {source('agreement_parties', at, 'e')} ON e.party_id = a.enterprise_id"
    )


PARTY_COLUMNS = (
    "s.name AS school_name, s.prefecture AS school_prefecture,"
    " e.name AS enterprise_name, e.prefecture AS enterprise_prefecture, e.industry"
)


def status_on(day: date, at: int | None = None) -> str:
    """SQL for an agreement's state on ``day``, mirroring ``CooperationAgreement.status_on``.

    ``at``: with the agreement's suspensions as of that position (``a`` must be too).
    """
    d = f"'{day.isoformat()}'"  # a date's ISO form: safe to inline
    suspensions = source("agreement_suspensions", at, "s")
    return (
        "CASE"
        f" WHEN a.status IN {sql_list(*UNSIGNED)} THEN a.status"
        f" WHEN a.terminated_on IS NOT NULL AND {d} >= a.terminated_on"
        f" THEN {sql_text(StatusOn.TERMINATED)}"
        f" WHEN {d} > a.ends_on THEN {sql_text(StatusOn.EXPIRED)}"
        f" WHEN {d} < a.starts_on THEN {sql_text(StatusOn.NOT_YET_STARTED)}"
        f" WHEN EXISTS (SELECT 1 FROM {suspensions} WHERE s.agreement_id = a.id"
        f" AND s.starts_on <= {d} AND (s.ends_on IS NULL OR {d} < s.ends_on))"
        f" THEN {sql_text(StatusOn.SUSPENDED)}"
        f" ELSE {sql_text(StatusOn.ACTIVE)} END"
    )


def _where(
    day: date,
    prefecture: str | None,
    mode: str | None,
    status: str | None,
    industry: str | None,
    party: str | None,
    awaiting: str | None = None,
    at: int | None = None,
) -> Where:
    where = Where()
    parties = source("agreement_parties", at)
    if awaiting is not None:
        if awaiting not in SIDES:
            raise ValueError(f"awaiting must be one of {SIDES}, not {awaiting!r}")
        where.add(AWAITING, awaiting, awaiting)
    where.add_if(
        prefecture,
        f"(a.school_id IN (SELECT party_id FROM {parties} WHERE prefecture = ?)"
        f" OR a.enterprise_id IN (SELECT party_id FROM {parties} WHERE prefecture = ?))",
        2,
    )
    where.add_if(
        mode,
        f"a.id IN (SELECT agreement_id FROM {source('agreement_modes', at)} WHERE mode = ?)",
    )
    if status is not None:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
        if status in UNSIGNED:
            where.add("a.status = ?", status)
        else:
            where.add(f"a.status IN {SIGNED} AND {status_on(day, at)} = ?", status)
    where.add_if(
        industry, f"a.enterprise_id IN (SELECT party_id FROM {parties} WHERE industry = ?)"
    )
    where.add_if(party, "(a.school_id = ? OR a.enterprise_id = ?)", 2)
    return where


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    for column in _JSON:
        if row.get(column) is not None:
            row[column] = json.loads(row[column])
    return row


def list_agreements(
    db: Database,
    *,
    prefecture: str | None = None,
    mode: str | None = None,
    status: str | None = None,
    industry: str | None = None,
    party: str | None = None,
    awaiting: str | None = None,
    on: date | None = None,
    newest_first: bool = False,
    limit: int = 50,
    offset: int = 0,
    at: int | None = None,
) -> Page:
    """Agreements, newest start first (``newest_first``: the latest proposed first), each
    with its ``status_on`` the day ``on``.

    ``awaiting`` (``school`` or ``enterprise``) keeps those waiting for that side's answer:
    a proposal the other side made, or an amendment the other side proposed.
    """
    day = on or today()
    found = page(
        db,
        select=f"a.*, {status_on(day, at)} AS status_on, {PARTY_COLUMNS}",
        source=agreements_with_parties(at),
        where=_where(day, prefecture, mode, status, industry, party, awaiting, at),
        order_by="a.proposed_at DESC, a.id" if newest_first else "a.starts_on DESC, a.id",
        limit=limit,
        offset=offset,
    )
    return Page([_decoded(row) for row in found.items], found.total, limit, offset)


def count_agreements(
    db: Database,
    by: str,
    *,
    prefecture: str | None = None,
    mode: str | None = None,
    status: str | None = None,
    industry: str | None = None,
    party: str | None = None,
    on: date | None = None,
    at: int | None = None,
) -> dict[str, int]:
    """Agreements matching the filters, counted by one of ``COUNTABLE``.

    By prefecture, an agreement counts once in each of its parties' prefectures; by mode,
    once for each mode it includes. Counts by the other keys add up to the total.
    """
    day = on or today()
    where = _where(day, prefecture, mode, status, industry, party, at=at)
    joined = agreements_with_parties(at)
    if by == "prefecture":
        sql = (
            "SELECT key, count(*) AS n FROM ("
            f"SELECT a.id, s.prefecture AS key FROM {joined}{where.sql} UNION "
            f"SELECT a.id, e.prefecture FROM {joined}{where.sql}) GROUP BY key"
        )
        return counts(db.query(sql, where.params * 2))
    if by == "mode":
        where.add("a.id = m.agreement_id")
        sql = (
            "SELECT m.mode AS key, count(*) AS n"
            f" FROM {source('agreement_modes', at, 'm')}, {source('agreements', at, 'a')}"
            f"{where.sql}"
        )
        return counts(db.query(sql + " GROUP BY m.mode", where.params))
    keys = {
        "status": status_on(day, at),
        "industry": "e.industry",
        "school": "a.school_id",
        "enterprise": "a.enterprise_id",
    }
    if by not in keys:
        raise ValueError(f"agreements are counted by one of {COUNTABLE}, not {by!r}")
    sql = f"SELECT {keys[by]} AS key, count(*) AS n FROM {joined}{where.sql} GROUP BY key"
    return counts(db.query(sql, where.params))


def agreement(
    db: Database, agreement_id: str, on: date | None = None, at: int | None = None
) -> dict[str, Any] | None:
    """One agreement with its state on ``on`` and its suspensions."""
    day = on or today()
    found = list(
        db.query(
            f"SELECT a.*, {status_on(day, at)} AS status_on, {PARTY_COLUMNS}"
            f" FROM {agreements_with_parties(at)} WHERE a.id = ?",
            [agreement_id],
        )
    )
    if not found:
        return None
    suspensions = db.query(
        "SELECT number, starts_on, ends_on"
        f" FROM {source('agreement_suspensions', at)}"
        " WHERE agreement_id = ? ORDER BY number",
        [agreement_id],
    )
    return {**_decoded(as_stood(found[0])), "suspension_periods": list(suspensions)}


def renewals_of(db: Database, agreement_id: str, at: int | None = None) -> list[dict[str, Any]]:
    """The agreements proposed as renewals of this one, the newest start first."""
    return list(
        db.query(
            f"SELECT id, title, status, starts_on, ends_on FROM {source('agreements', at)}"
            " WHERE renews = ? ORDER BY starts_on DESC, id",
            [agreement_id],
        )
    )
