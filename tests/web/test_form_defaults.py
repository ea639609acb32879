"""No form does what the user did not choose: every form, enumerated from the routes and
the schemas, starts its selects at an empty choice, ticks no box and fills no date; a choice
that matters is required, so a form sent untouched is refused rather than acted on."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import Any

from flask import Flask
from marshmallow import Schema, ValidationError, fields

import web.schemas
from web.actions import Creation, RecordPage
from web.forms import Form, specs
from web.schemas import fields as ours

CHOICE_LIKE = (ours.Choice, ours.Choices, ours.RecordId)


def _owner(view: Any) -> object | None:
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return getattr(view, "__self__", None)


def route_forms(app: Flask) -> dict[str, Schema]:
    """Every record action and creation form behind the generic rules, by endpoint."""
    found: dict[str, Schema] = {}
    for endpoint, view in app.view_functions.items():
        owner = _owner(view)
        if isinstance(owner, RecordPage):
            for action in owner.actions:
                found[f"{endpoint}/{action.name}"] = action.schema()
        elif isinstance(owner, Creation):
            found[endpoint] = owner.schema()
    return found


def schema_classes() -> dict[str, Schema]:
    """Every schema of web/schemas, the hand-drawn forms' too."""
    found: dict[str, Schema] = {}
    for module_info in pkgutil.iter_modules(web.schemas.__path__):
        module = importlib.import_module(f"web.schemas.{module_info.name}")
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, Schema) and value is not Schema:
                try:
                    found[value.__name__] = value()
                except TypeError:  # a password form names its account
                    found[value.__name__] = value("someone")  # type: ignore[call-arg]
    return found


def all_forms(app: Flask) -> dict[str, Schema]:
    return {**route_forms(app), **schema_classes()}


def test_the_forms_are_enumerated(app: Flask) -> None:
    forms = route_forms(app)
    assert {"policies.act/cover", "accounts.grant_role"} & set(forms) == {"policies.act/cover"}
    assert len(forms) > 60
    assert {"RoleGrantSchema", "AddAccountSchema", "PartnershipSchema"} <= set(schema_classes())


def _choice_like(declared: fields.Field) -> bool:  # type: ignore[type-arg]
    return isinstance(declared, CHOICE_LIKE) or declared.metadata.get("widget") == "select"


def test_no_choice_has_a_default(app: Flask) -> None:
    defaulted = [
        f"{form}.{name}"
        for form, schema in all_forms(app).items()
        for name, declared in schema.fields.items()
        if _choice_like(declared) and declared.load_default is not fields.missing_
    ]
    assert defaulted == []


def test_a_required_choice_sent_empty_is_refused(app: Flask) -> None:
    accepted = []
    for form, schema in all_forms(app).items():
        required = [n for n, d in schema.fields.items() if _choice_like(d) and d.required]
        if not required:
            continue
        with app.test_request_context():
            try:
                schema.load({})
            except ValidationError as refused:
                messages = refused.messages if isinstance(refused.messages, dict) else {}
                accepted += [f"{form}.{n}" for n in required if n not in messages]
            else:
                accepted += [f"{form}.{n}" for n in required]
    assert accepted == []


def test_an_optional_choice_says_what_leaving_it_empty_means(app: Flask) -> None:
    unexplained = [
        f"{form}.{name}"
        for form, schema in all_forms(app).items()
        for name, declared in schema.fields.items()
        if _choice_like(declared)
        and not declared.required
        and declared.metadata.get("label") is not None
        and not isinstance(declared, ours.Choices)
        and declared.metadata.get("blank") is None
    ]
    assert unexplained == []


def test_every_drawn_form_starts_empty(app: Flask) -> None:
    template = app.jinja_env.from_string(
        '{% import "_form.html" as f %}{{ f.fields(form, specs, choices) }}'
    )
    problems = []
    for form, schema in route_forms(app).items():
        shown = specs(schema)
        # options for the fields a page fills from its records
        choices = {s.name: [("a", "A", ""), ("b", "B", "")] for s in shown if not s.options}
        with app.test_request_context():
            html = template.render(form=Form(), specs=shown, choices=choices)
        for select in re.findall(r"<select.*?</select>", html, re.S):
            first = re.search(r'<option value="([^"]*)"', select)
            if first is None or first.group(1) != "" or " selected" in select:
                problems.append(f"{form}: {select[:80]}")
        if re.search(r"\bchecked\b", html):
            problems.append(f"{form}: a box is ticked")
        for value in re.findall(
            r'<input[^>]*type="(?:date|text|number)"[^>]*value="([^"]*)"', html
        ):
            if value:
                problems.append(f"{form}: a field is filled with {value!r}")
    assert problems == []
