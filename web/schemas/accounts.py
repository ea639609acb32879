"""Forms about accounts: signing in, asking for an account, passwords, administration."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, validates_schema

from domain.account import GRANTABLE_ROLES
from domain.enterprise import REGISTRATION_FACTS
from domain.prefectures import PREFECTURES
from registry.stores.credentials import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from web.schemas.common import YES_NO, prefecture_choice
from web.schemas.fields import USCC, Choice, Flag, PartyRef, Password, Text, Username, shown
from web.schemas.parties import ownership_choice


def _check_new_password(password: str, confirm: str, username: str, field: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            gettext(
                "Use at least %(min)s characters; a short sentence is easy to remember.",
                min=MIN_PASSWORD_LENGTH,
            ),
            field,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(
            gettext("Use at most %(max)s characters.", max=MAX_PASSWORD_LENGTH), field
        )
    if password.strip().lower() == username.lower():
        raise ValidationError(
            gettext("The password must not be the username; choose something else."), field
        )
    if password != confirm:
        raise ValidationError(
            gettext("The two passwords differ; type the same password twice."),
            f"{field}_confirm",
        )


class LoginSchema(Schema):
    username = Text(required=True, max_length=64)
    password = Password(required=True)


class AccountRequestSchema(Schema):
    """An enterprise asks for an account: who, for which enterprise, and a password."""

    organisation = Text(required=True, max_length=200)
    uscc = USCC(required=True)
    display_name = Text(required=True, max_length=100)
    contact = Text(required=True, max_length=100)
    username = Username(required=True)
    password = Password(required=True)
    password_confirm = Password(required=True)
    # the enterprise's registration facts, for an enterprise not registered yet: checked like
    # the administrator's registration form, all or none
    prefecture = prefecture_choice()
    industry = Text(max_length=100, metadata=shown(_l("Industry")))
    above_designated_size = Choice(
        YES_NO,
        metadata=shown(_l("Above designated size (规模以上)"), labels=YES_NO, blank=_l("choose")),
    )
    ownership = ownership_choice(_l("Ownership"), _l("choose"))

    @validates_schema(skip_on_field_errors=False)
    def passwords(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "password" in data and "password_confirm" in data:
            _check_new_password(
                data["password"], data["password_confirm"], data.get("username", ""), "password"
            )

    @validates_schema(skip_on_field_errors=False)
    def all_facts_or_none(self, data: dict[str, Any], **kwargs: Any) -> None:
        given = [name for name in REGISTRATION_FACTS if data.get(name) is not None]
        if given and len(given) < len(REGISTRATION_FACTS):
            raise ValidationError(
                {
                    name: [gettext("Fill this in too: the registration needs every fact.")]
                    for name in REGISTRATION_FACTS
                    if data.get(name) is None
                }
            )


def registration(data: dict[str, Any]) -> dict[str, Any] | None:
    """The enterprise's registration facts of an account request, if it gave them."""
    if data.get("prefecture") is None:
        return None
    return {
        **{name: data[name] for name in REGISTRATION_FACTS},
        "above_designated_size": data["above_designated_size"] == "yes",
    }


class PasswordResetSchema(Schema):
    """A new password, typed twice, for the account named by ``username``."""

    new = Password(required=True)
    new_confirm = Password(required=True)

    def __init__(self, username: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.username = username

    @validates_schema
    def passwords(self, data: dict[str, Any], **kwargs: Any) -> None:
        _check_new_password(data["new"], data["new_confirm"], self.username, "new")


class PasswordChangeSchema(PasswordResetSchema):
    current = Password(required=True)


class ReasonSchema(Schema):
    reason = Text(required=True, max_length=500, multiline=True)


class EmptySchema(Schema):
    """A step that needs nothing typed: the record's page shows what it records."""


class ApprovalSchema(Schema):
    """The enterprise the requested account is bound to, by its code."""

    uscc = USCC(required=True)


class AddAccountSchema(Schema):
    username = Username(required=True)
    display_name = Text(required=True, max_length=100)
    role = Choice(sorted(r.value for r in GRANTABLE_ROLES), required=True)
    party = PartyRef()
    prefecture = Choice(sorted(PREFECTURES))


class RoleGrantSchema(Schema):
    """Another role for an account; ``confirm`` is the second step's answer for roles that
    read or manage everything."""

    role = Choice(sorted(r.value for r in GRANTABLE_ROLES), required=True)
    party = PartyRef()
    prefecture = Choice(sorted(PREFECTURES))
    confirm = Flag()
