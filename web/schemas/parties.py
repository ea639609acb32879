"""Forms about the parties: schools and their majors, enterprises and their certification,
industry parks and associations; and corrections of what was registered wrongly."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, validates_schema

from domain.prefectures import PREFECTURES
from web import labels
from web.schemas.common import (
    YES_NO,
    CorrectionSchema,
    day_field,
    prefecture_choice,
    reason_box,
    yes_no,
)
from web.schemas.fields import USCC, Choice, Day, Text, Whole, shown

# --- schools --------------------------------------------------------------------------------


class SchoolSchema(Schema):
    uscc = USCC(
        required=True,
        metadata=shown(
            _l("Unified social credit code"),
            _l("18 characters; public schools' codes begin 12, private schools' 52."),
        ),
    )
    name = Text(required=True, metadata=shown(_l("Name")))
    kind = Choice(
        labels.SCHOOL_KINDS,
        required=True,
        metadata=shown(_l("Tier"), labels=labels.SCHOOL_KINDS, blank=_l("choose")),
    )
    prefecture = prefecture_choice(required=True)
    established_on = Day(required=True, metadata=shown(_l("Recognised on")))


class UpgradeSchema(Schema):
    to_kind = Choice(
        labels.SCHOOL_KINDS,
        required=True,
        metadata=shown(_l("New tier"), labels=labels.SCHOOL_KINDS, blank=_l("choose")),
    )
    on = day_field()


class WithdrawSchema(Schema):
    on = day_field()
    reason = reason_box()


class MajorSchema(Schema):
    name = Text(required=True, max_length=100, metadata=shown(_l("Major")))
    year = Whole(minimum=1949, maximum=2100, required=True, metadata=shown(_l("Year")))


class CloseMajorSchema(Schema):
    name = Text(required=True, max_length=100, metadata=shown(_l("Major"), widget="select"))
    year = Whole(minimum=1949, maximum=2100, required=True, metadata=shown(_l("Year closed")))


SchoolCorrectionSchema = CorrectionSchema.from_dict(
    {
        "name": Text(metadata=shown(_l("Correct name"))),
        "kind": Choice(
            labels.SCHOOL_KINDS,
            metadata=shown(_l("Correct tier"), labels=labels.SCHOOL_KINDS, blank=_l("unchanged")),
        ),
        "prefecture": Choice(
            PREFECTURES,
            metadata=shown(_l("Correct prefecture"), labels=PREFECTURES, blank=_l("unchanged")),
        ),
        "established_on": Day(metadata=shown(_l("Correct recognition date"))),
        "reason": reason_box(),
    },
    name="SchoolCorrectionSchema",
)


# --- enterprises ----------------------------------------------------------------------------


def ownership_choice(label: Any, blank: Any, **kwargs: Any) -> Choice:
    return Choice(
        labels.OWNERSHIPS,
        metadata=shown(label, labels=labels.OWNERSHIPS, blank=blank),
        **kwargs,
    )


class EnterpriseSchema(Schema):
    uscc = USCC(
        required=True,
        metadata=shown(_l("Unified social credit code"), _l("18 characters, as on the licence.")),
    )
    name = Text(required=True, metadata=shown(_l("Name")))
    prefecture = prefecture_choice(required=True)
    industry = Text(required=True, max_length=100, metadata=shown(_l("Industry")))
    above_designated_size = Choice(
        YES_NO,
        required=True,
        metadata=shown(_l("Above designated size (规模以上)"), labels=YES_NO, blank=_l("choose")),
    )
    ownership = ownership_choice(_l("Ownership"), _l("choose"), required=True)


class EnterpriseChangeSchema(Schema):
    """A real change of an enterprise's attributes, effective on a date."""

    effective_on = day_field(_l("Changed on"), required=True)
    name = Text(metadata=shown(_l("New name")))
    prefecture = Choice(
        PREFECTURES,
        metadata=shown(_l("New prefecture"), labels=PREFECTURES, blank=_l("unchanged")),
    )
    industry = Text(max_length=100, metadata=shown(_l("New industry")))
    above_designated_size = yes_no(_l("Above designated size now"))
    ownership = ownership_choice(_l("New ownership"), _l("unchanged"))

    @validates_schema
    def something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if set(data) <= {"effective_on"}:
            raise ValidationError(gettext("Fill in at least one attribute that changed."))


def changes(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (v == "yes" if k == "above_designated_size" else v)
        for k, v in data.items()
        if k != "effective_on"
    }


class CertifySchema(Schema):
    on = day_field(_l("Certified from"))


class DecertifySchema(Schema):
    on = day_field(_l("Withdrawn from"))
    reason = reason_box()


EnterpriseCorrectionSchema = CorrectionSchema.from_dict(
    {
        "name": Text(metadata=shown(_l("Correct name"))),
        "prefecture": Choice(
            PREFECTURES,
            metadata=shown(_l("Correct prefecture"), labels=PREFECTURES, blank=_l("unchanged")),
        ),
        "industry": Text(max_length=100, metadata=shown(_l("Correct industry"))),
        "above_designated_size": yes_no(_l("Correct: above designated size")),
        "ownership": ownership_choice(_l("Correct ownership"), _l("unchanged")),
        "reason": reason_box(),
    },
    name="EnterpriseCorrectionSchema",
)


# --- industry parks and associations --------------------------------------------------------


class OrganisationSchema(Schema):
    uscc = USCC(required=True, metadata=shown(_l("Unified social credit code")))
    name = Text(required=True, metadata=shown(_l("Name")))
    kind = Choice(
        labels.ORGANISATION_KINDS,
        required=True,
        metadata=shown(_l("Kind"), labels=labels.ORGANISATION_KINDS, blank=_l("choose")),
    )
    prefecture = prefecture_choice(required=True)


OrganisationCorrectionSchema = CorrectionSchema.from_dict(
    {
        "name": Text(metadata=shown(_l("Correct name"))),
        "kind": Choice(
            labels.ORGANISATION_KINDS,
            metadata=shown(
                _l("Correct kind"), labels=labels.ORGANISATION_KINDS, blank=_l("unchanged")
            ),
        ),
        "prefecture": Choice(
            PREFECTURES,
            metadata=shown(_l("Correct prefecture"), labels=PREFECTURES, blank=_l("unchanged")),
        ),
        "reason": reason_box(),
    },
    name="OrganisationCorrectionSchema",
)
