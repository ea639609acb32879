"""The auditor's replay form: at which position of the log to compare (none: now)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from web.schemas.fields import Whole, shown


class ReplaySchema(Schema):
    position = Whole(
        minimum=0,
        metadata=shown(
            _l("As of position"),
            _l("Leave empty to compare where the read models stand now."),
        ),
    )
