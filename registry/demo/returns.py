"""Demo annual statistics returns for 2020–2025.

2020's province sums are the plan's baseline (专栏1 items 3–7): 60,000 enrolled, 148,400
students, 22.7% of them in senior classes and above, 98% of graduates employed at their first
destination, 130,000 training person-times. Later years move toward the 2025 targets and
fall short of some, so a review has gaps to show. Each school files a year's return between
10 January and early April of the next year. The returns for 2020–2024 were filed before the
registry set deadlines; the 2025 deadline, set in October 2025, is 31 March 2026, so most
2025 returns are on time and the few filed in April are late. Two schools have not filed for
2025, and some returns are corrected six weeks after filing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from domain.annual_return import FIGURES, AnnualReturn, ReturnDeadline
from domain.school import SchoolKind
from registry.demo.base import DemoContext, DemoSchool, Story, acting_for
from registry.demo.timeline import Step, step, unless_recorded

# year: enrollment, students, senior_students, graduates, employed, training_person_times
TOTALS: dict[int, tuple[int, int, int, int, int, int]] = {
    2020: (60_000, 148_400, 33_687, 42_000, 41_160, 130_000),
    2021: (64_000, 158_000, 40_290, 44_000, 43_164, 145_000),
    2022: (68_500, 167_500, 47_905, 46_000, 45_172, 160_000),
    2023: (72_000, 176_800, 55_692, 48_500, 47_530, 172_000),
    2024: (75_500, 186_000, 63_612, 51_000, 50_133, 185_000),
    2025: (78_000, 194_500, 71_576, 53_500, 52_644, 198_000),
}
# year: the day the province sets the deadline, the deadline
DEADLINES = {2025: (date(2025, 10, 15), date(2026, 3, 31))}
KIND_WEIGHTS = {
    SchoolKind.TECHNICIAN_COLLEGE: 3,
    SchoolKind.SENIOR_TECHNICAL_SCHOOL: 2,
    SchoolKind.TECHNICAL_SCHOOL: 1,
}
NOT_FILED = {2025: (17, 67)}  # positions in the demo's school list
CORRECTIONS = [
    ("employed", -3, "初次就业人数按派遣口径重新核定"),
    ("enrollment", 12, "补录秋季注册学生"),
]


def apportion(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` into whole numbers summing to it exactly
    (largest remainders first, ties by position)."""
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in remainders[: total - sum(shares)]:
        shares[i] += 1
    return shares


def kind_in(school: DemoSchool, year: int) -> SchoolKind:
    """The school's kind at the end of ``year``."""
    if school.upgraded_on and school.upgraded_on <= date(year, 12, 31):
        return SchoolKind(school.kind)
    return SchoolKind(school.first_kind)


def year_figures(
    totals: tuple[int, ...], weights: list[int], senior_weights: list[int]
) -> list[dict[str, int]]:
    enrollment, students, senior, graduates, employed, training = totals
    per_school_students = apportion(students, weights)
    per_school_graduates = apportion(graduates, per_school_students)
    columns = [
        apportion(enrollment, per_school_students),
        per_school_students,
        apportion(
            senior, [s * w for s, w in zip(per_school_students, senior_weights, strict=True)]
        ),
        per_school_graduates,
        apportion(employed, per_school_graduates),
        apportion(training, weights),
    ]
    return [dict(zip(FIGURES, row, strict=True)) for row in zip(*columns, strict=True)]


def load(context: DemoContext) -> list[Story]:
    app, admin = context.app, acting_for()
    stories = [
        unless_recorded(app, ReturnDeadline.create_id(year), [
            step(set_on, app.set_return_deadline, year=year, due_on=due_on, actor=admin)
        ])
        for year, (set_on, due_on) in DEADLINES.items()
    ]  # fmt: skip
    rng = random.Random(2020)
    schools = context.schools
    factors = [rng.randint(75, 125) for _ in schools]
    for year, totals in TOTALS.items():
        filing = [
            i
            for i, school in enumerate(schools)
            if school.established_on.year <= year
            and (school.withdrawn_on is None or school.withdrawn_on.year > year)
            and i not in NOT_FILED.get(year, ())
        ]
        kinds = [kind_in(schools[i], year) for i in filing]
        weights = [KIND_WEIGHTS[k] * factors[i] for i, k in zip(filing, kinds, strict=True)]
        senior = [int(k is not SchoolKind.TECHNICAL_SCHOOL) for k in kinds]
        for i, figures in zip(filing, year_figures(totals, weights, senior), strict=True):
            return_id = AnnualReturn.create_id(schools[i].id, year)
            stories.append(
                unless_recorded(app, return_id, _filing(context, schools[i], i, year, figures))
            )
    return stories


def _filing(
    context: DemoContext, school: DemoSchool, i: int, year: int, figures: dict[str, int]
) -> list[Step]:
    """A school files in the first months of the next year, some after the deadline, and
    corrects a few returns six weeks later."""
    app, actor = context.app, acting_for(school.id)
    filed_on = date(year + 1, 1, 10) + timedelta(days=i * 7 % 90)
    steps = [
        step(filed_on, app.file_annual_return, school_id=school.id, year=year, figures=figures,
             actor=actor)
    ]  # fmt: skip
    if year in (2022, 2023, 2024) and i % 23 == year % 23:
        field, change, reason = CORRECTIONS[year % 2]
        steps.append(
            step(
                filed_on + timedelta(days=42),
                app.correct_annual_return,
                school_id=school.id,
                year=year,
                figures={**figures, field: figures[field] + change},
                reason=reason,
                actor=actor,
            )
        )
    return steps
