"""A replay: the read models built afresh from the log into a scratch file, then compared with
the live ones at the same position, so an auditor can check that what pages show is what
the log says.

The scratch file is a rebuild like any other (projections/engine/rebuilds.py, a second
process on a long log) of the log cut at the position (projections/engine/truncated.py), in
a directory of its own beside the generations, removed afterwards. The live file is only
ever read, through a read-only connection: a replay writes nothing to it, takes none of its
locks, and never catches it up. At the live file's own position (the default) its tables
are compared; at an earlier position, its row versions valid there
(projections/engine/comparison.py).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domain.errors import DomainError
from projections.engine.comparison import Difference, ViewComparison, compare, is_versions
from projections.engine.projector import Progress, outdated
from projections.engine.read_models import ReadModels, position_of
from projections.engine.truncated import Truncated
from projections.engine.versions import SUFFIX


class ReplayImpossible(DomainError):
    """The read models cannot be replayed and compared at that position."""

    code = "replay_impossible"


@dataclass(frozen=True)
class Replay:
    """What a replay found: each view's comparison at ``position``; ``head``: the log's last
    position when it ran; ``current``: whether the live tables themselves were compared (the
    live file stood at ``position``) rather than their row versions."""

    position: int
    head: int
    current: bool
    views: list[ViewComparison]

    @property
    def identical(self) -> bool:
        return all(view.identical for view in self.views)

    @property
    def differing(self) -> list[ViewComparison]:
        return [view for view in self.views if not view.identical]

    def as_json(self, rows: int = 3) -> dict[str, Any]:
        return {
            "position": self.position,
            "head": self.head,
            "compared": "tables" if self.current else "row versions",
            "identical": self.identical,
            "views": [
                {
                    "view": view.name,
                    "identical": view.identical,
                    "differences": view.differences,
                    "tables": {t.table: t.differences for t in view.tables if t.differences},
                    "first": [d.as_json() for d in view.first(rows)],
                    "not_compared": view.skipped,
                }
                for view in self.views
            ],
        }


def replay(models: ReadModels, at: int | None = None, progress: Progress | None = None) -> Replay:
    """Build the read models from ``models``' log up to ``at`` (default: the live file's
    position) in a scratch file and compare them with the live file at that position."""
    live = _live_file(models)
    with _read_only(live) as conn:
        differences = outdated(conn, models.views)
        reached = position_of(conn, models.views)
    if differences:
        raise ReplayImpossible(reason="outdated")
    position = reached if at is None else at
    if position < 0:
        raise ReplayImpossible(reason="negative", position=position)
    if position > reached:
        raise ReplayImpossible(reason="ahead", position=position, reached=reached)
    head = models.log.head()
    scratch = Path(tempfile.mkdtemp(prefix="replay-", dir=models.directory))
    try:
        fresh = ReadModels(
            scratch,
            models.views,
            Truncated(models.log, position),
            batch=models.batch,
            opener=models.opener,
            apart=models.apart,
            parallel_from=models.parallel_from,
        )
        built = fresh.path(fresh.rebuild(progress))
        with _read_only(built) as conn:
            conn.execute("ATTACH DATABASE ? AS live", [_uri(live)])
            conn.execute("BEGIN")
            tracked = dict(conn.execute("SELECT view, position FROM live._tracking"))
            now = min((tracked.get(view.name, 0) for view in models.views), default=0)
            compared = compare(conn, models.views, position, current=now == position)
            conn.execute("COMMIT")
        return Replay(position, head, now == position, compared)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _live_file(models: ReadModels) -> Path:
    generation = models.generation()
    if generation is None or not models.path(generation).exists():
        raise ReplayImpossible(reason="no_read_models")
    return models.path(generation)


def _uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that cannot write to the file, nor checkpoint its WAL into it."""
    conn = sqlite3.connect(_uri(path), uri=True, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def described(found: Replay, rows: int = 3) -> list[str]:
    """The replay's result in words: what was compared, then the first differing rows of
    each view that differs, or that every view is identical."""
    against = (
        "the live read models' tables"
        if found.current
        else f"the live read models' row versions as of position {found.position}"
    )
    lines = [
        f"Replayed the log up to position {found.position} (its last position is {found.head})"
        f" into a scratch file and compared every view with {against}."
    ]
    if found.identical:
        lines.append(f"Identical: all {len(found.views)} views hold the same rows.")
    else:
        differing = found.differing
        lines.append(
            f"Different: {len(differing)} of {len(found.views)} views differ from the log."
        )
        for view in differing:
            counts = ", ".join(f"{t.table} {t.differences}" for t in view.tables if t.differences)
            lines.append(f"  {view.name}: {view.differences} differing row(s) ({counts})")
            lines.extend(f"    {_said(difference)}" for difference in view.first(rows))
        lines.append(
            "The log is the record: `registry rebuild` replaces the live read models with"
            " ones built from it."
        )
    skipped = sorted(table for view in found.views for table in view.skipped)
    if skipped:
        lines.append(f"Not compared (working tables keep no past): {', '.join(skipped)}.")
    return lines


def _said(difference: Difference) -> str:
    table = difference.table
    if is_versions(table):
        table = f"row versions of {table.removesuffix(SUFFIX)}"
    row = f"{table}, row {_values(difference.key)}"
    if difference.live is None:
        built = _values(difference.rebuilt)
        return f"{row}: missing from the live read models (from the log: {built})"
    if difference.rebuilt is None:
        return f"{row}: in the live read models only ({_values(difference.live)})"
    changes = "; ".join(
        f"{name} is {_value(difference.live[name])} in the live read models,"
        f" {_value(difference.rebuilt.get(name))} from the log"
        for name in difference.columns
    )
    return f"{row}: {changes}"


def _values(row: dict[str, Any] | None) -> str:
    return ", ".join(f"{name}={_value(value)}" for name, value in (row or {}).items())


def _value(value: Any) -> str:
    return "NULL" if value is None else json.dumps(value, ensure_ascii=False)


def refusal(error: ReplayImpossible) -> str:
    """Why the replay was refused, and what to do, in a sentence."""
    reason, params = error.params.get("reason"), error.params
    if reason == "no_read_models":
        return "There are no read models to compare yet: run `registry project` first."
    if reason == "outdated":
        return (
            "The live read models were built by other view code than this registry's:"
            " run `registry rebuild` (or start the registry) first, then replay."
        )
    if reason == "ahead":
        return (
            f"The live read models stand at position {params['reached']}, before"
            f" {params['position']}: choose a position up to {params['reached']}, or run"
            " `registry project` first."
        )
    return f"A position is a whole number, 0 or more, not {params.get('position')}."
