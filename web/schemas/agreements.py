"""Forms about agreements: registering a partnership, answering a proposal or amendment."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates_schema

from domain.agreement import Mode
from web import labels
from web.labels import MODES, MODES_ZH, label
from web.schemas.common import day_field, reason_box
from web.schemas.fields import (
    USCC,
    Choice,
    Choices,
    Day,
    RecordId,
    Text,
    Translated,
    Whole,
    Yuan,
    shown,
)


def check_period(data: dict[str, Any]) -> None:
    if "starts_on" in data and "ends_on" in data and data["ends_on"] < data["starts_on"]:
        raise ValidationError(
            gettext(
                "The end date is before the start date (%(starts_on)s); "
                "choose an end date on or after it.",
                starts_on=data["starts_on"].isoformat(),
            ),
            "ends_on",
        )


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
        check_period(data)


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
    reason = Text(required=True, max_length=500, multiline=True)


def mode_options() -> list[tuple[str, str, str]]:
    """Checkbox options: value, name, and on English pages the Chinese term."""
    chinese = str(get_locale()).startswith("zh")
    return [(mode, label(MODES, mode), "" if chinese else MODES_ZH[mode]) for mode in MODES]


class Period(Schema):
    """A period whose end is not before its start."""

    @validates_schema(skip_on_field_errors=False)
    def period(self, data: dict[str, Any], **kwargs: Any) -> None:
        check_period(data)


CODE_LIKE = re.compile(r"[0-9A-Za-z]{18}")


class EnterpriseByNameOrCode(Translated, fields.String):
    """An enterprise as a school names it: its registered name (or a part of it), or its
    unified social credit code, checked as GB 32100 says when it looks like one."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = " ".join(str(value).split())
        compact = text.replace(" ", "")
        if CODE_LIKE.fullmatch(compact):
            return str(USCC().deserialize(compact))
        if len(text) < 2:
            raise ValidationError(
                gettext("Type at least two characters of the enterprise's name, or its code.")
            )
        return text


class SchoolProposalSchema(Period):
    """A school proposes an agreement to an enterprise it names by its name or code."""

    enterprise = EnterpriseByNameOrCode(
        required=True,
        metadata=shown(
            _l("The enterprise: its name or its unified social credit code"),
            _l(
                "Its registered name as on its business licence (or a part of it), or its "
                "18-character code."
            ),
        ),
    )
    title = Text(
        max_length=200,
        metadata=shown(_l("Title"), _l("Optional: leave empty to name it after the two parties.")),
    )
    modes = Choices(
        [m.value for m in Mode],
        required=True,
        error_messages={"required": _l("Tick at least one mode of cooperation.")},
        metadata=shown(_l("Modes of cooperation"), options=mode_options),
    )
    starts_on = Day(required=True, metadata=shown(_l("Starts on")))
    ends_on = Day(required=True, metadata=shown(_l("Ends on")))
    majors = Choices(metadata=shown(_l("Majors concerned"), widget="checkboxes"))


class AmendmentSchema(Period):
    version = Version(required=True)
    modes = Choices(
        [m.value for m in Mode],
        required=True,
        error_messages={"required": _l("Tick at least one mode of cooperation.")},
        metadata=shown(_l("Modes of cooperation"), options=mode_options),
    )
    starts_on = Day(required=True, metadata=shown(_l("Starts on")))
    ends_on = Day(required=True, metadata=shown(_l("Ends on")))
    majors = Choices(metadata=shown(_l("Majors concerned"), widget="checkboxes"))
    reason = reason_box(_l("Why the terms change"), _l("The other party reads this."))


class RenewalSchema(Period):
    """A renewal: a new agreement between the same parties, naming the one it continues."""

    version = Version(required=True)
    title = Text(
        max_length=200,
        metadata=shown(
            _l("Title"), _l("Optional: leave empty to name it after this agreement, renewed.")
        ),
    )
    modes = Choices(
        [m.value for m in Mode],
        required=True,
        error_messages={"required": _l("Tick at least one mode of cooperation.")},
        metadata=shown(_l("Modes of cooperation"), options=mode_options),
    )
    starts_on = Day(required=True, metadata=shown(_l("Starts on")))
    ends_on = Day(required=True, metadata=shown(_l("Ends on")))
    majors = Choices(metadata=shown(_l("Majors concerned"), widget="checkboxes"))


class SuspensionSchema(AnswerSchema):
    on = day_field(_l("Suspended from"))
    reason = reason_box()


class ResumptionSchema(AnswerSchema):
    on = day_field(_l("Resumed on"))


class TerminationSchema(AnswerSchema):
    on = day_field(_l("Terminated from"))
    reason = reason_box()


class InvestmentSchema(AnswerSchema):
    kind = Choice(
        labels.INVESTMENT_KINDS,
        required=True,
        metadata=shown(_l("Kind"), labels=labels.INVESTMENT_KINDS, blank=_l("choose")),
    )
    amount = Yuan(required=True, metadata=shown(_l("Amount (yuan)")))
    invested_on = Day(required=True, metadata=shown(_l("Invested on")))
    description = Text(
        max_length=500, metadata=shown(_l("What was invested"), _l("For example: 5 CNC lathes."))
    )


class InvestmentCorrectionSchema(AnswerSchema):
    number = Whole(minimum=1, required=True, metadata=shown(_l("Investment"), widget="select"))
    amount = Yuan(required=True, metadata=shown(_l("Right amount (yuan)")))
    invested_on = Day(required=True, metadata=shown(_l("Right date")))
    reason = reason_box()


class PlannedInvestmentSchema(AnswerSchema):
    amount = Yuan(required=True, metadata=shown(_l("Planned investment (yuan)")))


class TitleCorrectionSchema(AnswerSchema):
    title = Text(required=True, metadata=shown(_l("Right title")))
    reason = reason_box()
