"""Enterprise investment in agreements, per year, with the creditable offset (§四(七)2).

A certified 产教融合型企业 may offset 30% of its investment against that year's education
surcharges. Certification is effective-dated (``Enterprise.certified_during``): an
investment counts as certified when the enterprise held the certification on the day it
was invested, whenever the certification itself was recorded.

Tables: ``investments`` (one row per investment, as last corrected) and
``investment_certifications`` (each enterprise's certification periods, ``starts_on``
inclusive, ``ends_on`` exclusive), kept from the events. Queries find each investment's
enterprise through the agreements view (``agreements.enterprise_id``, indexed) and names
through the enterprises view. Amounts are exact decimal yuan, summed with ``Decimal``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlite_utils import Database

from domain.agreement import CooperationAgreement
from domain.enterprise import Enterprise
from projections.engine import Recorded, Rows, View, Where, as_stood, source, topic

view = View("investments", version=1)

CREDITABLE_SHARE = Decimal("0.3")


@view.migrations()
def m001_investments(db: Database) -> None:
    db.table("investments").create(
        {
            "agreement_id": str,
            "number": int,
            "kind": str,
            "amount": str,
            "invested_on": str,
            "year": int,
            "description": str,
            "recorded_at": str,
        },
        pk=("agreement_id", "number"),
    )
    db.table("investments").create_index(["year"])
    db.table("investment_certifications").create(
        {"enterprise_id": str, "number": int, "starts_on": str, "ends_on": str},
        pk=("enterprise_id", "number"),
    )


@view.handles(topic(CooperationAgreement, "InvestmentRecorded"))
def investment_recorded(event: Recorded, rows: Rows) -> None:
    rows.put(
        "investments",
        {
            "agreement_id": event.aggregate_id,
            "number": event["number"],
            "kind": event["kind"],
            "amount": event["amount"],
            "invested_on": event["invested_on"],
            "year": int(event["invested_on"][:4]),
            "description": event["description"],
            "recorded_at": event.timestamp,
        },
    )


@view.handles(topic(CooperationAgreement, "InvestmentCorrected"))
def investment_corrected(event: Recorded, rows: Rows) -> None:
    rows.put(
        "investments",
        {
            "agreement_id": event.aggregate_id,
            "number": event["number"],
            "amount": event["amount"],
            "invested_on": event["invested_on"],
            "year": int(event["invested_on"][:4]),
        },
    )


@view.handles(topic(Enterprise, "Certified"))
def certified(event: Recorded, rows: Rows) -> None:
    (found,) = rows.select(
        "SELECT count(*) AS n FROM investment_certifications WHERE enterprise_id = ?",
        [event.aggregate_id],
    )
    rows.put(
        "investment_certifications",
        {
            "enterprise_id": event.aggregate_id,
            "number": found["n"] + 1,
            "starts_on": event["on"],
            "ends_on": None,
        },
    )


@view.handles(topic(Enterprise, "Decertified"))
def decertified(event: Recorded, rows: Rows) -> None:
    rows.execute(
        "UPDATE investment_certifications SET ends_on = ? WHERE enterprise_id = ? AND number ="
        " (SELECT max(number) FROM investment_certifications WHERE enterprise_id = ?)",
        [event["on"], event.aggregate_id, event.aggregate_id],
    )


# --- queries --------------------------------------------------------------------------------


def _investments(at: int | None) -> str:
    """FROM clause: investments ``i`` with their agreement ``a``."""
    return (
        f"{source('investments', at, 'i')}"
        f" JOIN {source('agreements', at, 'a')} ON a.id = i.agreement_id"
    )


def _certified(at: int | None) -> str:
    """SQL: the enterprise held the certification on the day of the investment."""
    return (
        f"EXISTS (SELECT 1 FROM {source('investment_certifications', at, 'c')}"
        " WHERE c.enterprise_id = a.enterprise_id AND c.starts_on <= i.invested_on"
        " AND (c.ends_on IS NULL OR i.invested_on < c.ends_on))"
    )


def _where(
    year: int | None,
    enterprise_id: str | None,
    agreement_id: str | None,
    prefecture: str | None,
    at: int | None,
) -> Where:
    where = Where()
    where.add_if(year, "i.year = ?")
    where.add_if(enterprise_id, "a.enterprise_id = ?")
    where.add_if(agreement_id, "i.agreement_id = ?")
    where.add_if(
        prefecture,
        f"a.enterprise_id IN (SELECT id FROM {source('enterprises', at)} WHERE prefecture = ?)",
    )
    return where


def list_investments(
    db: Database,
    *,
    year: int | None = None,
    enterprise_id: str | None = None,
    agreement_id: str | None = None,
    prefecture: str | None = None,
    at: int | None = None,
) -> list[dict[str, Any]]:
    """Investments in date order, each with ``certified``: held the certification that day.

    ``at``: as of that position (projections/engine/asof.py), as in ``investment_by_year``.
    """
    where = _where(year, enterprise_id, agreement_id, prefecture, at)
    found = db.query(
        f"SELECT i.*, a.enterprise_id, a.school_id, {_certified(at)} AS certified"
        f" FROM {_investments(at)}{where.sql}"
        " ORDER BY i.invested_on, i.agreement_id, i.number",
        where.params,
    )
    return [
        {**as_stood(row), "amount": Decimal(row["amount"]), "certified": bool(row["certified"])}
        for row in found
    ]


def investment_by_year(
    db: Database,
    *,
    year: int | None = None,
    enterprise_id: str | None = None,
    prefecture: str | None = None,
    at: int | None = None,
) -> list[dict[str, Any]]:
    """Per enterprise and year: ``total``, ``certified_total`` and ``creditable`` (30% of it).

    ``prefecture`` is the enterprise's (from the enterprises view). Ordered by year, then
    enterprise name.
    """
    where = _where(year, enterprise_id, None, prefecture, at)
    found = db.query(
        f"SELECT a.enterprise_id, i.year, i.amount, {_certified(at)} AS certified,"
        f" e.name AS enterprise_name FROM {_investments(at)}"
        f" LEFT JOIN {source('enterprises', at, 'e')} ON e.id = a.enterprise_id{where.sql}",
        where.params,
    )
    sums: dict[tuple[int, str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in found:
        amounts = sums[(row["year"], row["enterprise_name"] or "", row["enterprise_id"])]
        amounts[0] += Decimal(row["amount"])
        if row["certified"]:
            amounts[1] += Decimal(row["amount"])
    return [
        {
            "enterprise_id": enterprise,
            "enterprise_name": name,
            "year": year_,
            "total": total,
            "certified_total": certified_total,
            "creditable": certified_total * CREDITABLE_SHARE,
        }
        for (year_, name, enterprise), (total, certified_total) in sorted(sums.items())
    ]
