"""Form fields whose messages are whole sentences in the page's language.

Messages are looked up when a form is loaded (inside the request), so they come out in the
language of the page that submitted the form. Checks the domain owns (USCC, usernames) are
the domain's own functions, their refusals phrased by web/messages.py.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields

from domain.account import validate_username
from domain.characters import hidden_characters, visible
from domain.errors import DomainError
from domain.uscc import party_id_for, validate_uscc
from web.messages import sentence

REQUIRED = _l("Please fill this in.")


class Translated(fields.Field):  # type: ignore[type-arg]
    """Base for fields whose error messages are lazy translations."""

    default_error_messages = {"required": REQUIRED, "null": REQUIRED}

    def make_error(self, key: str, **kwargs: Any) -> ValidationError:
        return ValidationError(str(self.error_messages[key]))


class Text(Translated, fields.String):
    """Text typed by a user. Characters that cannot be seen or that reorder what is shown
    (NUL, BEL, U+202E…, domain/characters.py) are refused; a ``multiline`` text (a textarea)
    keeps line breaks and tabs."""

    default_error_messages = {"invalid": _l("Type this as text.")}

    def __init__(
        self, *, max_length: int = 200, multiline: bool | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length
        self.multiline = (
            multiline if multiline is not None else self.metadata.get("widget") == "textarea"
        )

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = str(super()._deserialize(value, attr, data, **kwargs)).strip()
        found = hidden_characters(text, self.multiline)
        if found:
            raise ValidationError(
                gettext(
                    "This contains characters that cannot be seen or that reorder the text "
                    "(%(characters)s); delete them and type the text again.",
                    characters=", ".join(visible(c) for c in found),
                )
            )
        if len(text) > self.max_length:
            raise ValidationError(
                gettext(
                    "Use at most %(max)s characters; this has %(length)s.",
                    max=self.max_length,
                    length=len(text),
                )
            )
        return text


class Day(Translated, fields.Date):
    default_error_messages = {
        "invalid": _l("Enter a date as year-month-day, for example 2025-09-01."),
        "format": _l("Enter a date as year-month-day, for example 2025-09-01."),
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        day: date = super()._deserialize(value, attr, data, **kwargs)
        if not 1949 <= day.year <= 2100:
            raise ValidationError(gettext("Enter a year between 1949 and 2100."))
        return day


class Yuan(Translated, fields.Decimal):
    """An amount in yuan: digits with at most two decimals, greater than zero.

    Refused before any arithmetic: a huge, infinite or not-a-number amount would otherwise
    overflow the decimal context when rounded to fen.
    """

    MINIMUM = decimal.Decimal("0.01")
    MAXIMUM = decimal.Decimal("999999999999.99")

    default_error_messages = {
        "invalid": _l("Enter an amount in yuan using digits only, for example 250000 or 1500.50."),
        "special": _l("Enter an amount in yuan using digits only, for example 250000 or 1500.50."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(places=None, **kwargs)

    def _deserialize(
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> decimal.Decimal:
        cleaned = str(value).replace(",", "").replace("，", "").replace("¥", "").strip()
        amount: decimal.Decimal = super()._deserialize(cleaned, attr, data, **kwargs)
        if not amount.is_finite():
            raise self.make_error("special")
        if not self.MINIMUM <= amount <= self.MAXIMUM:
            raise ValidationError(
                gettext(
                    "Enter an amount from %(minimum)s to %(maximum)s yuan.",
                    minimum=self.MINIMUM,
                    maximum="999,999,999,999.99",
                )
            )
        if amount != amount.quantize(decimal.Decimal("0.01")):
            raise ValidationError(gettext("Yuan have at most two decimals (fen)."))
        return amount


class Choice(Translated, fields.String):
    """One of a fixed set of values (a select or radio buttons)."""

    default_error_messages = {"invalid": _l("Choose one of the options offered.")}

    def __init__(self, choices: Iterable[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = tuple(choices)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = str(value)
        if text not in self.choices:
            raise self.make_error("invalid")
        return text


class Choices(Translated, fields.List):  # type: ignore[type-arg]
    """Several of a fixed set of values (checkboxes); an empty choice is a missing one."""

    default_error_messages = {"invalid": _l("Choose among the options offered.")}

    def __init__(self, choices: Iterable[str] | None = None, **kwargs: Any) -> None:
        super().__init__(fields.String(), **kwargs)
        self.choices = tuple(choices) if choices is not None else None

    def _deserialize(  # type: ignore[override]
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.make_error("invalid")
        if self.choices is not None and any(v not in self.choices for v in value):
            raise self.make_error("invalid")
        return list(dict.fromkeys(value))


class RecordId(Translated, fields.UUID):
    default_error_messages = {"invalid_uuid": _l("Choose one from the list.")}


class RecordIds(Choices):
    """Several records ticked in a list, each by its id; anything else is not among them."""

    def _deserialize(  # type: ignore[override]
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> list[UUID]:
        chosen = super()._deserialize(value, attr, data, **kwargs)
        try:
            return list(dict.fromkeys(UUID(v) for v in chosen))
        except ValueError:
            raise self.make_error("invalid") from None


class USCC(Translated, fields.String):
    """A unified social credit code, checked as GB 32100 says (the check character too)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        code = "".join(str(value).split())
        try:
            return validate_uscc(code)
        except DomainError as refused:
            raise ValidationError(sentence(refused)) from None


class PartyRef(Translated, fields.String):
    """The party an account acts for: a school's or enterprise's USCC, or any record id."""

    def _deserialize(  # type: ignore[override]
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> UUID:
        text = "".join(str(value).split())
        try:
            return UUID(text)
        except ValueError:
            pass
        try:
            return party_id_for(validate_uscc(text))
        except DomainError as refused:
            raise ValidationError(sentence(refused)) from None


class Username(Translated, fields.String):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        try:
            return validate_username(str(value).strip())
        except DomainError as refused:
            raise ValidationError(sentence(refused)) from None


class Password(Translated, fields.String):
    """Passed through untouched: spaces in a password are part of it."""


class Whole(Translated, fields.Integer):
    """A whole number within bounds (a year, a count, a claim's number)."""

    default_error_messages = {"invalid": _l("Enter a whole number using digits only.")}

    def __init__(self, *, minimum: int = 0, maximum: int = 10**9, **kwargs: Any) -> None:
        super().__init__(strict=False, **kwargs)
        self.minimum = minimum
        self.maximum = maximum

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        cleaned = str(value).replace(",", "").replace("，", "").strip()
        number: int = super()._deserialize(cleaned, attr, data, **kwargs)
        if not self.minimum <= number <= self.maximum:
            raise ValidationError(
                gettext(
                    "Enter a number from %(minimum)s to %(maximum)s.",
                    minimum=self.minimum,
                    maximum=self.maximum,
                )
            )
        return number


class Flag(Translated, fields.Boolean):
    """A checkbox: ticked or not (a browser sends nothing for an unticked box)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(load_default=False, truthy={"on", "true", "1", "yes"}, **kwargs)


class Amount(Yuan):
    """A sum in yuan that may be zero (a student's pay, a claim paid nothing)."""

    MINIMUM = decimal.Decimal("0")

    def _deserialize(
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> decimal.Decimal:
        amount = super()._deserialize(value, attr, data, **kwargs)
        return decimal.Decimal("0") if amount == 0 else amount


def shown(label: Any, hint: Any = None, **more: Any) -> dict[str, Any]:
    """A field's ``metadata``: what its form shows (label, hint, widget, option names)."""
    return {"label": label, "hint": hint, **more}
