"""The ledger's file: a Merkle tree over the log, kept by a follower that rebuilds leave alone.

Each stored event is one leaf (registry/ledger/leaves.py), in position order; a PostgreSQL
log's gaps are no leaves. ``leaves`` holds each leaf's position, record, version and hash;
``nodes`` every perfect subtree above them (level ≥ 1), so any root or proof is O(log n)
reads (registry/ledger/merkle.py). Checkpoints are cut from this tree, signed, and kept in
the checkpoint store every node sees (registry/ledger/checkpoints.py): at most every
``checkpoint_events`` events or ``checkpoint_minutes`` minutes, or on demand, and never one
inconsistent with the last kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from projections.engine import EventLog, Follower, Notification
from registry.clock import now
from registry.ledger.checkpoints import CheckpointStore, Kept
from registry.ledger.leaves import event_leaf_hash
from registry.ledger.merkle import (
    Frontier,
    consistency_proof,
    edge_indexes,
    inclusion_proof,
    root,
)
from registry.ledger.notes import (
    Checkpoint,
    NoteError,
    Signer,
    Verifier,
    open_checkpoint,
    signer_from_file,
)

NAME = "ledger"
migrations = Migrations("ledger")


@migrations()
def m001_tree(db: Database) -> None:
    db.execute(
        "CREATE TABLE leaves (idx INTEGER PRIMARY KEY, position INTEGER NOT NULL UNIQUE,"
        " record_id TEXT NOT NULL, version INTEGER NOT NULL, hash BLOB NOT NULL)"
    )
    db.execute("CREATE INDEX leaves_record ON leaves (record_id, version)")
    db.execute(
        "CREATE TABLE nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL,"
        " PRIMARY KEY (level, idx)) WITHOUT ROWID"
    )


class LedgerFollower(Follower):
    """Appends each new event's leaf and the perfect subtrees it completes."""

    name = NAME
    version = 1
    migrations = migrations

    def __init__(self) -> None:
        self._frontiers: dict[str, Frontier] = {}  # by file: one process may keep several

    def apply(self, db: Database, notifications: Sequence[Notification], log: EventLog) -> None:
        tree = Tree(db)
        size = tree.size()
        # the right edge as this process last left it, if no one has appended since (the
        # same leaves give the same edge); else read back from the file
        path = str(db.execute("PRAGMA database_list").fetchone()[2])
        held = self._frontiers.get(path)
        if held is not None and held.size == size:
            frontier = held.copy()
        else:
            frontier = Frontier(size, [tree.subtree(level, i) for level, i in edge_indexes(size)])
        leaves: list[tuple[Any, ...]] = []
        nodes: list[tuple[int, int, bytes]] = []
        for notification in notifications:
            stored: Any = notification
            digest = event_leaf_hash(stored)
            leaves.append(
                (
                    frontier.size,
                    stored.id,
                    str(stored.originator_id),
                    stored.originator_version,
                    digest,
                )
            )
            nodes.extend(frontier.append(digest)[1:])
        db.conn.executemany("INSERT INTO leaves VALUES (?, ?, ?, ?, ?)", leaves)
        db.conn.executemany("INSERT INTO nodes VALUES (?, ?, ?)", nodes)
        self._frontiers[path] = frontier

    def size_seen(self, path: str) -> int | None:
        """The size of the tree in ``path`` after this process's last batch there."""
        held = self._frontiers.get(path)
        return None if held is None else held.size


follower = LedgerFollower()


class LeafNotFound(LookupError):
    """No leaf for that record and version (not recorded, or not yet followed)."""


@dataclass(frozen=True)
class Leaf:
    index: int
    position: int
    record_id: str
    version: int
    hash: bytes


class Tree:
    """The ledger's tree as stored in its file: sizes, roots, leaves and proofs."""

    def __init__(self, db: Database) -> None:
        self.conn = db.conn

    def size(self) -> int:
        row = self.conn.execute("SELECT max(idx) FROM leaves").fetchone()
        return 0 if row[0] is None else int(row[0]) + 1

    def subtree(self, level: int, index: int) -> bytes:
        if level == 0:
            row = self.conn.execute("SELECT hash FROM leaves WHERE idx = ?", [index]).fetchone()
        else:
            row = self.conn.execute(
                "SELECT hash FROM nodes WHERE level = ? AND idx = ?", [level, index]
            ).fetchone()
        if row is None:
            raise LookupError(f"the ledger has no subtree at level {level}, index {index}")
        return bytes(row[0])

    def root(self, size: int) -> bytes:
        return root(self.subtree, size)

    def inclusion(self, index: int, size: int) -> list[bytes]:
        return inclusion_proof(self.subtree, index, size)

    def consistency(self, old: int, new: int) -> list[bytes]:
        return consistency_proof(self.subtree, old, new)

    def leaf(self, record_id: str, version: int) -> Leaf:
        row = self.conn.execute(
            "SELECT idx, position, record_id, version, hash FROM leaves"
            " WHERE record_id = ? AND version = ?",
            [record_id, version],
        ).fetchone()
        if row is None:
            raise LeafNotFound(f"no event {record_id} version {version} in the ledger")
        return Leaf(row[0], row[1], row[2], row[3], bytes(row[4]))

    def leaf_at(self, position: int) -> Leaf | None:
        row = self.conn.execute(
            "SELECT idx, position, record_id, version, hash FROM leaves WHERE position = ?",
            [position],
        ).fetchone()
        return None if row is None else Leaf(row[0], row[1], row[2], row[3], bytes(row[4]))


