"""Which page of a list is asked for (``?page=``), and where it starts."""

from __future__ import annotations

PAGE_SIZE = 20


def page_number(value: str | None) -> int:
    """The 1-based page asked for in ``?page=``; anything odd is page 1."""
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return max(1, min(number, 10_000))


def offset(number: int, size: int = PAGE_SIZE) -> int:
    return (number - 1) * size
