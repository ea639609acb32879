"""Links a page offers only when its reader may follow them, and the way back after a
"register it first" detour.

A picker with nothing fitting in it says what to register and links to that form with
``next=`` the page the user was on; the form, once it has created the record, goes back
there instead of to the new record (``Creation``). ``next`` is kept only when it is a plain
path of this site (``safe_next``).
"""

from __future__ import annotations

from flask import current_app, request, url_for

from web.addresses import may_open, safe_next

__all__ = ["here", "may_open", "next_page", "register_first"]


def here() -> str:
    """The page being shown, as a path to come back to: a form posted to a record's action
    comes back to the record's page, which is where it was drawn."""
    if request.method == "GET":
        path = request.full_path
        return path[:-1] if path.endswith("?") else path
    if request.view_args and "record_id" in request.view_args and request.endpoint:
        show = request.endpoint.rpartition(".")[0] + ".show"
        if show in current_app.view_functions:
            return url_for(show, record_id=request.view_args["record_id"])
    return request.path


def register_first(endpoint: str) -> str | None:
    """The address of the form at ``endpoint`` that comes back here, if the user may open it."""
    if not may_open(endpoint):
        return None
    return url_for(endpoint, next=here())


def next_page() -> str | None:
    """Where a form asked to come back to, if that is a safe path of this site."""
    return safe_next(request.args.get("next"))
