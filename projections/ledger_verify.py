"""``registry verify``: the log against its ledger, the ledger's tree, and every checkpoint.

Every leaf is recomputed from the event store and compared, in order, with the leaf the
ledger kept when it followed the log; the tree's stored subtrees are compared with those
the recomputed leaves give; every kept checkpoint's signature is checked, its root compared
with the recomputed root at its size, and each with the next by a consistency proof. The
first position where the log no longer matches is named, with the record and version the
ledger recorded there and what happened (changed, deleted, inserted). The log and the ledger
are read in batches side by side, so memory stays constant whatever the log's length.

Checked ``against`` a checkpoint kept outside the registry, a rewrite of both the log and
the ledger that agrees with itself is caught too: the recomputed root at that size differs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from projections.engine import EventLog
from projections.ledger import Tree
from registry.ledger.checkpoints import Kept
from registry.ledger.leaves import event_leaf_hash
from registry.ledger.merkle import Frontier, verify_consistency
from registry.ledger.notes import Checkpoint, NoteError, Verifier, open_checkpoint

BATCH = 5000


@dataclass(frozen=True)
class Problem:
    """Where the log first stops matching its ledger, or a checkpoint fails."""

    kind: str  # changed, deleted, inserted, tree, checkpoint, against, shorter
    message: str
    position: int | None = None
    record_id: str | None = None
    version: int | None = None


@dataclass
class Outcome:
    events: int = 0
    checkpoints: int = 0
    problem: Problem | None = None
    latest: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None


def _log(log: EventLog) -> Iterator[Any]:
    after = 0
    while True:
        batch = log.select(after=after, limit=BATCH)
        if not batch:
            return
        yield from batch
        after = batch[-1].id


def _leaves(tree: Tree) -> Iterator[tuple[int, int, str, int, bytes]]:
    after = -1
    while True:
        rows = tree.conn.execute(
            "SELECT idx, position, record_id, version, hash FROM leaves WHERE idx > ?"
            " ORDER BY idx LIMIT ?",
            [after, BATCH],
        ).fetchall()
        if not rows:
            return
        for row in rows:
            yield row[0], row[1], row[2], row[3], bytes(row[4])
        after = rows[-1][0]


def verify(
    log: EventLog,
    tree: Tree,
    kept: list[Kept],
    verifier: Verifier,
    against: Checkpoint | None = None,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    outcome = Outcome(latest=kept[-1].size if kept else None)
    by_size = {k.size: k for k in kept}
    checkpoints: dict[int, Checkpoint] = {}
    for k in kept:
        try:
            checkpoints[k.size] = open_checkpoint(k.note, verifier)
        except NoteError as error:
            outcome.problem = Problem("checkpoint", f"checkpoint of {k.size} events: {error}")
            return outcome
        if checkpoints[k.size].root != k.root:
            outcome.problem = Problem("checkpoint", f"checkpoint of {k.size}: root differs")
            return outcome
    frontier = Frontier()
    events, leaves = _log(log), _leaves(tree)
    event, leaf = next(events, None), next(leaves, None)
    while event is not None or leaf is not None:
        if leaf is None:
            break  # events the ledger has not followed yet: nothing to compare them with
        if event is None or event.id > leaf[1]:
            outcome.problem = Problem(
                "deleted",
                f"the event at position {leaf[1]} ({leaf[2]} version {leaf[3]}) is missing"
                " from the log",
                leaf[1],
                leaf[2],
                leaf[3],
            )
            return outcome
        if event.id < leaf[1]:
            outcome.problem = Problem(
                "inserted",
                f"the log has an event at position {event.id} that the ledger never saw",
                event.id,
                str(event.originator_id),
                event.originator_version,
            )
            return outcome
        digest = event_leaf_hash(event)
        if digest != leaf[4]:
            outcome.problem = Problem(
                "changed",
                f"the event at position {event.id} ({leaf[2]} version {leaf[3]}) is not the"
                " one recorded there",
                event.id,
                leaf[2],
                leaf[3],
            )
            return outcome
        for level, index, node in frontier.append(digest)[1:]:
            if tree.subtree(level, index) != node:
                outcome.problem = Problem(
                    "tree", f"the ledger's subtree at level {level}, index {index} was altered"
                )
                return outcome
        outcome.events = frontier.size
        if frontier.size in by_size:
            outcome.checkpoints += 1
        if (
            against is not None
            and frontier.size == against.size != 0
            and (frontier.root() != against.root)
        ):
            outcome.problem = Problem(
                "against",
                f"the first {against.size} events do not have the root of the checkpoint"
                " given: the log was rewritten since it was signed",
            )
            return outcome
        if progress is not None and frontier.size % BATCH == 0:
            progress(event.id)
        event, leaf = next(events, None), next(leaves, None)
    sizes = sorted(by_size)
    for size in sizes:
        if size > frontier.size:
            outcome.problem = Problem(
                "shorter",
                f"the log holds {frontier.size} events, fewer than the {size} of a kept"
                " checkpoint: events were removed from its end",
            )
            return outcome
        if tree.root(size) != by_size[size].root:
            outcome.problem = Problem("checkpoint", f"the tree's root at {size} differs")
            return outcome
    for old, new in itertools.pairwise(sizes):
        proof = tree.consistency(old, new)
        if not verify_consistency(old, new, by_size[old].root, by_size[new].root, proof):
            outcome.problem = Problem(
                "checkpoint", f"the checkpoints of {old} and {new} events are inconsistent"
            )
            return outcome
    if against is not None and against.size > frontier.size:
        outcome.problem = Problem(
            "against",
            f"the log holds {frontier.size} events, fewer than the {against.size} of the"
            " checkpoint given",
        )
    return outcome
