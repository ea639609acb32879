"""Read models kept from the event log: the views pages and reports query.

Adding a view: write one module like projections/agreements.py (a ``View`` with its
migrations, handlers and code version), add its ``view`` to ``VIEWS`` below, and put its
queries beside it. The next start builds a new read-model file including it.

``VIEWS`` is the whole list the engine is given: constructing a ``View`` registers it
nowhere, and tests/unit/test_view_list.py fails when a module's view is missing here.
"""

from __future__ import annotations

from functools import partial

from projections import (
    accounts,
    agreements,
    audit,
    enterprises,
    findings,
    groups,
    indicators,
    investments,
    ledger,
    placements,
    policies,
    returns,
    schools,
    students,
    teachers,
)
from projections.engine import Follower, View
from projections.engine.projector import ApplicationLog, EventLog
from projections.engine.read_models import ReadModels
from registry.application import RegistryApplication
from registry.config import Settings

VIEWS: tuple[View, ...] = (
    schools.view,
    enterprises.view,
    agreements.view,
    investments.view,
    audit.view,
    accounts.view,
    groups.view,
    students.view,
    placements.view,
    policies.view,
    teachers.view,
    returns.view,
    findings.view,
    indicators.view,
)


FOLLOWERS: tuple[Follower, ...] = (ledger.follower,)
"""The readers of the log that keep files of their own beside the read models and outlive
their rebuilds (projections/engine/followers.py); the engine catches them up with the views."""


APART = ("audit", "policies", "teachers", "students")
"""The views a rebuild of a long log builds in a second process. Both processes read and
decode the whole log, so these are the views that let the two finish together
(docs/benchmarks.md, "A rebuild on both cores")."""


def reopen(settings: Settings) -> tuple[EventLog, tuple[View, ...]]:
    """The log of the application ``settings`` describe, and the views (for that process)."""
    return ApplicationLog(RegistryApplication(settings)), VIEWS


def read_models(app: RegistryApplication, settings: Settings | None = None) -> ReadModels:
    """The read models of ``app``'s log, under ``<data dir>/read``."""
    directory = (settings or app.settings).data_dir / "read"
    return ReadModels(
        directory,
        VIEWS,
        ApplicationLog(app),
        opener=partial(reopen, app.settings),
        apart=APART,
        followers=FOLLOWERS,
    )


def attach(app: RegistryApplication, settings: Settings | None = None) -> ReadModels:
    """Make every command of ``app`` return only once the read models include its events,
    and the ledger too, cutting a signed checkpoint when one is due (docs/ledger.md)."""
    models = read_models(app, settings)
    checkpoints = ledger.Checkpointer(models, app.side_stores.checkpoints(), app.settings)

    def catch_up(position: int) -> None:
        models.catch_up(until=position)
        checkpoints.cut_if_due()

    app.on_saved(catch_up)
    return models


class HistoryDiffers(Exception):
    """The log is shorter than, or not the one of, the latest signed checkpoint."""


def refuse_changed_history(app: RegistryApplication, models: ReadModels) -> None:
    """Refuse to go on with a log its latest signed checkpoint does not cover (after, say,
    an old copy was restored by hand); the message says what to run."""
    store = app.side_stores.checkpoints()
    verifier = ledger.Checkpointer(models, store, app.settings).signer().verifier
    problem = ledger.startup_problem(ApplicationLog(app), models, store, verifier)
    if problem is not None:
        raise HistoryDiffers(problem)
