"""What a read model is: named tables, their migrations, a code version and event handlers.

A view module declares one ``View``, registers its schema migrations on ``view.migrations``
and its handlers with ``@view.handles(topic(...))``. Handlers read and write only the view's
own tables, through the ``Rows`` of the transaction they run in; they never load aggregates.
Bump ``version`` when handlers or tables change meaning: the engine then rebuilds the read
models from the log into a new file (see projections/engine/rebuilds.py).

The engine keeps every table's past as row versions (projections/engine/versions.py) with no help
from the view. A table whose rows are only ever appended and carry the position of the
event that added them may be declared a log instead (``logs={"audit_events": "position"}``):
it needs no versions, since as of a position it is its rows up to that position.

A table that only holds what the view's handlers need to work out their rows (the audit's
record attributes, the findings' notes on enterprises) and that no query reads may be
declared internal (``internal={"audit_records"}``): it gets no versions either, and
``source``/``as_of`` refuse to read it as of a position.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from sqlite_utils.migrations import Migrations

from projections.engine.asof import log_source, source
from projections.engine.events import Recorded
from projections.engine.rows import Rows

Handler = Callable[[Recorded, Rows], None]


def topic(aggregate: type, event_name: str) -> str:
    """The topic eventsourcing stores for ``aggregate``'s event class named ``event_name``.

    Checked when the view module is imported, so a renamed event fails loudly at start-up
    instead of silently never matching.
    """
    if not isinstance(getattr(aggregate, event_name, None), type):
        raise LookupError(f"{aggregate.__qualname__} has no event class {event_name!r}")
    return f"{aggregate.__module__}:{aggregate.__qualname__}.{event_name}"


class View:
    """One read model: its tables (via ``migrations``), code ``version``, handlers, logs and
    internal tables."""

    def __init__(
        self,
        name: str,
        version: int,
        logs: Mapping[str, str] | None = None,
        internal: Collection[str] = (),
    ) -> None:
        self.name = name
        self.version = version
        self.logs = dict(logs or {})
        self.internal = frozenset(internal)
        self.migrations = Migrations(name)
        self._handlers: dict[str, Handler] = {}
        self._every_event: Handler | None = None

    @property
    def unversioned(self) -> frozenset[str]:
        """The view's tables that keep no row versions: its logs and internal tables."""
        return frozenset(self.logs) | self.internal

    def source(self, table: str, at: int | None, alias: str | None = None) -> str:
        """SQL for ``FROM``, as ``asof.source``, knowing this view's logs and internal tables:
        a log as of ``at`` is its rows up to ``at``; an internal table has no past to read."""
        if at is None:
            return source(table, at, alias)
        if table in self.internal:
            raise ValueError(f"{table} is a view's internal table: it has no past to read")
        column = self.logs.get(table)
        if column is not None:
            return log_source(table, column, at, alias)
        return source(table, at, alias)

    def __repr__(self) -> str:
        return f"<View {self.name} v{self.version}>"

    def handles(self, *topics: str) -> Callable[[Handler], Handler]:
        """Register the decorated function for events of these topics."""

        def register(handler: Handler) -> Handler:
            for name in topics:
                if name in self._handlers:
                    raise ValueError(f"{self.name} already handles {name}")
                self._handlers[name] = handler
            return handler

        return register

    def handles_every_event(self, handler: Handler) -> Handler:
        """Register the decorated function for every event in the log (e.g. the audit)."""
        self._every_event = handler
        return handler

    def handler_for(self, event_topic: str) -> Handler | None:
        return self._handlers.get(event_topic, self._every_event)


def checked(views: Sequence[View]) -> list[View]:
    """The list of views an engine is given, refused if two views claim one name or table."""
    names: set[str] = set()
    owners: dict[str, str] = {}
    for view in views:
        if view.name in names:
            raise ValueError(f"two views are named {view.name}")
        names.add(view.name)
        for table in view.unversioned:
            if owners.setdefault(table, view.name) != view.name:
                raise ValueError(f"{table} is declared by both {owners[table]} and {view.name}")
    return list(views)
