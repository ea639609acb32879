"""Names of the parties records name, for pages that show records between parties
(placements, policies, teachers' practice, group members): schools and enterprises from the
agreements view's ``agreement_parties``, industry parks and associations from the groups
view's ``organisations``. Queries only; this module keeps no tables of its own."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from projections.engine import source


def party_names(
    db: Database, ids: Iterable[str | None], *, at: int | None = None
) -> dict[str, dict[str, Any]]:
    """``{id: {"id", "side", "name", "prefecture"}}`` for the ids that name a party, as of
    ``at``; ``side`` is ``school``, ``enterprise``, ``industry_park`` or ``association``."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    rows = db.query(
        f"SELECT party_id AS id, side, name, prefecture FROM {source('agreement_parties', at)}"
        f" WHERE party_id IN ({marks}) UNION ALL SELECT id, kind, name, prefecture"
        f" FROM {source('organisations', at)} WHERE id IN ({marks})",
        wanted * 2,
    )
    return {row["id"]: row for row in rows}
