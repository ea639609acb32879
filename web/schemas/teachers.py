"""Forms about teachers' enterprise practice (§四(三)4) and annual statistics returns
(专栏1 items 3–7) with their deadlines."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, validates_schema

from domain.annual_return import (
    FIGURES,
    EmployedExceedsGraduates,
    SeniorExceedsStudents,
    YearNotOver,
)
from domain.errors import DomainError
from registry.clock import today
from web import labels
from web.messages import sentence
from web.schemas.agreements import check_period
from web.schemas.common import reason_box
from web.schemas.fields import Day, RecordId, Text, Whole, shown


class PracticeSchema(Schema):
    agreement = RecordId(
        required=True,
        metadata=shown(
            _l("Under the agreement"),
            _l("One with a teacher enterprise-practice station."),
            registers=("school.register_partnership", _l("Propose a partnership")),
        ),
    )
    starts_on = Day(required=True, metadata=shown(_l("From")))
    ends_on = Day(required=True, metadata=shown(_l("Until (inclusive)")))

    @validates_schema(skip_on_field_errors=False)
    def period(self, data: dict[str, Any], **kwargs: Any) -> None:
        check_period(data)


class FirstPracticeSchema(PracticeSchema):
    staff_number = Text(
        required=True,
        max_length=32,
        metadata=shown(
            _l("Staff number"), _l("The school's staff number, never a name (e.g. T2019-031).")
        ),
    )


class CancelPracticeSchema(Schema):
    number = Whole(minimum=1, required=True, metadata=shown(_l("Period"), widget="select"))
    reason = reason_box()


def figures(required: bool = True) -> dict[str, Whole]:
    return {
        name: Whole(minimum=0, required=required, metadata=shown(labels.FIGURES[name]))
        for name in FIGURES
    }


def last_year() -> int:
    return date.today().year - 1


class FiguresSchema(Schema):
    """The figures of a return, every problem at once: each field's own and, beside the
    fields they concern, the domain's checks between figures and of the year."""

    @validates_schema(skip_on_field_errors=False)
    def consistent(self, data: dict[str, Any], **kwargs: Any) -> None:
        found: dict[str, list[str]] = {}

        def refuse(field: str, error: DomainError) -> None:
            found.setdefault(field, []).append(sentence(error))

        def exceeds(part: str, whole: str) -> bool:
            return part in data and whole in data and data[part] > data[whole]

        if exceeds("employed", "graduates"):
            refuse(
                "employed",
                EmployedExceedsGraduates(employed=data["employed"], graduates=data["graduates"]),
            )
        if exceeds("senior_students", "students"):
            refuse(
                "senior_students",
                SeniorExceedsStudents(
                    senior_students=data["senior_students"], students=data["students"]
                ),
            )
        if "year" in data and data["year"] >= today().year:
            refuse("year", YearNotOver(year=data["year"], recorded_on=today().isoformat()))
        if found:
            raise ValidationError(found)


ReturnSchema = FiguresSchema.from_dict(
    {
        "year": Whole(
            minimum=2000, maximum=2100, required=True, metadata=shown(_l("Year of the return"))
        ),
        **figures(),
    },
    name="ReturnSchema",
)

ReturnCorrectionSchema = FiguresSchema.from_dict(
    {**figures(), "reason": reason_box()}, name="ReturnCorrectionSchema"
)


class DeadlineSchema(Schema):
    year = Whole(minimum=2000, maximum=2100, required=True, metadata=shown(_l("Returns for")))
    due_on = Day(required=True, metadata=shown(_l("Due on")))


class MoveDeadlineSchema(DeadlineSchema):
    reason = reason_box()
