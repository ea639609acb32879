"""Forms about teachers' enterprise practice (§四(三)4) and annual statistics returns
(专栏1 items 3–7) with their deadlines."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, validates_schema

from domain.annual_return import FIGURES
from web import labels
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


ReturnSchema = Schema.from_dict(
    {
        "year": Whole(
            minimum=2000, maximum=2100, required=True, metadata=shown(_l("Year of the return"))
        ),
        **figures(),
    },
    name="ReturnSchema",
)

ReturnCorrectionSchema = Schema.from_dict(
    {**figures(), "reason": reason_box()}, name="ReturnCorrectionSchema"
)


class DeadlineSchema(Schema):
    year = Whole(minimum=2000, maximum=2100, required=True, metadata=shown(_l("Returns for")))
    due_on = Day(required=True, metadata=shown(_l("Due on")))


class MoveDeadlineSchema(DeadlineSchema):
    reason = reason_box()
