"""The engine keeps the views it is given: the list in projections/__init__.py, and only it."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import projections
from projections import VIEWS
from projections.engine import View
from projections.engine.view import checked


def declared_views() -> dict[str, View]:
    """Every module of the projections package that declares a ``view``, by module name."""
    found = {}
    for module in pkgutil.iter_modules(projections.__path__):
        if module.ispkg:
            continue
        declared = getattr(importlib.import_module(f"projections.{module.name}"), "view", None)
        if isinstance(declared, View):
            found[module.name] = declared
    return found


@pytest.mark.parametrize("module", sorted(declared_views()))
def test_every_view_module_is_in_the_list_the_engine_is_given(module: str) -> None:
    assert declared_views()[module] in VIEWS, f"add projections.{module}.view to VIEWS"


def test_the_list_holds_only_views_declared_by_modules() -> None:
    assert set(VIEWS) <= set(declared_views().values())
    assert checked(VIEWS) == list(VIEWS)


AS = '"audit_events"'


def test_constructing_a_view_registers_nothing_outside_it() -> None:
    before = [view.source("audit_events", 7) for view in VIEWS if view.name == "audit"]
    View("elsewhere", version=1, logs={"audit_events": "since"}, internal={"agreements"})
    after = [view.source("audit_events", 7) for view in VIEWS if view.name == "audit"]
    assert (
        before
        == after
        == ['(SELECT * FROM "audit_events" WHERE "position" <= 7) AS "audit_events"']
    )
    assert "agreements__versions" in projections.agreement_queries.source("agreements", 7)


def test_two_views_claiming_one_name_or_table_are_refused() -> None:
    one = View("one", version=1, logs={"entries": "position"})
    with pytest.raises(ValueError, match="two views are named one"):
        checked([one, View("one", version=1)])
    with pytest.raises(ValueError, match="entries is declared by both one and two"):
        checked([one, View("two", version=1, internal={"entries"})])
