"""The stores beside the log and the read-side engine each live in their own package, and only
there."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

import projections.engine
import registry.stores

MOVED = ["key_store", "credentials", "access_log", "sign_in_attempts", "side_stores", "postgres"]


@pytest.mark.parametrize("name", MOVED)
def test_a_store_module_is_found_under_registry_stores_only(name: str) -> None:
    assert importlib.util.find_spec(f"registry.stores.{name}") is not None
    assert importlib.util.find_spec(f"registry.{name}") is None


def test_the_stores_package_says_what_it_holds() -> None:
    assert registry.stores.__doc__ and "beside the log" in registry.stores.__doc__


ENGINE = {
    "view": "view",
    "engine": "projector",
    "generations": "read_models",
    "rows": "rows",
    "statements": "statements",
    "versions": "versions",
    "events": "events",
    "asof": "asof",
    "paging": "paging",
}


@pytest.mark.parametrize(("old", "new"), sorted(ENGINE.items()))
def test_an_engine_module_is_found_under_projections_engine_only(old: str, new: str) -> None:
    assert importlib.util.find_spec(f"projections.engine.{new}") is not None
    if old != "engine":
        assert importlib.util.find_spec(f"projections.{old}") is None
    else:
        assert importlib.util.find_spec("projections.engine").submodule_search_locations


@pytest.mark.parametrize(
    "job", ["connections", "locks", "pointer", "rebuilds", "second_process", "read_models"]
)
def test_each_job_of_the_read_model_files_has_its_own_module(job: str) -> None:
    assert importlib.util.find_spec(f"projections.engine.{job}") is not None
    assert importlib.util.find_spec("projections.engine.generations") is None


def test_the_engine_package_says_what_it_guarantees() -> None:
    doc = projections.engine.__doc__ or ""
    for promise in (
        "Exactly once",
        "Row versions",
        "Generations",
        "Read-your-writes",
        "Damaged events stop a catch-up",
    ):
        assert promise in doc


def view_modules() -> list[str]:
    engine = Path(projections.engine.__file__).parent
    return sorted(p.stem for p in engine.parent.glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("name", view_modules())
def test_a_view_module_imports_the_engine_only_through_its_surface(name: str) -> None:
    source = (Path(projections.engine.__file__).parent.parent / f"{name}.py").read_text()
    assert not re.search(r"\bprojections\.engine\.\w+", source.replace("projections/engine", ""))
