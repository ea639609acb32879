"""Exactly-once projection: rows and tracking position commit in one transaction.

Each view has a tracking row in the read-model file it writes (``_tracking``: view, code
version, position = the last notification id applied). A batch of notifications is applied
inside ``BEGIN IMMEDIATE``: the positions are read inside the transaction, notifications at
or below a view's position are skipped, the views' rows and the new positions are written,
then everything commits together. A crash before ``COMMIT`` leaves rows and positions as
they were; feeding a notification twice changes nothing; two processes applying the same
batch serialise on SQLite's write lock and the second finds nothing left to do.

The follower asks the log for notifications *after* its position, never for ``position + 1``:
a PostgreSQL event store hands out ids in commit order but with gaps. A damaged event stops
it: the events before it are applied and ``CorruptEvent`` names the event and the position
kept (docs/reliability.md, "A damaged event").

Every view table gets row versions (projections/engine/versions.py), created here for every view
and written by ``Rows`` at the position of each event; the engine also notes, per
Asia/Shanghai day, the last position recorded that day (``_recorded_days``), for "as
recorded by date D" (projections/engine/asof.py). Files carry the format of the engine that built
them (``PRAGMA user_version``); a file of another format is rebuilt like a view whose code
version changed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from projections.engine.asof import RECORDED_DAYS, RecordedDays
from projections.engine.events import Decoder, Recorded
from projections.engine.rows import Rows
from projections.engine.versions import ensure_versions
from projections.engine.view import Handler, View
from registry.errors import CorruptEvent

TRACKING = "_tracking"
FORMAT = 2
"""What files this engine builds hold beyond the views' tables (1: row versions, days;
2: no versions of views' internal tables)."""
FORMAT_KEY = "(format)"
Progress = Callable[[int], None]

engine_migrations = Migrations("_engine")


@engine_migrations()
def m001_tracking(db: Database) -> None:
    db.table(TRACKING).create(
        {"view": str, "version": int, "position": int}, pk="view", not_null={"version", "position"}
    )


@engine_migrations()
def m002_recorded_days(db: Database) -> None:
    db.execute(
        f"CREATE TABLE {RECORDED_DAYS} (day TEXT PRIMARY KEY, position INTEGER NOT NULL)"
        " WITHOUT ROWID"
    )


