"""Forms about placements and their insurance: registering a placement, its tripartite
agreement, start (after the cover check), suspension, end; working arrangements, fees,
incidents and claims; policies and the placements they cover (§四(六)4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, validates_schema

from domain.prefectures import PREFECTURES
from web import labels
from web.schemas.agreements import check_period
from web.schemas.common import day_field, reason_box
from web.schemas.fields import (
    Amount,
    Choice,
    Choices,
    Day,
    Flag,
    RecordId,
    RecordIds,
    Text,
    Whole,
    Yuan,
    shown,
)


def choice(vocabulary: Mapping[Any, Any], label: Any, **kwargs: Any) -> Choice:
    return Choice(
        vocabulary,
        metadata=shown(label, labels=vocabulary, blank=_l("choose")),
        **kwargs,
    )


class PlacementSchema(Schema):
    student = RecordId(
        required=True,
        metadata=shown(
            _l("Student"),
            _l("By record number, with major and year of entry."),
            registers=("students.new", _l("Register a student")),
        ),
    )
    agreement = RecordId(
        required=True,
        metadata=shown(
            _l("Under the agreement"),
            _l(
                "An agreement in force with an internship, training base, apprenticeship or "
                "order-class mode."
            ),
            registers=("school.register_partnership", _l("Propose a partnership")),
        ),
    )
    kind = choice(labels.PLACEMENT_KINDS, _l("Kind"), required=True)
    position = Text(required=True, metadata=shown(_l("Post")))
    workplace_prefecture = Choice(
        PREFECTURES,
        required=True,
        metadata=shown(_l("Workplace prefecture"), labels=PREFECTURES, blank=_l("choose")),
    )
    starts_on = Day(required=True, metadata=shown(_l("Starts on")))
    ends_on = Day(required=True, metadata=shown(_l("Ends on")))
    pay = Amount(metadata=shown(_l("Monthly pay (yuan)"), _l("Optional.")))
    mentor = Text(required=True, max_length=40, metadata=shown(_l("Enterprise mentor")))
    supervising_teacher = Text(
        required=True, max_length=40, metadata=shown(_l("Supervising teacher"))
    )
    duration_exception = Text(
        max_length=500,
        metadata=shown(
            _l("Reason for a post internship over 6 months"),
            _l("Only if it lasts longer than 6 months."),
            widget="textarea",
        ),
    )
    intermediary = Text(
        max_length=200,
        metadata=shown(
            _l("Arranged through an intermediary agency"),
            _l("Name it if one was involved: such a placement is refused and the attempt kept."),
        ),
    )

    @validates_schema(skip_on_field_errors=False)
    def period(self, data: dict[str, Any], **kwargs: Any) -> None:
        check_period(data)


class TripartiteSchema(Schema):
    signed_on = Day(required=True, metadata=shown(_l("Signed on")))


class DurationExceptionSchema(Schema):
    reason = reason_box(_l("Why it lasts longer than 6 months"))


class StartSchema(Schema):
    on = day_field(_l("Starts on"))


class PlacementSuspensionSchema(Schema):
    on = day_field(_l("Suspended from"))
    reason = reason_box()


class PlacementResumptionSchema(Schema):
    on = day_field(_l("Resumed on"))


class CompletionSchema(Schema):
    on = day_field(_l("Completed on"))


class EndSchema(Schema):
    on = day_field(_l("Ended on"))
    reason = reason_box()


class WorkingArrangementSchema(Schema):
    effective_on = Day(required=True, metadata=shown(_l("From")))
    pay = Amount(required=True, metadata=shown(_l("Monthly pay (yuan)")))
    post_wage = Yuan(
        metadata=shown(
            _l("Wage of the same post (yuan)"),
            _l("For a post internship: pay should be at least 80 per cent of it."),
        )
    )
    night_shifts = Flag(metadata=shown(_l("Night shifts")))
    overtime = Flag(metadata=shown(_l("Overtime")))
    holiday_work = Flag(metadata=shown(_l("Work on statutory holidays")))


class FeeSchema(Schema):
    amount = Yuan(required=True, metadata=shown(_l("Amount charged (yuan)")))
    purpose = Text(required=True, metadata=shown(_l("What it was charged for")))
    reported_by = Text(
        required=True,
        max_length=100,
        metadata=shown(_l("Reported by"), _l("A role, e.g. the student's guardian; not a name.")),
    )
    charged_on = Day(required=True, metadata=shown(_l("Charged on")))


class IncidentSchema(Schema):
    occurred_on = Day(required=True, metadata=shown(_l("Occurred on")))
    severity = choice(labels.SEVERITIES, _l("Severity"), required=True)
    description = Text(
        required=True,
        max_length=2000,
        metadata=shown(_l("What happened"), _l("Do not name the student here."), widget="textarea"),
    )


class ClaimSchema(Schema):
    policy = RecordId(required=True, metadata=shown(_l("Policy")))
    filed_on = Day(required=True, metadata=shown(_l("Filed on")))
    amount = Yuan(required=True, metadata=shown(_l("Amount claimed (yuan)")))


class SettlementSchema(Schema):
    number = Whole(minimum=1, required=True, metadata=shown(_l("Claim"), widget="select"))
    outcome = choice(labels.CLAIM_OUTCOMES, _l("Outcome"), required=True)
    amount_paid = Amount(required=True, metadata=shown(_l("Amount paid (yuan)")))


class PutOnPolicySchema(Schema):
    policy = RecordId(
        required=True,
        metadata=shown(
            _l("Policy"),
            _l("A policy your organisation holds, in force on the day cover begins."),
            registers=("policies.new", _l("Register a policy")),
        ),
    )
    on = day_field(_l("Covered from"))


# --- policies ---------------------------------------------------------------------------------


class PolicySchema(Schema):
    kind = choice(labels.POLICY_KINDS, _l("Kind of insurance"), required=True)
    insurer = Text(required=True, metadata=shown(_l("Insurer")))
    policy_number = Text(required=True, max_length=64, metadata=shown(_l("Policy number")))
    covers_from = Day(required=True, metadata=shown(_l("Cover from")))
    covers_until = Day(required=True, metadata=shown(_l("Cover until (inclusive)")))

    @validates_schema(skip_on_field_errors=False)
    def period(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("covers_from"), data.get("covers_until")
        if start is not None and end is not None and end < start:
            raise ValidationError(
                gettext("The cover ends before it begins; check both dates."), "covers_until"
            )


class CoverSchema(Schema):
    placements = RecordIds(
        required=True,
        error_messages={"required": _l("Tick at least one placement.")},
        metadata=shown(
            _l("Placements"),
            widget="checkboxes",
            registers=("placements.new", _l("Register a placement")),
        ),
    )
    on = day_field(_l("On the policy from"))


class UncoverSchema(Schema):
    placements = RecordIds(
        required=True,
        error_messages={"required": _l("Tick at least one placement.")},
        metadata=shown(_l("Placements"), widget="checkboxes"),
    )
    on = day_field(_l("Off the policy from"))


class CrossPartySchema(Schema):
    placements = RecordIds(
        required=True,
        error_messages={"required": _l("Tick at least one placement.")},
        metadata=shown(_l("Other parties' placements"), widget="checkboxes"),
    )
    reason = reason_box()


class RenewSchema(Schema):
    covers_from = Day(required=True, metadata=shown(_l("New period from")))
    covers_until = Day(required=True, metadata=shown(_l("New period until (inclusive)")))


class ExtendSchema(Schema):
    covers_until = Day(required=True, metadata=shown(_l("Cover now until (inclusive)")))


class CancelSchema(Schema):
    on = day_field(_l("Cancelled from"))
    reason = reason_box()


class CoverRequirementSchema(Schema):
    placement_kind = choice(labels.PLACEMENT_KINDS, _l("Kind of placement"), required=True)
    policy_kinds = Choices(
        list(labels.POLICY_KINDS),
        required=True,
        error_messages={"required": _l("Tick at least one kind of insurance.")},
        metadata=shown(
            _l("Insurance it requires"),
            options=lambda: [(k, str(v), "") for k, v in labels.POLICY_KINDS.items()],
        ),
    )
    reason = reason_box()
