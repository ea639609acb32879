"""Every text field of every form refuses characters that cannot be seen or that reorder the
text, with a sentence beside the field; only multi-line fields keep line breaks and tabs."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask import Flask
from flask.testing import FlaskClient
from marshmallow import Schema, ValidationError

import web.schemas
from registry.facade import Registry
from tests.web.conftest import PASSWORD, Placed, location_id, post, register_placement, sign_in
from tests.web.pages import errors
from web.schemas.fields import Text

HIDDEN = ("\x00", "\x07", "\x08", "\x1b", "\u202e", "\u2067", "\ufeff", "\u2028")


def instance(schema: type[Schema]) -> Schema:
    try:
        return schema()
    except TypeError:  # a password form names its account
        return schema("someone")  # type: ignore[call-arg]


def text_fields() -> list[tuple[str, Schema, str, Text]]:
    """(schema name, schema, field name, field) for every text field of every form."""
    found = []
    for module_info in pkgutil.iter_modules(web.schemas.__path__):
        module = importlib.import_module(f"web.schemas.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Schema) and value is not Schema:
                schema = instance(value)
                for name, declared in schema.fields.items():
                    if isinstance(declared, Text):
                        found.append((value.__name__, schema, name, declared))
    return found


def test_text_fields_are_found_in_every_module() -> None:
    names = {f"{schema}.{name}" for schema, _, name, _ in text_fields()}
    assert {"SchoolSchema.name", "IncidentSchema.description", "ReasonSchema.reason"} <= names
    assert len(names) > 40


@pytest.mark.parametrize("char", HIDDEN)
def test_every_text_field_refuses_a_hidden_character(app: Flask, char: str) -> None:
    for schema_name, _, name, declared in text_fields():
        with app.test_request_context(), pytest.raises(ValidationError) as refused:
            declared.deserialize(f"甲{char}乙")
        message = " ".join(refused.value.messages)
        assert f"U+{ord(char):04X}" in message, (schema_name, name, message)


def test_only_multi_line_fields_keep_line_breaks(app: Flask) -> None:
    multiline = set()
    for schema_name, _, name, declared in text_fields():
        with app.test_request_context():
            try:
                declared.deserialize("第一行\r\n第二行\t附注")
            except ValidationError:
                assert not declared.multiline, (schema_name, name)
            else:
                assert declared.multiline, (schema_name, name)
                multiline.add(f"{schema_name}.{name}")
    assert {"IncidentSchema.description", "ReasonSchema.reason", "DeclineSchema.reason"} <= (
        multiline
    )


def test_an_incident_with_a_bidi_override_is_refused_and_nothing_is_recorded(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    sign_in(client, "school", PASSWORD)
    placement = location_id(register_placement(client, placed))
    before = registry.max_position()
    refused = post(
        client,
        f"/placements/{placement}/record_incident",
        {"occurred_on": "2026-01-05", "severity": "minor", "description": "手指\u202e划伤"},
    )
    assert refused.status_code == 422
    assert "U+202E" in errors(refused.get_data(as_text=True))["description"]
    assert registry.max_position() == before
