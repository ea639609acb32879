"""What many forms share: an effective date defaulting to today, a reason, a prefecture, a
yes/no choice, and corrections of one registered fact."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, validates_schema

from domain.prefectures import PREFECTURES
from web.schemas.fields import Choice, Day, Text, shown

TODAY_HINT = _l("Leave empty for today.")
YES_NO = {"yes": _l("Yes"), "no": _l("No")}


def prefecture_choice(label: Any = None, **kwargs: Any) -> Choice:
    return Choice(
        PREFECTURES,
        metadata=shown(label or _l("Prefecture"), labels=PREFECTURES, blank=_l("choose")),
        **kwargs,
    )


def reason_box(label: Any = None, hint: Any = None) -> Text:
    return Text(
        required=True,
        max_length=500,
        metadata=shown(label or _l("Reason"), hint, widget="textarea"),
    )


def day_field(label: Any = None, *, required: bool = False, hint: Any = None) -> Day:
    return Day(
        required=required,
        metadata=shown(label or _l("Effective date"), hint or (None if required else TODAY_HINT)),
    )


def yes_no(label: Any, **kwargs: Any) -> Choice:
    return Choice(YES_NO, metadata=shown(label, labels=YES_NO, blank=_l("unchanged")), **kwargs)


class CorrectionSchema(Schema):
    """A correction of one registered fact: exactly one field filled in, and why."""

    @validates_schema
    def one_field(self, data: dict[str, Any], **kwargs: Any) -> None:
        named = [name for name in data if name != "reason"]
        if len(named) != 1:
            raise ValidationError(
                gettext("Fill in exactly one fact to correct (the right value), and the reason.")
            )


FLAGS = frozenset({"above_designated_size"})


def corrected(data: dict[str, Any]) -> tuple[str, Any]:
    """The field a correction form names and its value (a yes/no choice as a boolean)."""
    (name, value), *_ = ((k, v) for k, v in data.items() if k != "reason")
    return name, value == "yes" if name in FLAGS else value
