"""Plain-English sentences for refusals at the command line.

The web edge has its own translated sentences; this is the fallback every error can use: the
refusal's one-line docstring followed by its parameters.
"""

from __future__ import annotations

from domain.errors import DomainError
from registry.errors import CorruptEvent
from registry.printable import printable


def describe(error: DomainError) -> str:
    summary = (type(error).__doc__ or error.code).strip().splitlines()[0]
    details = ", ".join(f"{k}: {v}" for k, v in sorted(error.params.items()))
    return printable(f"{summary} ({error.code}{'; ' + details if details else ''})")


def describe_damage(damaged: CorruptEvent) -> str:
    """What the command line says of a damaged event: which one, what stopped, what to do."""
    at = "an unknown position" if damaged.position is None else f"position {damaged.position}"
    said = (
        f"The event store holds a damaged event at {at} of the log: record "
        f"{damaged.originator_id}, version {damaged.version} ({damaged.topic}). It cannot be "
        f"read: {damaged.problem}."
    )
    if damaged.stopped == "catch_up":
        said += f" The read models stay at position {damaged.kept}, before it."
    elif damaged.stopped == "rebuild":
        said += (
            " The rebuild stopped at this event and was discarded; the read models in use"
            " are unchanged."
        )
    return printable(
        f"{said} Restore the event from a backup of the event store; see "
        'docs/reliability.md, "A damaged event".'
    )
