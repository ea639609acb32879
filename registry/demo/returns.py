"""Demo annual statistics returns for 2020–2025.

2020's province sums are the plan's baseline (专栏1 items 3–7): 60,000 enrolled, 148,400
students, 22.7% of them in senior classes and above, 98% of graduates employed at their first
destination, 130,000 training person-times. Later years move toward the 2025 targets and
fall short of some, so a review has gaps to show. The returns for 2020–2024 were entered from
the province's records before the registry set deadlines; the 2025 deadline is 31 March 2026,
so the demo, loaded after it, files 2025 late. Two schools have not filed for 2025, and some
returns are corrected after filing.
"""

from __future__ import annotations

import random
from datetime import date

from domain.annual_return import FIGURES, AnnualReturn, ReturnDeadline
from domain.school import School, SchoolKind
from registry.demo.base import DemoContext, acting_for

# year: enrollment, students, senior_students, graduates, employed, training_person_times
TOTALS: dict[int, tuple[int, int, int, int, int, int]] = {
    2020: (60_000, 148_400, 33_687, 42_000, 41_160, 130_000),
    2021: (64_000, 158_000, 40_290, 44_000, 43_164, 145_000),
    2022: (68_500, 167_500, 47_905, 46_000, 45_172, 160_000),
    2023: (72_000, 176_800, 55_692, 48_500, 47_530, 172_000),
    2024: (75_500, 186_000, 63_612, 51_000, 50_133, 185_000),
    2025: (78_000, 194_500, 71_576, 53_500, 52_644, 198_000),
}
DEADLINES = {2025: date(2026, 3, 31)}
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


def kind_in(school: School, first_kind: SchoolKind, year: int) -> SchoolKind:
    kind = first_kind
    for upgraded_on, new_kind in school.upgrades:
        if upgraded_on <= date(year, 12, 31):
            kind = new_kind
    return kind


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


def load(context: DemoContext) -> None:
    app, admin = context.app, acting_for()
    for year, due_on in DEADLINES.items():
        if not app.exists(ReturnDeadline.create_id(year)):
            app.set_return_deadline(year=year, due_on=due_on, actor=admin)
    rng = random.Random(2020)
    schools = [app.get(School, s.id) for s in context.schools]
    first_kinds = [app.get(School, s.id, version=1).kind for s in schools]
    factors = [rng.randint(75, 125) for _ in schools]
    for year, totals in TOTALS.items():
        filing = [
            i
            for i, school in enumerate(schools)
            if school.established_on.year <= year
            and (school.withdrawn_on is None or school.withdrawn_on.year > year)
            and i not in NOT_FILED.get(year, ())
        ]
        kinds = [kind_in(schools[i], first_kinds[i], year) for i in filing]
        weights = [KIND_WEIGHTS[k] * factors[i] for i, k in zip(filing, kinds, strict=True)]
        senior = [int(k is not SchoolKind.TECHNICAL_SCHOOL) for k in kinds]
        for i, figures in zip(filing, year_figures(totals, weights, senior), strict=True):
            school = schools[i]
            if app.exists(AnnualReturn.create_id(school.id, year)):
                continue
            actor = acting_for(school.id)
            app.file_annual_return(school_id=school.id, year=year, figures=figures, actor=actor)
            if year in (2022, 2023, 2024) and i % 23 == year % 23:
                field, change, reason = CORRECTIONS[year % 2]
                corrected = {**figures, field: figures[field] + change}
                app.correct_annual_return(
                    school_id=school.id, year=year, figures=corrected, reason=reason, actor=actor
                )
