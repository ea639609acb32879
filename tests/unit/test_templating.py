"""Rows are dicts: the pages' Jinja environment reads their keys first, meaning the same."""

from __future__ import annotations

import pytest
from jinja2 import StrictUndefined, UndefinedError

from web.templating import RegistryFlask


def render(source: str, **context: object) -> str:
    app = RegistryFlask(__name__)
    with app.app_context():
        return app.jinja_env.from_string(source).render(**context)


def test_a_rows_keys_are_read_as_attributes() -> None:
    assert render("{{ row.title }} {{ row.id }}", row={"title": "协议", "id": 7}) == "协议 7"


def test_a_dicts_own_methods_keep_their_meaning_even_when_a_key_has_the_name() -> None:
    row = {"items": "a column", "b": 2}
    assert render("{{ row.items()|list|length }} {{ row['items'] }}", row=row) == "2 a column"
    assert render("{{ row.get('b') }}", row=row) == "2"


def test_a_missing_key_is_undefined_as_before() -> None:
    assert render("[{{ row.missing }}]", row={}) == "[]"
    app = RegistryFlask(__name__)
    app.jinja_env.undefined = StrictUndefined
    with app.app_context(), pytest.raises(UndefinedError):
        app.jinja_env.from_string("{{ row.missing }}").render(row={})


def test_objects_are_read_by_attribute_as_before() -> None:
    class Page:
        items = ("x",)

    assert render("{{ page.items|join }}", page=Page()) == "x"
