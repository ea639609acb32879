"""Pages read lists and records from the read models, never by replaying the log.

``read()`` opens one consistent snapshot of the read models, caught up to the end of the
log first if another process (a command line load, another node) wrote since.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlite_utils import Database

from projections.generations import ReadModels
from web.auth import registry

PAGE_SIZE = 20


@contextmanager
def read() -> Iterator[Database]:
    models: ReadModels = current_app.extensions["read_models"]
    with models.reading(at_least=registry().max_position()) as db:
        yield db


def page_number(value: str | None) -> int:
    """The 1-based page asked for in ``?page=``; anything odd is page 1."""
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return max(1, min(number, 10_000))


def offset(number: int, size: int = PAGE_SIZE) -> int:
    return (number - 1) * size
