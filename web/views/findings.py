"""Compliance findings and upcoming notices, scoped by role: a school's, an enterprise's,
a prefecture's or the whole province's (docs/findings.md for the rules and their sources).

Findings are judged for a day: the date picker chooses it (default today); those events
opened are listed with those computed from effective dates for that day.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, url_for
from flask.typing import ResponseReturnValue

from domain.actors import Role
from domain.prefectures import PREFECTURES
from projections import finding_queries
from projections.finding_rules import RULES, FindingState, RuleId, Severity
from web import labels
from web.auth import SignedIn, requires, user
from web.lists import list_request, render_list
from web.reads import answer, names_of, read

bp = Blueprint("findings", __name__, url_prefix="/findings")

READERS = (
    Role.PROVINCE_ADMIN,
    Role.AUDITOR,
    Role.PREFECTURE_OFFICER,
    Role.SCHOOL_USER,
    Role.ENTERPRISE_USER,
)
NOTICES_SHOWN = 20


def scope(signed_in: SignedIn) -> dict[str, str | None]:
    """The findings a user's role reaches: a school's, an enterprise's, a prefecture's."""
    if signed_in.role is Role.SCHOOL_USER:
        return {"school": str(signed_in.party_id)}
    if signed_in.role is Role.ENTERPRISE_USER:
        return {"enterprise": str(signed_in.party_id)}
    if signed_in.role is Role.PREFECTURE_OFFICER:
        return {"prefecture": signed_in.prefecture}
    return {}


def subject_url(finding: dict[str, Any]) -> str | None:
    """The page of what a finding is about, where the registry has one."""
    kind, subject = finding["subject_type"], finding["subject_id"]
    pages = _pages()
    if kind in ("placement", "teacher", "agreement"):
        return f"{pages[kind]}{subject}"
    if kind == "school" and finding["rule"] != RuleId.RETURN_MISSING:
        return f"{pages['school']}{subject}"
    if kind == "return" and finding.get("school_id") and finding["detail"].get("year"):
        return f"{pages['return']}{finding['school_id']}/{finding['detail']['year']}"
    if finding.get("agreement_id"):
        return f"{pages['agreement']}{finding['agreement_id']}"
    return None


def shown(finding: dict[str, Any], names: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A finding as its row shows it, words and addresses worked out once, here."""
    parties = (finding.get("school_id"), finding.get("enterprise_id"))
    return {
        "rule": finding["rule"],
        "title": labels.label(labels.RULES, finding["rule"]),
        "severity": finding["severity"],
        "severity_name": labels.label(labels.FINDING_SEVERITIES, finding["severity"]),
        "source": finding["source"],
        "link": subject_url(finding),
        "detail": " · ".join(
            f"{labels.label(labels.DETAILS, key)}: {labels.detail_value(key, value)}"
            for key, value in finding["detail"].items()
        ),
        "concerns": [names[p]["name"] for p in parties if p and p in names],
        "opened_on": finding["opened_on"],
        "open": finding["state"] == FindingState.OPEN,
        "closed_on": finding["closed_on"],
    }


def _pages() -> dict[str, str]:
    """Where each kind of record's pages live (their addresses are the prefix and its id)."""
    found: dict[str, str] | None = g.get("record_pages")
    if found is None:
        found = g.record_pages = {
            "placement": url_for("placements.index"),
            "teacher": url_for("teachers.index"),
            "agreement": url_for("agreements.index"),
            "school": url_for("schools.index"),
            "return": url_for("returns.index"),
        }
    return found


@bp.get("/")
@requires(*READERS)
def index() -> ResponseReturnValue:
    asked = list_request(
        {
            "rule": RULES,
            "severity": Severity,
            "state": FindingState,
            "prefecture": PREFECTURES,
        }
    )
    limits = scope(user())
    school, enterprise = limits.get("school"), limits.get("enterprise")
    prefecture = limits.get("prefecture") or asked.filters["prefecture"]
    day = asked.moment.effective_day
    with read(asked.moment) as db:
        found = answer(
            finding_queries.findings,
            db,
            on=day,
            rule=asked.filters["rule"],
            severity=asked.filters["severity"],
            state=asked.filters["state"],
            school=school,
            enterprise=enterprise,
            prefecture=prefecture,
            limit=asked.limit,
            offset=asked.offset,
        )
        by_rule = answer(
            finding_queries.count_findings,
            db,
            by="rule",
            on=day,
            state=FindingState.OPEN,
            school=school,
            enterprise=enterprise,
            prefecture=prefecture,
        )
        notices = answer(
            finding_queries.upcoming,
            db,
            on=day,
            school=school,
            enterprise=enterprise,
            prefecture=limits.get("prefecture"),
            limit=NOTICES_SHOWN,
        )
        names = names_of(
            db,
            [
                party
                for row in [*found.items, *notices.items]
                for party in (row.get("school_id"), row.get("enterprise_id"))
            ],
        )
    return render_list(
        "findings/index.html",
        asked,
        page=found,
        rows=[shown(row, names) for row in found.items],
        by_rule=by_rule,
        notices=notices,
        names=names,
        scope=limits,
        day=day,
        rules=RULES,
        subject_url=subject_url,
    )
