"""Forms about students: registering one, corrections, reading the personal data with a
reason, and erasure (PIPL; docs/personal-data.md)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, validates_schema

from domain.errors import DomainError
from domain.id_number import sex_of, validate_id_number
from registry.clock import today
from web import labels
from web.schemas.common import CorrectionSchema, reason_box
from web.schemas.fields import Choice, Text, Whole, shown


def gender(label: Any, blank: Any, **kwargs: Any) -> Choice:
    return Choice(
        labels.GENDERS, metadata=shown(label, labels=labels.GENDERS, blank=blank), **kwargs
    )


class StudentSchema(Schema):
    name = Text(required=True, max_length=100, metadata=shown(_l("Name")))
    student_number = Text(
        max_length=32,
        metadata=shown(
            _l("Student number (学号)"),
            _l("Optional: the school's own number, unique in the school, for example 2024031."),
        ),
    )
    id_number = Text(
        required=True,
        max_length=40,
        metadata=shown(_l("ID number (身份证号)"), _l("18 characters; the last may be X.")),
    )
    gender = gender(_l("Gender"), _l("choose"), required=True)
    entry_year = Whole(
        minimum=1949, maximum=2100, required=True, metadata=shown(_l("Year of entry"))
    )
    major = Text(required=True, max_length=100, metadata=shown(_l("Major"), widget="select"))

    @validates_schema(skip_on_field_errors=True)
    def sex_digit(self, data: dict[str, Any], **kwargs: Any) -> None:
        """GB 11643: the sequence's last digit (the 17th) is odd for men, even for women."""
        try:
            number = validate_id_number(data["id_number"], today())
        except DomainError:
            return  # the command says what is wrong with the number itself
        if sex_of(number) != data["gender"]:
            message = (
                gettext(
                    "The 17th digit of the ID number, %(digit)s, is odd, which is given to men; "
                    "check the gender or the ID number.",
                    digit=number[16],
                )
                if sex_of(number) == "male"
                else gettext(
                    "The 17th digit of the ID number, %(digit)s, is even, which is given to "
                    "women; check the gender or the ID number.",
                    digit=number[16],
                )
            )
            raise ValidationError(message, "gender")


StudentCorrectionSchema = CorrectionSchema.from_dict(
    {
        "name": Text(max_length=100, metadata=shown(_l("Correct name"))),
        "student_number": Text(max_length=32, metadata=shown(_l("Correct student number"))),
        "id_number": Text(max_length=40, metadata=shown(_l("Correct ID number"))),
        "gender": gender(_l("Correct gender"), _l("unchanged")),
        "entry_year": Whole(
            minimum=1949, maximum=2100, metadata=shown(_l("Correct year of entry"))
        ),
        "major": Text(
            max_length=100,
            metadata=shown(_l("Correct major"), widget="select", blank=_l("unchanged")),
        ),
        "reason": reason_box(
            hint=_l("Do not repeat the name, ID number or birth date here: reasons are kept.")
        ),
    },
    name="StudentCorrectionSchema",
)


class RevealSchema(Schema):
    reason = Text(
        max_length=500,
        metadata=shown(
            _l("Why you need it"),
            _l(
                "Kept in the access log. Required of auditors and administrators; do not "
                "repeat the student's data here."
            ),
            widget="textarea",
        ),
    )


class ErasureSchema(Schema):
    basis = Text(
        required=True,
        max_length=200,
        metadata=shown(
            _l("Legal basis"),
            _l("For example: 《个人信息保护法》第四十七条第一款第（一）项."),
        ),
    )
    requested_by = Choice(
        labels.REQUESTED_BY,
        required=True,
        metadata=shown(_l("Asked by"), labels=labels.REQUESTED_BY, blank=_l("choose")),
    )