class InconsistentCheckpoint(Exception):
    """The tree no longer has the root of a kept checkpoint: nothing more is signed."""


def now_text() -> str:
    """When a checkpoint is cut: the time events are recorded at (simulated in the demo, so
    its checkpoints fall on the past days it records)."""
    return now().astimezone(UTC).isoformat(timespec="seconds")


def cut(tree: Tree, store: CheckpointStore, signer: Signer, name: str) -> Kept | None:
    """Sign and keep a checkpoint of the tree as it is (None while it is empty).

    One node at a time (the store's lock); a checkpoint of a size already kept is that one,
    and one kept by a node further on is left as the latest; a tree that does not extend
    the last kept checkpoint is refused.
    """
    size = tree.size()
    with store.cutting() as cutting:
        latest = cutting.latest()
        if latest is not None:
            if latest.size > size:
                return latest  # cut by a node whose ledger is further on
            if tree.root(latest.size) != latest.root:
                raise InconsistentCheckpoint(
                    f"the first {latest.size} events no longer have the root of the checkpoint"
                    " kept for them: the log was changed (run `registry verify`)"
                )
            if latest.size == size:
                return latest
        if size == 0:
            return None
        digest = tree.root(size)
        note = signer.sign(Checkpoint(name, size, digest).text())
        return cutting.add(Kept(size, digest, note, now_text()))


def due(latest: Kept | None, size: int, every: int, minutes: int, now: datetime) -> bool:
    """Whether a checkpoint is due: ``every`` events or ``minutes`` since the last one."""
    if latest is None:
        return size > 0
    if size <= latest.size:
        return False
    cut_at = datetime.fromisoformat(latest.cut_at)
    return size - latest.size >= every or now - cut_at >= timedelta(minutes=minutes)


class Checkpointer:
    """Cuts checkpoints of one data directory's ledger when due, or when asked."""

    def __init__(self, models: Any, store: CheckpointStore, settings: Any) -> None:
        self.models = models
        self.store = store
        self.settings = settings
        self._latest: Kept | None = None
        self._loaded = False

    def signer(self) -> Signer:
        return signer_from_file(self.settings.ledger_key_path, self.settings.ledger_name)

    def cut(self) -> Kept | None:
        """Follow the log to its head, then sign and keep a checkpoint of the whole ledger."""
        self.models.catch_up()
        return self._sign_now()

    def cut_if_due(self) -> Kept | None:
        size = self.size()
        if not self._loaded:
            self._latest, self._loaded = self.store.latest(), True
        every, minutes = self.settings.checkpoint_events, self.settings.checkpoint_minutes
        if not due(self._latest, size, every, minutes, now()):
            return self._latest
        self._latest = self.store.latest()  # another process may have cut meanwhile
        if not due(self._latest, size, every, minutes, now()):
            return self._latest
        return self._sign_now()

    def _sign_now(self) -> Kept | None:
        with self.models.follower(NAME).reading() as db:
            kept = cut(Tree(db), self.store, self.signer(), self.settings.ledger_name)
        self._latest, self._loaded = kept, True
        return kept

    def size(self) -> int:
        ledger = self.models.follower(NAME)
        seen = follower.size_seen(str(ledger.path.resolve()))
        if seen is not None:
            return seen
        with ledger.reading() as db:
            return Tree(db).size()


def startup_problem(
    log: EventLog, models: Any, store: CheckpointStore, verifier: Verifier
) -> str | None:
    """Why the registry must not start on this log, or None.

    Cheap enough for every start: the log's head against the ledger's position, and the
    event at the last kept checkpoint's last leaf against the leaf kept for it. A log
    restored from an older copy, or replaced, is caught here; ``registry verify`` finds the
    first event that differs anywhere.
    """
    latest = store.latest()
    if latest is None:
        return None
    try:
        open_checkpoint(latest.note, verifier)
    except NoteError:
        return (
            "The latest checkpoint was signed with another key than this node's"
            f" ({verifier.text()}): every node must use the same key file"
            " (REGISTRY_LEDGER_KEY, docs/ledger.md)."
        )
    ledger = models.follower(NAME)
    head, followed = log.head(), ledger.position()
    advice = (
        "Run `registry verify` to see where it differs, then restore the latest backup"
        " (`registry restore`) or, if events were lost for good, accept it with"
        " `registry restore --accept-loss`."
    )
    if head < followed:
        return (
            f"The log ends at position {head}, but its ledger has followed it to {followed}:"
            f" the log is older than the ledger, perhaps restored from an old copy. {advice}"
        )
    with ledger.reading() as db:
        tree = Tree(db)
        size = tree.size()
        if size < latest.size:
            return (
                None
                if head > followed
                else (
                    f"The log holds {size} events, fewer than the {latest.size} of the latest"
                    f" signed checkpoint. {advice}"
                )
            )
        last = tree.subtree(0, latest.size - 1)
        leaf = db.execute("SELECT position FROM leaves WHERE idx = ?", [latest.size - 1]).fetchone()
        events: Sequence[Any] = log.select(after=leaf[0] - 1, limit=1)
        if not events or events[0].id != leaf[0] or event_leaf_hash(events[0]) != last:
            return (
                f"The event at position {leaf[0]} is not the one the latest signed checkpoint"
                f" covers. {advice}"
            )
        if tree.root(latest.size) != latest.root:
            return f"The ledger no longer has the root of the latest signed checkpoint. {advice}"
    return None
