"""The second step of a command that binds or ends something: before it is recorded, the page
shows what will be recorded — the record, the event, its date and reason, by whom — with any
warning, and asks again.

An ``Action`` with a ``Confirmation`` runs in two steps through ``web.actions.perform``. The
first sends the form as usual: it is checked by its schema and against the version the page
showed, and instead of the command the confirmation page comes back, carrying what was
typed in hidden fields and ``confirm=yes``. Only that second form runs the command. Nothing
is recorded by the first step, so "No, go back" needs no undo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from registry.clock import today
from web.auth import user

Record = dict[str, Any]
Facts = Callable[[Record, dict[str, Any]], list[tuple[Any, Any]]]
Notes = Callable[[Record, dict[str, Any]], list[Any]]
# a precondition as shown: its sentence, and True (met), False (not met) or None (a warning)
Check = tuple[Any, bool | None]
Checks = Callable[[Record], list[Check]]
ANSWER = "confirm"
# what the first step sent that the second must not send again as typed values
NOT_CARRIED = frozenset({"csrf_token", "submission", ANSWER})


def _nothing(_record: Record, _data: dict[str, Any]) -> list[Any]:
    return []


def _no_checks(_record: Record) -> list[Check]:
    return []


@dataclass(frozen=True)
class Confirmation:
    """What the second step shows: the question, the event it records (a key of
    ``web.labels.EVENTS``), what follows from it, the facts it records, warnings, and
    the command's preconditions as a checklist."""

    question: Any
    event: str
    consequence: Any
    facts: Facts
    warnings: Notes = _nothing
    checks: Checks = _no_checks

    def unmet(self, record: Record) -> list[Any]:
        """The preconditions not met: the first step is refused with these, asking nothing."""
        return [sentence for sentence, met in self.checks(record) if met is False]


def confirmed() -> bool:
    """Whether this submission is the second step's answer."""
    return request.form.get(ANSWER) == "yes"


def carried() -> list[tuple[str, str]]:
    """The first step's fields, each value once, to send again with the answer."""
    return [
        (name, value)
        for name, values in request.form.lists()
        if name not in NOT_CARRIED
        for value in values
    ]


def ask(
    confirmation: Confirmation,
    title: Any,
    record: Record,
    data: dict[str, Any],
    back: str,
    danger: bool = False,
) -> ResponseReturnValue:
    """The confirmation page for a first step whose form was valid."""
    signed_in = user()
    return render_template(
        "confirm.html",
        title=title,
        confirmation=confirmation,
        facts=confirmation.facts(record, data),
        warnings=confirmation.warnings(record, data),
        checks=confirmation.checks(record),
        by=signed_in,
        today=today(),
        carried=carried(),
        action_url=request.path,
        back=back,
        button=gettext("Yes: %(step)s", step=title),
        danger=danger,
    )
