"""Forms about training groups: proposing one, admitting and removing members, the charter,
operation, handing over the lead, dissolution and corrections (§四(四)3)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from domain.prefectures import PREFECTURES
from web.schemas.common import CorrectionSchema, day_field, reason_box
from web.schemas.fields import Choices, PartyRef, RecordId, Text, shown


def region(label: Any, **kwargs: Any) -> Choices:
    return Choices(
        list(PREFECTURES),
        metadata=shown(label, options=lambda: [(k, v, "") for k, v in PREFECTURES.items()]),
        **kwargs,
    )


class GroupSchema(Schema):
    name = Text(required=True, metadata=shown(_l("Name of the group")))
    prefectures = region(
        _l("Region (prefectures)"),
        required=True,
        error_messages={"required": _l("Tick at least one prefecture.")},
    )
    industry_focus = Text(
        required=True, max_length=100, metadata=shown(_l("Industry focus"), _l("e.g. 装备制造"))
    )
    proposed_on = day_field(_l("Proposed on"))


class AdmitSchema(Schema):
    party = PartyRef(
        required=True,
        metadata=shown(
            _l("Member's unified social credit code"),
            _l("A registered school, enterprise, industry park or association."),
        ),
    )
    on = day_field(_l("Joins on"))


class RemoveSchema(Schema):
    party = RecordId(required=True, metadata=shown(_l("Member")))
    on = day_field(_l("Leaves on"))
    reason = reason_box()


class CharterSchema(Schema):
    on = day_field(_l("Chartered on"))


class OperatingSchema(Schema):
    on = day_field(_l("Operating from"))


class HandOverSchema(Schema):
    to = RecordId(
        required=True,
        metadata=shown(_l("New lead"), _l("Another technician college among the members.")),
    )
    on = day_field(_l("Hands over on"))


class DissolveSchema(Schema):
    on = day_field(_l("Dissolved on"))
    reason = reason_box()


GroupCorrectionSchema = CorrectionSchema.from_dict(
    {
        "name": Text(metadata=shown(_l("Correct name"))),
        "industry_focus": Text(max_length=100, metadata=shown(_l("Correct industry focus"))),
        "prefectures": region(_l("Correct region")),
        "reason": reason_box(),
    },
    name="GroupCorrectionSchema",
)
