"""The ledger's pages: signed checkpoints for anyone, as plain text; the auditor's view of
the last verification (docs/ledger.md)."""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue

from registry.ledger.checkpoints import Kept, Verification
from web.access import READERS
from web.auth import registry, requires

bp = Blueprint("ledger", __name__, url_prefix="/ledger")

TEXT = "text/plain; charset=utf-8"


def _note(kept: Kept | None) -> ResponseReturnValue:
    if kept is None:
        abort(404)
    return Response(kept.note, mimetype="text/plain", content_type=TEXT)


SEEN_FOR = 10.0
"""Seconds a process reuses the last verification's outcome before reading it again."""
_last: tuple[float, str, Verification | None] = (0.0, "", None)


def last_verification() -> Verification | None:
    global _last
    app = registry()
    store_key = f"{app.settings.data_dir}|{app.settings.event_store}"
    now = time.monotonic()
    if now - _last[0] > SEEN_FOR or _last[1] != store_key:
        _last = (now, store_key, app.side_stores.checkpoints().last_verification())
    return _last[2]


@bp.app_context_processor
def ledger_problem() -> dict[str, Any]:
    """On a record's page: the last verification's problem, if it was at this record."""
    named = {str(v) for v in (request.view_args or {}).values() if isinstance(v, UUID)}
    if not named:
        return {"ledger_problem": None}
    found = last_verification()
    at_record = found is not None and not found.ok and found.record_id in named
    return {"ledger_problem": found if at_record else None}


@bp.get("/checkpoint")
def checkpoint() -> ResponseReturnValue:
    """The latest signed checkpoint (C2SP tlog-checkpoint), for anyone to keep."""
    return _note(registry().side_stores.checkpoints().latest())


@bp.get("/checkpoints/<int:size>")
def checkpoint_of(size: int) -> ResponseReturnValue:
    return _note(registry().side_stores.checkpoints().at(size))


@bp.get("/")
@requires(*READERS[bp.name])
def index() -> ResponseReturnValue:
    store = registry().side_stores.checkpoints()
    return render_template(
        "ledger/index.html",
        latest=store.latest(),
        verification=store.last_verification(),
    )
