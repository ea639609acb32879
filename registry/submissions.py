"""A submission sent twice is recorded once: the registry's side of idempotent commands.

The key of a submission (a form's one-time key; later an API's ``Idempotency-Key``) travels
in the acting user's ``Actor.submission`` and so in every event the submission records. The
log itself is the guard, with no table beside it that could commit separately:

- a record a submission *creates* gets an id derived from the user and the key
  (``derived_id``), so the store refuses a second creation; a record whose id is a natural
  key (a USCC, a policy number) keeps it, and its first event names the submission;
- a command on an *existing* record first asks the record whether this user's key changed it
  already (``check``): each record remembers its recent keys (``domain.record.Record``).

Either way a repeated submission raises ``Resubmitted`` with the first one's record, and
records nothing. The check comes before anything else the command checks (a version, the
record's state), so a retry is answered with its first result, not with a refusal.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar
from uuid import UUID, uuid5

from domain.actors import Actor
from domain.errors import DomainError
from domain.record import Record
from registry.errors import ConflictingChange

if TYPE_CHECKING:
    from registry.application import RegistryApplication

NAMESPACE = UUID("6f1d3c2a-5b7e-4a59-9c1e-2d8f0b7a4e31")
# a key is a token the page (or an API client) made up: printable, bounded
KEY_LENGTH = range(16, 129)

P = ParamSpec("P")
R = TypeVar("R")
RecordOf = Callable[[Any, dict[str, Any]], UUID]


class Resubmitted(Exception):
    """This user's submission with this key was recorded already; nothing was recorded now."""

    def __init__(self, kind: str, record_id: UUID, version: int) -> None:
        super().__init__(kind, record_id, version)
        self.kind = kind
        self.record_id = record_id
        self.version = version


def valid_key(key: str | None) -> str | None:
    """The key if it is one a client may send, else None (the command runs without one)."""
    if key and len(key) in KEY_LENGTH and key.isascii() and key.isprintable():
        return key
    return None


def derived_id(actor: Actor) -> UUID | None:
    """The id of the record this user's submission creates, or None without a key."""
    if not actor.submission:
        return None
    return uuid5(NAMESPACE, f"{actor.user_id}\n{actor.submission}")


def check(app: RegistryApplication, record_id: UUID, actor: Actor) -> None:
    """Raise ``Resubmitted`` if the record exists and this user's key changed it already."""
    if not actor.submission or not app.exists(record_id):
        return
    _repeated(app.get(Record, record_id), actor)


def check_version(app: RegistryApplication, record_id: UUID, version: int, actor: Actor) -> None:
    """The command runs on the version the page showed: a repeat of this submission raises
    ``Resubmitted``, another change since the page was shown ``ConflictingChange``.

    Both are read from one copy of the record. Read apart, a twin of this submission saved
    between the two reads would look like someone else's change.
    """
    record = app.get(Record, record_id)
    if actor.submission:
        _repeated(record, actor)
    if record.version != version:
        raise ConflictingChange(ids=[str(record_id)])


def _repeated(record: Record, actor: Actor) -> None:
    version = record.submitted(actor.user_id, actor.submission or "")
    if version is not None:
        record.answer_repeat()
        raise Resubmitted(type(record).__name__, record.id, version)


def _keyed(aggregate: Record) -> tuple[Actor, int] | None:
    """The keyed actor of an aggregate's unsaved events, and the first unsaved version."""
    pending = aggregate.pending_events
    actor = getattr(pending[0], "actor", None) if pending else None
    if isinstance(actor, Actor) and actor.submission:
        return actor, pending[0].originator_version
    return None


def check_unsaved(aggregates: tuple[Any, ...]) -> list[tuple[UUID, Actor]]:
    """Before saving: refuse events of a submission an aggregate recorded already.

    Returns the aggregates the save carries a submission key to, with their actors, for
    ``check_stored`` should the store refuse the save (saving empties the pending events).
    """
    keyed = []
    for aggregate in aggregates:
        found = _keyed(aggregate) if isinstance(aggregate, Record) else None
        if found is None:
            continue
        actor, first_unsaved = found
        version = aggregate.submitted(actor.user_id, actor.submission or "")
        if version is not None and version < first_unsaved:
            raise Resubmitted(type(aggregate).__name__, aggregate.id, version)
        keyed.append((aggregate.id, actor))
    return keyed


def check_stored(app: RegistryApplication, keyed: list[tuple[UUID, Actor]]) -> None:
    """After the store refused a save: was it this submission, saved by a concurrent twin?"""
    for record_id, actor in keyed:
        check(app, record_id, actor)


def _named(app: Any, name: RecordOf | None, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    if name is None:
        return args[0] if args else None
    try:
        return name(app, kwargs)
    except (DomainError, KeyError, ValueError):
        return None  # the command itself refuses what cannot name a record


def once(record: RecordOf | None = None) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A command on one record, recorded once per submission key.

    The record is the command's first positional argument, or what ``record(app, kwargs)``
    names (a natural key: a USCC, a school and a year). A repeated key raises
    ``Resubmitted`` for that record before the command checks anything else, and again
    when the command is refused because a twin of the submission got there first.
    """

    def decorate(command: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(command)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            app: Any = args[0]
            rest = args[1:]
            actor = kwargs.get("actor")
            record_id = _named(app, record, rest, kwargs)
            if not isinstance(actor, Actor) or not isinstance(record_id, UUID):
                return command(*args, **kwargs)
            check(app, record_id, actor)
            try:
                return command(*args, **kwargs)
            except Resubmitted as repeated:
                if repeated.record_id == record_id or not app.exists(record_id):
                    raise
                # found on another record the command changed: answer with this one
                kind = type(app.get(Record, record_id)).__name__
                raise Resubmitted(kind, record_id, repeated.version) from None
            except DomainError:
                # a twin of this submission may have changed the record since the check
                # above ("already countersigned"): that is a repeat, not a refusal
                if actor.submission:
                    check(app, record_id, actor)
                raise

        return run

    return decorate


def creates(parameter: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A command creating a record whose id it takes as ``parameter`` (else a random one):
    with a submission key, the id is derived from the user and the key."""

    def decorate(command: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(command)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            actor = kwargs.get("actor")
            if isinstance(actor, Actor) and kwargs.get(parameter) is None:
                kwargs[parameter] = derived_id(actor)
            return once(lambda _app, named: named[parameter])(command)(*args, **kwargs)

        return run

    return decorate
