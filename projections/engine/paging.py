"""What list pages share: filters built into one WHERE clause, pages with a total count."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from projections.engine.asof import as_stood

MAX_LIMIT = 500


@dataclass(frozen=True)
class Page:
    """One page of rows and how many rows the filters match in all."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total


@dataclass
class Where:
    """AND-ed conditions with their parameters; ``add`` ignores filters left empty (None)."""

    clauses: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def add_if(self, value: Any, clause: str, count: int = 1) -> None:
        if value is not None:
            self.add(clause, *([value] * count))

    @property
    def sql(self) -> str:
        return " WHERE " + " AND ".join(self.clauses) if self.clauses else ""


def page(
    db: Database,
    *,
    select: str,
    source: str,
    where: Where,
    order_by: str,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """``SELECT select FROM source WHERE … ORDER BY order_by`` one page at a time."""
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise ValueError(f"limit must be 1–{MAX_LIMIT} and offset at least 0")
    total = db.execute(f"SELECT count(*) FROM {source}{where.sql}", where.params).fetchone()[0]
    items = [
        as_stood(row)
        for row in db.query(
            f"SELECT {select} FROM {source}{where.sql} ORDER BY {order_by} LIMIT ? OFFSET ?",
            [*where.params, limit, offset],
        )
    ]
    return Page(items=items, total=total, limit=limit, offset=offset)


def counts(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """``{key: n}`` from rows of ``key, n`` (what ``GROUP BY`` count queries return)."""
    return {str(row["key"]): int(row["n"]) for row in rows if row["key"] is not None}
