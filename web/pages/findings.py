"""Compliance findings and upcoming notices, scoped by role: a school's, an enterprise's,
a prefecture's or the whole province's (docs/findings.md for the rules and their sources).

Findings are judged for a day: the date picker chooses it (default today); those events
opened are listed with those computed from effective dates for that day.
"""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from domain.prefectures import PREFECTURES
from projections import finding_queries
from projections.finding_rules import RULES, FindingState, Severity
from web.access import READERS, finding_scope
from web.addresses import subject_url
from web.auth import requires, user
from web.finding_rows import shown
from web.lists import list_request, render_list
from web.reads import answer, names_of, read

bp = Blueprint("findings", __name__, url_prefix="/findings")

NOTICES_SHOWN = 20


@bp.get("/")
@requires(*READERS[bp.name])
def index() -> ResponseReturnValue:
    asked = list_request(
        {
            "rule": RULES,
            "severity": Severity,
            "state": FindingState,
            "prefecture": PREFECTURES,
        }
    )
    limits = finding_scope(user())
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
