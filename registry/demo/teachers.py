"""Demo teachers' enterprise practice at agreements with a teacher practice station.

Three teachers per agreement: one meets the 6-months-in-5-years rule in one stay, one in two
shorter stays, one falls short; one period is cancelled as logged by mistake.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from domain.agreement import CooperationAgreement, Mode
from domain.teacher_practice import TeacherPractice, active_spans
from registry.demo.agreements import AGREEMENTS, MODE_SETS, SCENARIOS
from registry.demo.base import DemoContext, Story, acting_for, demo_id
from registry.demo.timeline import in_date_order, step

LAST_DAY = date(2025, 12, 31)
LOGGED_AFTER = timedelta(days=7)
CANCELLED_AFTER = timedelta(days=30)
NEVER_IN_FORCE = ("awaiting_countersign", "awaiting_countersign_by_enterprise", "declined")
# per teacher: (days from the span's start, length in days) of each period
PATTERNS = [
    [(30, 183)],
    [(10, 100), (400, 95)],
    [(60, 45)],
]


def practice_agreements() -> list[UUID]:
    """The agreements with a teacher practice station that come into force, in id order."""
    return sorted(
        (
            demo_id("agreement", number)
            for number in range(AGREEMENTS)
            if SCENARIOS[number % len(SCENARIOS)] not in NEVER_IN_FORCE
            and Mode.TEACHER_PRACTICE_STATION.value in MODE_SETS[number % len(MODE_SETS)]
        ),
        key=str,
    )


def load(context: DemoContext) -> list[Story]:
    return [
        _practice_story(context, number, agreement_id)
        for number, agreement_id in enumerate(practice_agreements())
    ]


def _practice_story(context: DemoContext, number: int, agreement_id: UUID) -> Story:
    """Each period is logged a week after it ends, once the agreement's dates are settled."""
    app = context.app
    yield context.settled_on[agreement_id]
    agreement = app.get(CooperationAgreement, agreement_id)
    start, end = active_spans(agreement)[0]
    end = min(end, LAST_DAY)
    actor = acting_for(agreement.school_id)
    steps = []
    for pattern, periods in enumerate(PATTERNS):
        staff_number = f"{2008 + number % 12}{number:03d}{pattern}"
        teacher_id = TeacherPractice.create_id(agreement.school_id, staff_number)
        if app.exists(teacher_id):
            continue
        planned = [
            (start + timedelta(days=offset), start + timedelta(days=offset + days - 1))
            for offset, days in periods
        ]
        planned = [(a, b) for a, b in planned if b <= end]
        for starts_on, ends_on in planned:
            steps.append(
                step(
                    ends_on + LOGGED_AFTER,
                    app.log_teacher_practice,
                    school_id=agreement.school_id,
                    staff_number=staff_number,
                    agreement_id=agreement.id,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    actor=actor,
                )
            )
        if planned and number % 10 == 0 and pattern == 1:
            steps.append(
                step(
                    planned[-1][1] + LOGGED_AFTER + CANCELLED_AFTER,
                    app.cancel_teacher_practice,
                    teacher_id,
                    number=1,
                    reason="误录：该时段为校内培训",
                    actor=actor,
                )
            )
    yield from in_date_order(steps)