class Notification(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def topic(self) -> str: ...


class EventLog(Protocol):
    """Where a follower reads from: the application's notification log."""

    def select(self, after: int, limit: int) -> Sequence[Notification]: ...
    def decode(self, notification: Notification) -> Recorded: ...
    def head(self) -> int: ...


class ApplicationLog:
    """The notification log of an eventsourcing application (see projections/engine/events.py)."""

    def __init__(self, app: Any) -> None:
        self._app = app  # an application closes its store when it is garbage-collected
        self._recorder = app.recorder
        self._decode = Decoder(app.mapper)

    def select(self, after: int, limit: int) -> Sequence[Notification]:
        notifications: Sequence[Notification] = self._recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        return notifications

    def decode(self, notification: Notification) -> Recorded:
        return self._decode(notification)

    def head(self) -> int:
        return int(self._recorder.max_notification_id() or 0)


class ReadModelsOutdated(Exception):
    """The read-model file was built by other view code versions and must be rebuilt."""

    def __init__(self, differences: dict[str, tuple[int | None, int]]) -> None:
        self.differences = differences
        described = ", ".join(
            f"{name}: file v{found} / code v{wanted}"
            for name, (found, wanted) in sorted(differences.items())
        )
        super().__init__(f"read models built by other view versions ({described})")

    @property
    def built_by_newer_code(self) -> bool:
        return any(
            found is not None and found > wanted for found, wanted in self.differences.values()
        )


def tracked(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """Each view's (code version, position) recorded in the file."""
    try:
        found = conn.execute(f"SELECT view, version, position FROM {TRACKING}").fetchall()
    except sqlite3.OperationalError:
        return {}
    return {view: (version, position) for view, version, position in found}


def version_differences(
    recorded: dict[str, tuple[int, int]], views: Sequence[View]
) -> dict[str, tuple[int | None, int]]:
    differences: dict[str, tuple[int | None, int]] = {}
    for view in views:
        found = recorded.get(view.name, (None, 0))[0]
        if found != view.version:
            differences[view.name] = (found, view.version)
    return differences


def file_format(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def outdated(
    conn: sqlite3.Connection,
    views: Sequence[View],
    recorded: dict[str, tuple[int, int]] | None = None,
) -> dict[str, tuple[int | None, int]]:
    """How the file differs from this code: views' versions, and the engine's format."""
    recorded = tracked(conn) if recorded is None else recorded
    differences = version_differences(recorded, views)
    found = file_format(conn)
    if recorded and found != FORMAT:
        differences[FORMAT_KEY] = (found, FORMAT)
    return differences


def prepare(db: Database, views: Sequence[View]) -> None:
    """Create or migrate the views' tables and start tracking views new to this file.

    A new tracking row starts at position 0, so only use this on a file built for the views
    (``ReadModels`` checks versions first and builds a new file when they differ).
    """
    fresh = not tracked(db.conn)
    engine_migrations.apply(db)
    for view in views:
        view.migrations.apply(db)
    with db.atomic():
        ensure_versions(db.conn, {table for view in views for table in view.unversioned})
        if fresh:
            db.execute(f"PRAGMA user_version = {FORMAT}")
        for view in views:
            db.execute(
                f"INSERT INTO {TRACKING} (view, version, position) VALUES (?, ?, 0) "
                "ON CONFLICT (view) DO NOTHING",
                [view.name, view.version],
            )


class Projector:
    """Applies batches of notifications to views on one read-model connection."""

    def __init__(self, conn: sqlite3.Connection, views: Sequence[View], log: EventLog) -> None:
        self.conn = conn
        self.views = list(views)
        self.log = log
        self.rows = Rows(conn, logs={table for view in views for table in view.logs})
        self._routes: dict[str, list[tuple[str, Handler]]] = {}
        self._day_of = RecordedDays()
        self._days: dict[str, int] = {}

    def position(self) -> int:
        """The position every view has reached (the lowest of their tracking positions)."""
        recorded = tracked(self.conn)
        return min((recorded.get(v.name, (0, 0))[1] for v in self.views), default=0)

    def apply(self, notifications: Sequence[Notification]) -> int:
        """Apply the notifications each view has not seen yet, in one transaction.

        A damaged event stops the views just before it: the notifications before it are
        applied, then ``CorruptEvent`` says which event stopped them and where they stay.
        """
        try:
            return self._transaction(notifications)
        except CorruptEvent as damaged:
            position = damaged.position
            before = [n for n in notifications if position is not None and n.id < position]
            kept = self._transaction(before) if before else self.position()
            raise damaged.stopping("catch_up", kept) from damaged

    def _transaction(self, notifications: Sequence[Notification]) -> int:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            recorded = tracked(self.conn)
            differences = outdated(self.conn, self.views, recorded)
            if differences:
                raise ReadModelsOutdated(differences)
            before = {v.name: recorded[v.name][1] for v in self.views}
            after = self._apply(notifications, before)
            self.rows.flush()
            self._record_days()
            self._advance(before, after)
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self.rows.forget()
            self._days.clear()
        return min(after.values(), default=0)

    def _apply(
        self, notifications: Sequence[Notification], before: dict[str, int]
    ) -> dict[str, int]:
        after = dict(before)
        rows, decode, views = self.rows, self.log.decode, self.views
        days, day_of = self._days, self._day_of
        behind = min(before.values(), default=0)
        level = behind == max(before.values(), default=0)
        for notification in notifications:
            position = notification.id
            if position <= behind:
                continue
            handlers = self._routes.get(notification.topic)
            if handlers is None:
                handlers = self._routes[notification.topic] = [
                    (view.name, handler)
                    for view in views
                    if (handler := view.handler_for(notification.topic)) is not None
                ]
            if level:
                pending = handlers
            else:
                pending = [(name, h) for name, h in handlers if position > after[name]]
                for view in views:
                    after[view.name] = max(after[view.name], position)
            if not pending:
                continue
            event = decode(notification)
            days[day_of(event.timestamp)] = position
            rows.position = position
            for name, handler in pending:
                try:
                    handler(event, rows)
                except Exception as error:
                    error.add_note(
                        f"view {name} applying notification {position} ({notification.topic})"
                    )
                    raise
        if level and notifications and notifications[-1].id > behind:
            after = dict.fromkeys(after, notifications[-1].id)
        return after

    def _record_days(self) -> None:
        """The last position recorded each day (of the events a view handles: the others
        change no row, so any view as of them is as of the position before)."""
        if self._days:
            self.conn.executemany(
                f"INSERT INTO {RECORDED_DAYS} (day, position) VALUES (?, ?) ON CONFLICT (day)"
                " DO UPDATE SET position = max(position, excluded.position)",
                list(self._days.items()),
            )

    def _advance(self, before: dict[str, int], after: dict[str, int]) -> None:
        for name, position in after.items():
            if position == before[name]:
                continue
            cursor = self.conn.execute(
                f"UPDATE {TRACKING} SET position = ? WHERE view = ? AND position = ?",
                (position, name, before[name]),
            )
            if cursor.rowcount != 1:
                raise RuntimeError(f"tracking position of {name} moved during the transaction")

    def follow(
        self, until: int | None = None, batch: int = 5000, progress: Progress | None = None
    ) -> int:
        """Catch up from the tracked position to ``until`` (default: the log's head now).

        Stops early when the log has nothing more, so an ``until`` beyond the last
        notification (or a gap) never makes it wait.
        """
        position = self.position()
        target = self.log.head() if until is None else until
        while position < target:
            notifications = self.log.select(after=position, limit=batch)
            if not notifications:
                break
            position = self.apply(notifications)
            if progress is not None:
                progress(position)
        return position
