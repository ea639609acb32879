"""The auditor's replay: the read models built afresh from the log and compared with the live
ones, run from a form and shown as a page of its own (docs/read-models.md, "Replay").

The form goes through ``web.actions`` like every other: its one-time submission key names
the result (``derived_id``), so a form sent twice runs one replay and both answers show
that replay's result. Results are kept beside the read models they compared
(``web/replay_results.py``); a replay writes nothing to the log or to the live read models.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from flask import Blueprint, abort, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from projections.engine.read_models import ReadModels
from projections.engine.replay import replay
from registry.submissions import Resubmitted, derived_id
from web.access import READERS
from web.actions import Creation
from web.auth import actor, registry, requires, user
from web.replay_results import ReplayResult, ReplayResults
from web.schemas.replay import ReplaySchema

bp = Blueprint("replay", __name__, url_prefix="/audit/replay")
ROWS = 5
"""Differing rows shown per view."""


def results() -> ReplayResults:
    return ReplayResults(registry().settings.data_dir)


def run(data: dict[str, Any]) -> UUID:
    """Replay and keep the result; a key sent before is answered with its result."""
    result_id = derived_id(actor()) or uuid4()
    kept = results()
    if kept.get(result_id) is not None:
        raise Resubmitted("Replay", result_id, 1)
    models: ReadModels = current_app.extensions["read_models"]
    found = replay(models, data.get("position"))
    ran_at = datetime.now(UTC).isoformat()
    if not kept.add(ReplayResult(result_id, user().display_name, ran_at, found.as_json(ROWS))):
        raise Resubmitted("Replay", result_id, 1)  # a twin of this form got there first
    return result_id


Creation(
    rule="/",
    endpoint="index",
    title=_l("Replay the log and compare"),
    intro=_l(
        "Builds every view afresh from the log into a scratch file and compares it, table by "
        "table and row by row, with the read models the pages show, as they stood at the "
        "position asked for. The read models in use are only read."
    ),
    button=_l("Replay and compare"),
    schema=ReplaySchema,
    run=run,
    done=_l("The replay is done; here is what it found."),
    created="replay.show",
    roles=READERS[bp.name],
    template="audit/replay.html",
    context=lambda: {"recent": results().recent()},
).register(bp)


@bp.get("/<uuid:record_id>")
@requires(*READERS[bp.name])
def show(record_id: UUID) -> ResponseReturnValue:
    found = results().get(record_id)
    if found is None:
        abort(404)
    return render_template("audit/replay_result.html", result=found, report=found.report)
