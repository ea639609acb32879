"""The in-process caches: bounded by use, and tied to the life of their owner."""

from __future__ import annotations

import gc

import pytest

from registry.caches import LRU, PerObject


def test_storing_past_the_size_forgets_the_entry_used_longest_ago() -> None:
    # construct: three entries in a cache of three
    cache: LRU[str, int] = LRU(3)
    for n, key in enumerate("abc"):
        cache.put(key, n)
    # evolve: reading "a" makes "b" the oldest; a fourth entry pushes it out
    assert cache.get("a") == 0
    cache.put("d", 3)
    # query
    assert ("b" in cache, len(cache)) == (False, 3)
    assert [cache.get(key) for key in "acd"] == [0, 2, 3]


def test_storing_a_key_again_replaces_its_value_and_makes_it_the_newest() -> None:
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("a", 10)
    cache.put("c", 3)
    assert (cache.get("a"), "b" in cache, len(cache)) == (10, False, 2)


def test_a_remembered_answer_is_computed_once_even_when_it_is_none() -> None:
    cache: LRU[str, int | None] = LRU(2)
    calls: list[str] = []

    def compute() -> None:
        calls.append("computed")

    assert cache.remembered("a", compute) is None
    assert cache.remembered("a", compute) is None
    assert calls == ["computed"]


def test_remembering_refreshes_the_entry_it_returns() -> None:
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.remembered("a", lambda: 99) == 1
    cache.put("c", 3)
    assert ("a" in cache, "b" in cache) == (True, False)


def test_a_cache_holds_at_least_one_entry() -> None:
    with pytest.raises(ValueError):
        LRU(0)


class Owner:
    """Any object an answer may be tied to (a snapshot's connection, say)."""


def test_answers_are_kept_per_owner_and_forgotten_with_it() -> None:
    answers: PerObject[str, list[str]] = PerObject()
    first, second = Owner(), Owner()
    calls: list[str] = []

    def compute(name: str) -> list[str]:
        calls.append(name)
        return [name]

    # the same key is worked out once per owner
    assert answers.remembered(first, "k", lambda: compute("first")) == ["first"]
    assert answers.remembered(first, "k", lambda: compute("again")) == ["first"]
    assert answers.remembered(second, "k", lambda: compute("second")) == ["second"]
    assert calls == ["first", "second"]
    # an owner gone takes its answers with it
    del first
    gc.collect()
    assert len(answers) == 1
