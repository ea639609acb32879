"""In-process caches: a bounded map that forgets the least recently used entry, and answers
remembered for as long as the object they were worked out for lives.

Each caller decides what makes an entry current (a version, a log position, a snapshot):
these only keep entries and bound how many.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
_MISSING = object()


class LRU(Generic[K, V]):
    """At most ``size`` entries; storing one more forgets the one used longest ago."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"an LRU holds at least one entry, not {size}")
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def get(self, key: K) -> V | None:
        """The entry for ``key``, now the most recently used; None when there is none."""
        if key not in self._entries:
            return None
        self._entries.move_to_end(key)
        return self._entries[key]

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` for ``key`` as the most recently used entry."""
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()

    def remembered(self, key: K, compute: Callable[[], V]) -> V:
        """The entry for ``key``, or ``compute()`` kept for it (even when it is None)."""
        found = self._entries.get(key, _MISSING)
        if found is _MISSING:
            value = compute()
            self.put(key, value)
            return value
        self._entries.move_to_end(key)
        return found  # type: ignore[return-value]


class PerObject(Generic[K, V]):
    """Answers kept per owner object, and forgotten with it (the owner is held weakly)."""

    def __init__(self) -> None:
        self._by_owner: weakref.WeakKeyDictionary[object, dict[K, V]] = weakref.WeakKeyDictionary()

    def __len__(self) -> int:
        """How many owners have answers kept."""
        return len(self._by_owner)

    def remembered(self, owner: object, key: K, compute: Callable[[], V]) -> V:
        """``compute()`` once per ``owner`` and ``key``."""
        answers = self._by_owner.setdefault(owner, {})
        if key not in answers:
            answers[key] = compute()
        return answers[key]
