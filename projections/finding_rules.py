"""The compliance rules the registry answers, with the section each comes from.

Two kinds: rules an event opens (a fee reported, a working arrangement, an intermediary
attempt, a major opened, a late filing), kept as rows by the findings view with the
positions of the events that opened and closed them; and rules about states that arrive
with no event (cover lapsing, an overrun, a shortfall, an expiry, a missing return), computed
from effective dates for the day asked. docs/findings.md lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# the plan's period (the 14th five-year plan, 2021–2025): a major "newly opened" by a
# technician college is one opened from 2021 on, and a prefecture's lack of a technician
# college (专栏3) is judged from the plan's first day
PLAN_STARTS = date(2021, 1, 1)
INTERNSHIP_RULES = "§四(六)4, 《职业学校学生实习管理规定》(2021)"


class RuleId(StrEnum):
    """Every rule the registry answers; a new rule is a member here and an entry in RULES."""

    FEE_CHARGED_TO_STUDENT = "fee_charged_to_student"
    PAY_BELOW_80_PERCENT = "pay_below_80_percent"
    NIGHT_SHIFT = "night_shift"
    OVERTIME = "overtime"
    HOLIDAY_WORK = "holiday_work"
    INTERMEDIARY_PLACEMENT = "intermediary_placement"
    CROSS_PARTY_COVER = "cross_party_cover"
    MAJOR_WITHOUT_CO_BUILDER = "major_without_co_builder"
    RETURN_LATE = "return_late"
    COVER_LAPSE = "cover_lapse"
    POST_INTERNSHIP_OVERRUN = "post_internship_overrun"
    TEACHER_SHORT_OF_PRACTICE = "teacher_short_of_practice"
    AGREEMENT_EXPIRED_IN_USE = "agreement_expired_in_use"
    PREFECTURE_WITHOUT_TECHNICIAN_COLLEGE = "prefecture_without_technician_college"
    RETURN_MISSING = "return_missing"


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class OpenedBy(StrEnum):
    """Whether an event opens a rule's findings (kept as rows) or dates do (computed)."""

    EVENT = "event"
    DATE = "date"


class FindingState(StrEnum):
    """A finding on the day asked: not closed by then, or closed on or before it."""

    OPEN = "open"
    CLOSED = "closed"


class Notice(StrEnum):
    """What comes due soon (``finding_queries.upcoming``)."""

    POLICY_ENDING = "policy_ending"
    AGREEMENT_ENDING = "agreement_ending"
    PRACTICE_FALLS_SHORT = "practice_falls_short"


@dataclass(frozen=True)
class Rule:
    id: RuleId
    source: str
    severity: Severity
    opened_by: OpenedBy
    subject: str


RULES: dict[RuleId, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            RuleId.FEE_CHARGED_TO_STUDENT,
            "§四(六)4 严禁向学生违规收取实习实训费用",
            Severity.HIGH,
            OpenedBy.EVENT,
            "placement",
        ),
        Rule(
            RuleId.PAY_BELOW_80_PERCENT,
            INTERNSHIP_RULES,
            Severity.MEDIUM,
            OpenedBy.EVENT,
            "placement",
        ),
        Rule(
            RuleId.NIGHT_SHIFT,
            INTERNSHIP_RULES,
            Severity.HIGH,
            OpenedBy.EVENT,
            "placement",
        ),
        Rule(
            RuleId.OVERTIME,
            INTERNSHIP_RULES,
            Severity.HIGH,
            OpenedBy.EVENT,
            "placement",
        ),
        Rule(
            RuleId.HOLIDAY_WORK,
            INTERNSHIP_RULES,
            Severity.HIGH,
            OpenedBy.EVENT,
            "placement",
        ),
        Rule(
            RuleId.INTERMEDIARY_PLACEMENT,
            INTERNSHIP_RULES,
            Severity.HIGH,
            OpenedBy.EVENT,
            "attempt",
        ),
        Rule(
            RuleId.CROSS_PARTY_COVER,
            "§四(六)4; a policy covers only placements of its holder (docs/placements.md)",
            Severity.HIGH,
            OpenedBy.EVENT,
            "placement",
        ),
        Rule(
            RuleId.MAJOR_WITHOUT_CO_BUILDER,
            "§四(五)3 技师学院新开设专业至少要与1家以上规模以上企业合作共建",
            Severity.MEDIUM,
            OpenedBy.EVENT,
            "school",
        ),
        Rule(
            RuleId.RETURN_LATE,
            "专栏1 items 3–7, §五(三)",
            Severity.LOW,
            OpenedBy.EVENT,
            "return",
        ),
        Rule(
            RuleId.COVER_LAPSE,
            "§四(六)4 工伤保险、实习实训责任保险、人身意外伤害保险",
            Severity.HIGH,
            OpenedBy.DATE,
            "placement",
        ),
        Rule(
            RuleId.POST_INTERNSHIP_OVERRUN,
            INTERNSHIP_RULES,
            Severity.HIGH,
            OpenedBy.DATE,
            "placement",
        ),
        Rule(
            RuleId.TEACHER_SHORT_OF_PRACTICE,
            "§四(三)4 每5年累计至少6个月",
            Severity.MEDIUM,
            OpenedBy.DATE,
            "teacher",
        ),
        Rule(
            RuleId.AGREEMENT_EXPIRED_IN_USE,
            "§四(四), §四(六)4",
            Severity.MEDIUM,
            OpenedBy.DATE,
            "agreement",
        ),
        Rule(
            RuleId.PREFECTURE_WITHOUT_TECHNICIAN_COLLEGE,
            "专栏3 item 1 每个市（州）争创1所技师学院, §四(二)2",
            Severity.MEDIUM,
            OpenedBy.DATE,
            "prefecture",
        ),
        Rule(
            RuleId.RETURN_MISSING,
            "专栏1 items 3–7, §五(三)",
            Severity.MEDIUM,
            OpenedBy.DATE,
            "school",
        ),
    )
}
EVENT_RULES = tuple(r.id for r in RULES.values() if r.opened_by is OpenedBy.EVENT)
DATE_RULES = tuple(r.id for r in RULES.values() if r.opened_by is OpenedBy.DATE)
