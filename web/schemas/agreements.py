"""Forms about agreements: registering a partnership, answering a proposal or amendment."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates_schema

from domain.agreement import Mode
from web.schemas.fields import Choices, Day, RecordId, Text, Translated, Yuan


class PartnershipSchema(Schema):
    """An enterprise registers a partnership with a school: the proposal the school answers."""

    school = RecordId(required=True)
    title = Text(max_length=200)
    modes = Choices(
        [m.value for m in Mode],
        required=True,
        error_messages={"required": _l("Tick at least one mode of cooperation.")},
    )
    starts_on = Day(required=True)
    ends_on = Day(required=True)
    majors = Choices()
    planned_investment = Yuan()

    @validates_schema(skip_on_field_errors=False)
    def period(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "starts_on" in data and "ends_on" in data and data["ends_on"] < data["starts_on"]:
            raise ValidationError(
                gettext(
                    "The end date is before the start date (%(starts_on)s); "
                    "choose an end date on or after it.",
                    starts_on=data["starts_on"].isoformat(),
                ),
                "ends_on",
            )


class Version(Translated, fields.Integer):
    """The record's version the page showed: a different one now means someone else acted."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ValidationError(gettext("Reload the page and try again.")) from None


class AnswerSchema(Schema):
    """Countersigning a proposal, or accepting an amendment."""

    version = Version(required=True)


class DeclineSchema(AnswerSchema):
    reason = Text(required=True, max_length=500)
