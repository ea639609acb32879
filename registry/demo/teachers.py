"""Demo teachers' enterprise practice at agreements with a teacher practice station.

Three teachers per agreement: one meets the 6-months-in-5-years rule in one stay, one in two
shorter stays, one falls short; one period is cancelled as logged by mistake.
"""

from __future__ import annotations

from datetime import date, timedelta

from domain.agreement import CooperationAgreement, Mode
from domain.teacher_practice import TeacherPractice, active_spans
from registry.demo.base import DemoContext, acting_for

LAST_DAY = date(2025, 12, 31)
# per teacher: (days from the span's start, length in days) of each period
PATTERNS = [
    [(30, 183)],
    [(10, 100), (400, 95)],
    [(60, 45)],
]


def practice_agreements(context: DemoContext) -> list[CooperationAgreement]:
    found = []
    for ids in context.agreements.values():
        for agreement_id in ids:
            agreement = context.app.get(CooperationAgreement, agreement_id)
            if Mode.TEACHER_PRACTICE_STATION in agreement.terms.modes and active_spans(agreement):
                found.append(agreement)
    return sorted(found, key=lambda a: str(a.id))


def load(context: DemoContext) -> None:
    app = context.app
    for number, agreement in enumerate(practice_agreements(context)):
        start, end = active_spans(agreement)[0]
        end = min(end, LAST_DAY)
        actor = acting_for(agreement.school_id)
        for pattern, periods in enumerate(PATTERNS):
            staff_number = f"{2008 + number % 12}{number:03d}{pattern}"
            if app.exists(TeacherPractice.create_id(agreement.school_id, staff_number)):
                continue
            planned = [
                (start + timedelta(days=offset), start + timedelta(days=offset + days - 1))
                for offset, days in periods
            ]
            planned = [(a, b) for a, b in planned if b <= end]
            for starts_on, ends_on in planned:
                teacher_id = app.log_teacher_practice(
                    school_id=agreement.school_id,
                    staff_number=staff_number,
                    agreement_id=agreement.id,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    actor=actor,
                )
            if planned and number % 10 == 0 and pattern == 1:
                app.cancel_teacher_practice(
                    teacher_id, number=1, reason="误录：该时段为校内培训", actor=actor
                )
