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

# the plan's period (the 14th five-year plan, 2021–2025): a major "newly opened" by a
# technician college is one opened from 2021 on, and a prefecture's lack of a technician
# college (专栏3) is judged from the plan's first day
PLAN_STARTS = date(2021, 1, 1)
SEVERITIES = ("high", "medium", "low")
INTERNSHIP_RULES = "§四(六)4, 《职业学校学生实习管理规定》(2021)"


@dataclass(frozen=True)
class Rule:
    id: str
    source: str
    severity: str
    opened_by: str  # "event" or "date"
    subject: str
    title: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "fee_charged_to_student",
            "§四(六)4 严禁向学生违规收取实习实训费用",
            "high",
            "event",
            "placement",
            "A fee was charged to a placed student.",
        ),
        Rule(
            "pay_below_80_percent",
            INTERNSHIP_RULES,
            "medium",
            "event",
            "placement",
            "A post intern is paid less than 80% of the same post's wage.",
        ),
        Rule(
            "night_shift",
            INTERNSHIP_RULES,
            "high",
            "event",
            "placement",
            "A placed student works night shifts.",
        ),
        Rule(
            "overtime",
            INTERNSHIP_RULES,
            "high",
            "event",
            "placement",
            "A placed student works overtime.",
        ),
        Rule(
            "holiday_work",
            INTERNSHIP_RULES,
            "high",
            "event",
            "placement",
            "A placed student works on statutory holidays.",
        ),
        Rule(
            "intermediary_placement",
            INTERNSHIP_RULES,
            "high",
            "event",
            "attempt",
            "A placement was attempted through an intermediary agency.",
        ),
        Rule(
            "cross_party_cover",
            "§四(六)4; a policy covers only placements of its holder (docs/placements.md)",
            "high",
            "event",
            "placement",
            "A placement was put on a policy held by neither its school nor its enterprise.",
        ),
        Rule(
            "major_without_co_builder",
            "§四(五)3 技师学院新开设专业至少要与1家以上规模以上企业合作共建",
            "medium",
            "event",
            "school",
            "A technician college opened a major no above-designated-size enterprise co-builds.",
        ),
        Rule(
            "return_late",
            "专栏1 items 3–7, §五(三)",
            "low",
            "event",
            "return",
            "An annual statistics return was filed after the deadline.",
        ),
        Rule(
            "cover_lapse",
            "§四(六)4 工伤保险、实习实训责任保险、人身意外伤害保险",
            "high",
            "date",
            "placement",
            "A required kind of insurance was not in force while the placement ran.",
        ),
        Rule(
            "post_internship_overrun",
            INTERNSHIP_RULES,
            "high",
            "date",
            "placement",
            "A post internship ran past 6 months without a recorded exception.",
        ),
        Rule(
            "teacher_short_of_practice",
            "§四(三)4 每5年累计至少6个月",
            "medium",
            "date",
            "teacher",
            "A teacher has less than 6 months of enterprise practice in the last 5 years.",
        ),
        Rule(
            "agreement_expired_in_use",
            "§四(四), §四(六)4",
            "medium",
            "date",
            "agreement",
            "An agreement expired while placements under it were still running.",
        ),
        Rule(
            "prefecture_without_technician_college",
            "专栏3 item 1 每个市（州）争创1所技师学院, §四(二)2",
            "medium",
            "date",
            "prefecture",
            "A prefecture has no technician college.",
        ),
        Rule(
            "return_missing",
            "专栏1 items 3–7, §五(三)",
            "medium",
            "date",
            "school",
            "A school had not filed its annual return by the deadline.",
        ),
    )
}
EVENT_RULES = tuple(r.id for r in RULES.values() if r.opened_by == "event")
DATE_RULES = tuple(r.id for r in RULES.values() if r.opened_by == "date")
NOTICES = ("policy_ending", "agreement_ending", "practice_falls_short")
