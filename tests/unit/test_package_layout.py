"""The stores beside the log live in their own package, and only there."""

from __future__ import annotations

import importlib.util

import pytest

import registry.stores

MOVED = ["key_store", "credentials", "access_log", "sign_in_attempts", "side_stores", "postgres"]


@pytest.mark.parametrize("name", MOVED)
def test_a_store_module_is_found_under_registry_stores_only(name: str) -> None:
    assert importlib.util.find_spec(f"registry.stores.{name}") is not None
    assert importlib.util.find_spec(f"registry.{name}") is None


def test_the_stores_package_says_what_it_holds() -> None:
    assert registry.stores.__doc__ and "beside the log" in registry.stores.__doc__
