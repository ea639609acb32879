"""A submitted form: what was typed, and what is wrong with it, field by field.

Views validate with a marshmallow schema, then run one command. Either step may refuse: the
schema's messages and the domain's refusals both land beside the field they concern, and
``values`` keeps everything the user typed (except passwords) so the page comes back as they
left it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import request
from marshmallow import Schema, ValidationError, fields

from domain.errors import DomainError
from web.messages import fields_of, sentence

SECRET_FIELDS = frozenset({"password", "password_confirm", "current", "new", "new_confirm"})


@dataclass
class Form:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.problems

    def value(self, name: str, default: Any = "") -> Any:
        return self.values.get(name, default)

    def chosen(self, name: str) -> list[str]:
        found = self.values.get(name, [])
        return [found] if isinstance(found, str) else list(found)

    def add(self, name: str | None, message: str) -> None:
        if name is None:
            self.problems.append(message)
        else:
            self.errors.setdefault(name, []).append(message)

    def refuse(self, error: DomainError, fields: tuple[str, ...] = ()) -> None:
        """Show a domain refusal beside its field if the form has it, else above the form."""
        name = next((f for f in fields_of(error) if f in fields), None)
        self.add(name, sentence(error))


def _messages(found: Any) -> list[str]:
    if isinstance(found, dict):
        return [m for value in found.values() for m in _messages(value)]
    if isinstance(found, list | tuple):
        return [m for value in found for m in _messages(value)]
    return [str(found)]


def submitted(schema: Schema) -> tuple[Form, dict[str, Any] | None]:
    """Read the request's form through ``schema``: the form, and the data if it is valid."""
    raw: dict[str, Any] = {}
    for name, declared in schema.fields.items():
        key = declared.data_key or name
        if isinstance(declared, fields.List):
            raw[key] = [v.strip() for v in request.form.getlist(key) if v.strip()]
        elif key in request.form:
            raw[key] = request.form[key]
    cleaned = {
        k: v.strip() if isinstance(v, str) and k not in SECRET_FIELDS else v
        for k, v in raw.items()
        if v not in ("", [])
    }
    form = Form(values={k: v for k, v in raw.items() if k not in SECRET_FIELDS})
    try:
        data: dict[str, Any] = schema.load(cleaned)
    except ValidationError as invalid:
        messages = invalid.messages if isinstance(invalid.messages, dict) else {}
        for name, found in messages.items():
            form.errors[name if name != "_schema" else "_form"] = _messages(found)
        if "_form" in form.errors:
            form.problems.extend(form.errors.pop("_form"))
        return form, None
    return form, data


@dataclass(frozen=True)
class FieldSpec:
    """How a form shows one schema field: its label, widget, hint and options."""

    name: str
    label: str
    widget: str
    hint: str | None = None
    options: list[tuple[str, str, str]] = field(default_factory=list)
    blank: str | None = None
    # the form that registers what this field picks, and the words of its link
    registers: tuple[str, str] | None = None


def _widget(declared: fields.Field) -> str:  # type: ignore[type-arg]
    from web.schemas import fields as ours

    found = declared.metadata.get("widget")
    if found:
        return str(found)
    for kind, widget in (
        (ours.Day, "date"),
        (ours.Whole, "number"),
        (ours.Flag, "checkbox"),
        (ours.Choices, "checkboxes"),
        (ours.Choice, "select"),
        (ours.RecordId, "select"),
    ):
        if isinstance(declared, kind):
            return widget
    return "text"


def _options(declared: fields.Field) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    found = declared.metadata.get("options")
    if callable(found):
        return [(str(v), str(text), str(extra)) for v, text, extra in found()]
    names = declared.metadata.get("labels") or {}
    choices = getattr(declared, "choices", None) or ()
    return [(value, str(names.get(value, value)), "") for value in choices]


def specs(schema: Schema) -> list[FieldSpec]:
    """The fields a schema's form shows, in declaration order, in the page's language."""
    shown = []
    for name, declared in schema.fields.items():
        if declared.metadata.get("label") is None:
            continue
        hint = declared.metadata.get("hint")
        blank = declared.metadata.get("blank")
        registers = declared.metadata.get("registers")
        shown.append(
            FieldSpec(
                name=declared.data_key or name,
                label=str(declared.metadata["label"]),
                widget=_widget(declared),
                hint=str(hint) if hint is not None else None,
                options=_options(declared),
                blank=str(blank) if blank is not None else None,
                registers=(registers[0], str(registers[1])) if registers else None,
            )
        )
    return shown
