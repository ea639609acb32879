"""Failed sign-ins counted in the store beside the log: one count for every worker and node."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from registry.config import Settings
from registry.facade import Registry
from registry.stores.sign_in_attempts import Limit, SignInThrottle

PER_ADDRESS = Limit(failures=4, seconds=600)
PER_USERNAME = Limit(failures=2, seconds=300)
T0 = 1_800_000_000.0


def throttle(registry: Registry) -> SignInThrottle:
    return SignInThrottle(
        registry.side_stores.failed_sign_ins(), per_address=PER_ADDRESS, per_username=PER_USERNAME
    )


@pytest.fixture
def two_nodes(store_settings: Settings, tmp_path: Path) -> Iterator[tuple[Registry, Registry]]:
    """Two applications on one store: workers on one data directory, or nodes on one log."""
    other = store_settings
    if store_settings.uses_postgres:
        other = replace(store_settings, data_dir=tmp_path / "node-b")
    first, second = Registry(store_settings), Registry(other)
    yield first, second
    first.close()
    second.close()


def test_failures_through_one_node_count_on_the_other(
    two_nodes: tuple[Registry, Registry],
) -> None:
    here, there = (throttle(node) for node in two_nodes)
    for n in range(3):
        here.failed("203.0.113.7", f"user{n}", now=T0 + n)
    assert there.wait("203.0.113.7", "user9", now=T0 + 10) == 0
    there.failed("203.0.113.7", "user3", now=T0 + 10)
    # the address limit is reached: it lifts when the oldest failure is ten minutes old
    assert here.wait("203.0.113.7", "user9", now=T0 + 20) == pytest.approx(580)
    assert here.wait("198.51.100.20", "user9", now=T0 + 20) == 0
    assert here.wait("203.0.113.7", "user9", now=T0 + 600.5) == 0


def test_a_username_is_held_back_sooner_and_forgiven_on_success(
    two_nodes: tuple[Registry, Registry],
) -> None:
    here, there = (throttle(node) for node in two_nodes)
    here.failed("203.0.113.7", "Admin ", now=T0)
    there.failed("203.0.113.7", "admin", now=T0 + 1)
    assert here.wait("203.0.113.7", "ADMIN", now=T0 + 2) == pytest.approx(298)
    assert here.wait("203.0.113.7", "auditor", now=T0 + 2) == 0
    there.succeeded("203.0.113.7", "admin")
    assert here.wait("203.0.113.7", "admin", now=T0 + 3) == 0


def test_failures_older_than_every_window_are_deleted(
    two_nodes: tuple[Registry, Registry],
) -> None:
    here, _ = two_nodes
    count = throttle(here)
    count.failed("203.0.113.7", "user1", now=T0)
    count.failed("198.51.100.20", "user2", now=T0 + 601)
    store = here.side_stores.failed_sign_ins()
    assert store.recent("203.0.113.7", since=0) == []
    assert store.recent("198.51.100.20", since=0) == [("user2", T0 + 601)]
