"""What supervisors ask: findings for a day, their counts, and upcoming notices.

``findings(db, on=D, …)`` answers both kinds together: those events opened (the findings
view's rows, opened on or before D) and those computed for D
(projections/computed_findings.py). A finding is ``open`` on D when it has not closed by
then. Filters: ``rule``, ``severity``, ``school``, ``enterprise``, ``prefecture`` (the
school's or the enterprise's, or the prefecture a 专栏3 finding is about) and ``state``.
Newest first: by opened day, then rule and id.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from domain.agreement import Side, Status
from domain.teacher_practice import REQUIRED_DAYS, five_years_before
from projections.computed_findings import COMPUTED, IN_LIST_LIMIT, Scope
from projections.engine import MAX_LIMIT, Page, Where, as_stood, source
from projections.finding_rules import (
    DATE_RULES,
    EVENT_RULES,
    RULES,
    FindingState,
    Notice,
    RuleId,
    Severity,
)
from projections.practice import falls_short_within
from projections.teachers import periods_of, practice_days_on
from projections.vocabulary import sql_list
from registry.caches import PerObject
from registry.clock import today

COUNTABLE = ("rule", "severity", "state")
IN_FORCE = sql_list(Status.COUNTERSIGNED, Status.SUSPENDED)
POLICIES_AHEAD = AGREEMENTS_AHEAD = 30
PRACTICE_AHEAD = 90


def _rules(rule: str | None, severity: str | None) -> list[RuleId]:
    if rule is not None and rule not in RULES:
        raise ValueError(f"rule must be one of {tuple(RULES)}, not {rule!r}")
    if severity is not None and severity not in set(Severity):
        raise ValueError(f"severity must be one of {tuple(Severity)}, not {severity!r}")
    return [
        r.id
        for r in RULES.values()
        if (rule is None or r.id == rule) and (severity is None or r.severity == severity)
    ]


def _prefectures(db: Database, at: int | None) -> dict[str, str]:
    return {
        row["party_id"]: row["prefecture"]
        for row in db.query(f"SELECT party_id, prefecture FROM {source('agreement_parties', at)}")
    }


def _state(item: dict[str, Any], day: str) -> str:
    closed_on = item["closed_on"]
    return FindingState.OPEN if closed_on is None or closed_on > day else FindingState.CLOSED


def _shown(item: dict[str, Any], day: str) -> dict[str, Any]:
    """The finding as it stood on ``day``: a closing dated later is not shown yet."""
    rule = RULES[item["rule"]]
    detail = item["detail"]
    if item["closed_on"] is not None and item["closed_on"] > day:
        item = {**item, "closed_on": None, "closed_position": None}
    return {
        **item,
        "detail": json.loads(detail) if isinstance(detail, str) else detail,
        "state": _state(item, day),
        "source": rule.source,
        "severity": rule.severity,
        "opened_by": rule.opened_by,
    }


def _event_where(
    day: str,
    rules: list[RuleId],
    school: str | None,
    enterprise: str | None,
    prefecture: str | None,
    state: str | None,
    at: int | None,
) -> Where:
    where = Where()
    where.add("f.opened_on <= ?", day)
    where.add(f"f.rule IN ({', '.join('?' for _ in rules)})", *rules)
    where.add_if(school, "f.school_id = ?")
    where.add_if(enterprise, "f.enterprise_id = ?")
    where.add_if(
        prefecture,
        f"(f.school_id IN (SELECT party_id FROM {source('agreement_parties', at)}"
        " WHERE prefecture = ?)"
        f" OR f.enterprise_id IN (SELECT party_id FROM {source('agreement_parties', at)}"
        " WHERE prefecture = ?))",
        2,
    )
    if state == FindingState.OPEN:
        where.add("(f.closed_on IS NULL OR f.closed_on > ?)", day)
    elif state == FindingState.CLOSED:
        where.add("f.closed_on <= ?", day)
    return where


def _computed(
    db: Database,
    day: date,
    rules: Iterable[RuleId],
    school: str | None,
    enterprise: str | None,
    prefecture: str | None,
    state: str | None,
    at: int | None,
) -> list[dict[str, Any]]:
    rules = list(rules)
    if not rules:
        return []
    scope = Scope(school, enterprise)
    where_is = _prefectures(db, at) if prefecture else {}
    found = []
    for rule in rules:
        for item in _population(db, rule, day, scope, at):
            if school and item["school_id"] != school:
                continue
            if enterprise and item["enterprise_id"] != enterprise:
                continue
            if prefecture and prefecture not in (
                where_is.get(item["school_id"]),
                where_is.get(item["enterprise_id"]),
                item["subject_id"] if item["subject_type"] == "prefecture" else None,
            ):
                continue
            if state and _state(item, day.isoformat()) != state:
                continue
            found.append(item)
    return found


_COMPUTED: PerObject[tuple[Any, ...], list[dict[str, Any]]] = PerObject()


def _population(
    db: Database, rule: RuleId, day: date, scope: Scope, at: int | None
) -> list[dict[str, Any]]:
    """A date rule's findings on ``day``, worked out once per snapshot.

    A page asks for the findings and for their counts by rule, and both need the day's
    computed findings: they are remembered for the ``Database`` object, which reads one
    snapshot (``ReadModels.reading`` makes one per block), per position ``at`` it is read
    as of (None: now).
    """
    return _COMPUTED.remembered(
        db, (rule, day, scope, at), lambda: list(COMPUTED[rule](db, day, scope, at))
    )


def _newest_first(item: dict[str, Any]) -> tuple[Any, ...]:
    return (-date.fromisoformat(item["opened_on"]).toordinal(), item["rule"], item["id"])


def _check(state: str | None, limit: int, offset: int) -> None:
    if state is not None and state not in set(FindingState):
        raise ValueError(f"state must be one of {tuple(FindingState)}, not {state!r}")
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise ValueError(f"limit must be 1–{MAX_LIMIT} and offset at least 0")


def findings(
    db: Database,
    *,
    on: date | None = None,
    rule: str | None = None,
    severity: str | None = None,
    school: str | None = None,
    enterprise: str | None = None,
    prefecture: str | None = None,
    state: str | None = None,
    limit: int = 50,
    offset: int = 0,
    at: int | None = None,
) -> Page:
    """Findings on ``on`` (default today), events' and computed ones together, newest first.

    Each item: ``id``, ``rule`` with its ``source`` section, ``severity`` and
    ``opened_by`` (``event`` or ``date``), the subject (``subject_type``, ``subject_id``,
    ``subject_key``), ``school_id``/``enterprise_id``/``agreement_id``, ``opened_on`` and
    ``opened_position`` (None when computed), ``closed_on`` and ``closed_position``,
    ``state`` on ``on`` and ``detail``.
    """
    _check(state, limit, offset)
    day = on or today()
    rules = _rules(rule, severity)
    event_rules = [r for r in rules if r in EVENT_RULES]
    computed = _computed(
        db, day, [r for r in rules if r in DATE_RULES], school, enterprise, prefecture, state, at
    )
    total, stored = 0, []
    if event_rules:
        text = day.isoformat()
        where = _event_where(text, event_rules, school, enterprise, prefecture, state, at)
        opened = source("findings", at, "f")
        total = db.execute(f"SELECT count(*) FROM {opened}{where.sql}", where.params).fetchone()[0]
        stored = [
            as_stood(row)
            for row in db.query(
                f"SELECT f.* FROM {opened}{where.sql}"
                " ORDER BY f.opened_on DESC, f.rule, f.id LIMIT ?",
                [*where.params, offset + limit],
            )
        ]
    merged = sorted([*stored, *computed], key=_newest_first)[offset : offset + limit]
    items = [_shown(item, day.isoformat()) for item in merged]
    return Page(items, total + len(computed), limit, offset)


def count_findings(
    db: Database,
    by: str,
    *,
    on: date | None = None,
    rule: str | None = None,
    severity: str | None = None,
    school: str | None = None,
    enterprise: str | None = None,
    prefecture: str | None = None,
    state: str | None = None,
    at: int | None = None,
) -> dict[str, int]:
    """Findings on ``on`` matching the filters, counted by ``rule``, ``severity`` or
    ``state``."""
    if by not in COUNTABLE:
        raise ValueError(f"findings are counted by one of {COUNTABLE}, not {by!r}")
    _check(state, 1, 0)
    day = on or today()
    text = day.isoformat()
    rules = _rules(rule, severity)
    by_rule_state: Counter[tuple[str, str]] = Counter()
    event_rules = [r for r in rules if r in EVENT_RULES]
    if event_rules:
        where = _event_where(text, event_rules, school, enterprise, prefecture, state, at)
        for row in db.query(
            "SELECT f.rule, (f.closed_on IS NULL OR f.closed_on > ?) AS open, count(*) AS n"
            f" FROM {source('findings', at, 'f')}{where.sql} GROUP BY f.rule, open",
            [text, *where.params],
        ):
            state_then = FindingState.OPEN if row["open"] else FindingState.CLOSED
            by_rule_state[(row["rule"], state_then)] += row["n"]
    for item in _computed(
        db, day, [r for r in rules if r in DATE_RULES], school, enterprise, prefecture, state, at
    ):
        by_rule_state[(item["rule"], _state(item, text))] += 1
    counted: Counter[str] = Counter()
    for (rule_id, rule_state), n in by_rule_state.items():
        severity = RULES[RuleId(rule_id)].severity
        key = {"rule": rule_id, "severity": severity, "state": rule_state}[by]
        counted[key] += n
    return dict(counted)


# --- upcoming notices ------------------------------------------------------------------------


def _policies_ending(db: Database, day: date, at: int | None) -> list[dict[str, Any]]:
    until = day + timedelta(days=POLICIES_AHEAD)
    rows = db.query(
        "SELECT p.id, p.holder_id, p.kind, p.policy_number, p.covers_until, h.side"
        f" FROM {source('policies', at, 'p')}"
        f" LEFT JOIN {source('agreement_parties', at, 'h')} ON h.party_id = p.holder_id"
        " WHERE p.covers_until >= ? AND p.covers_until <= ? AND p.cancelled_on IS NULL",
        [day.isoformat(), until.isoformat()],
    )
    return [
        {
            "notice": Notice.POLICY_ENDING,
            "subject_type": "policy",
            "subject_id": row["id"],
            "school_id": row["holder_id"] if row["side"] == Side.SCHOOL else None,
            "enterprise_id": row["holder_id"] if row["side"] == Side.ENTERPRISE else None,
            "due_on": row["covers_until"],
            "detail": {"kind": row["kind"], "policy_number": row["policy_number"]},
        }
        for row in rows
    ]


def _agreements_ending(db: Database, day: date, at: int | None) -> list[dict[str, Any]]:
    until = day + timedelta(days=AGREEMENTS_AHEAD)
    rows = db.query(
        f"SELECT id, school_id, enterprise_id, ends_on FROM {source('finding_agreements', at)}"
        f" WHERE ends_on >= ? AND ends_on <= ? AND status IN {IN_FORCE}",
        [day.isoformat(), until.isoformat()],
    )
    return [
        {
            "notice": Notice.AGREEMENT_ENDING,
            "subject_type": "agreement",
            "subject_id": row["id"],
            "school_id": row["school_id"],
            "enterprise_id": row["enterprise_id"],
            "due_on": row["ends_on"],
            "detail": {},
        }
        for row in rows
    ]


def _practice_falling_short(db: Database, day: date, at: int | None) -> list[dict[str, Any]]:
    """Teachers meeting the rule on D who fall short within 90 days as old practice leaves
    the window: candidates are those whose practice that stays in the window 90 days on
    (counted up to D) is under 180 days."""
    ahead = day + timedelta(days=PRACTICE_AHEAD)
    staying = practice_days_on(day, window_from=five_years_before(ahead), at=at)
    candidates = list(
        db.query(
            f"SELECT t.id, t.school_id, t.staff_number FROM {source('teachers', at, 't')}"
            f" WHERE {practice_days_on(day, at=at)} >= {REQUIRED_DAYS}"
            f" AND {staying} < {REQUIRED_DAYS}"
        )
    )
    ids = [t["id"] for t in candidates]
    periods = periods_of(db, ids if len(ids) <= IN_LIST_LIMIT else None, at=at)
    notices = []
    for teacher in candidates:
        due_on = falls_short_within(periods.get(teacher["id"], []), day, PRACTICE_AHEAD)
        if due_on is not None:
            notices.append(
                {
                    "notice": Notice.PRACTICE_FALLS_SHORT,
                    "subject_type": "teacher",
                    "subject_id": teacher["id"],
                    "school_id": teacher["school_id"],
                    "enterprise_id": None,
                    "due_on": due_on.isoformat(),
                    "detail": {"staff_number": teacher["staff_number"]},
                }
            )
    return notices


def upcoming(
    db: Database,
    *,
    on: date | None = None,
    notice: str | None = None,
    school: str | None = None,
    enterprise: str | None = None,
    prefecture: str | None = None,
    limit: int = 50,
    offset: int = 0,
    at: int | None = None,
) -> Page:
    """Notices of what comes due after ``on`` (default today), soonest first:
    ``policy_ending`` (a policy's cover ends within 30 days, by its holder),
    ``agreement_ending`` (an agreement in force ends within 30 days) and
    ``practice_falls_short`` (a teacher who meets the 6-months rule falls short within 90
    days as old practice leaves the 5-year window). Each has ``due_on``."""
    if notice is not None and notice not in set(Notice):
        raise ValueError(f"notice must be one of {tuple(Notice)}, not {notice!r}")
    _check(None, limit, offset)
    day = on or today()
    makers = {
        Notice.POLICY_ENDING: _policies_ending,
        Notice.AGREEMENT_ENDING: _agreements_ending,
        Notice.PRACTICE_FALLS_SHORT: _practice_falling_short,
    }
    where_is = _prefectures(db, at) if prefecture else {}
    found = [
        item
        for name, make in makers.items()
        if notice in (None, name)
        for item in make(db, day, at)
        if (school is None or item["school_id"] == school)
        and (enterprise is None or item["enterprise_id"] == enterprise)
        and (
            prefecture is None
            or prefecture in (where_is.get(item["school_id"]), where_is.get(item["enterprise_id"]))
        )
    ]
    found.sort(key=lambda item: (item["due_on"], item["notice"], item["subject_id"]))
    return Page(found[offset : offset + limit], len(found), limit, offset)
