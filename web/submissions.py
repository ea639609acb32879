"""Every form carries a one-time submission key; the same key sent again is recorded once.

A page draws a fresh random key into each form it renders (``_form.html``, ``csrf()``). A
POST's key rides in the signed-in user's actor (``keyed``) into the registry, which records
it in the events it saves and answers a repeated key with ``Resubmitted`` and the first
result (``registry/submissions.py``). The page then answers as it did the first time — the
same record, the same redirect — and says that nothing was recorded twice. A form sent
without a key (an old page, a script) runs as before.
"""

from __future__ import annotations

import secrets
from dataclasses import replace

from flask import Flask, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from domain.actors import Actor
from registry.submissions import Resubmitted, valid_key

FIELD = "submission"


def new_key() -> str:
    return secrets.token_urlsafe(24)


def posted_key() -> str | None:
    """The key of the form being submitted, if it sent a valid one."""
    if request.method != "POST":
        return None
    return valid_key(request.form.get(FIELD))


def keyed(actor: Actor) -> Actor:
    """The actor of this request, carrying its form's submission key."""
    key = posted_key()
    return replace(actor, submission=key) if key else actor


def note_repeated() -> None:
    flash(
        gettext(
            "This form had been sent already and was recorded then; nothing was recorded twice."
        ),
        "ok",
    )


def init_submissions(app: Flask) -> None:
    app.jinja_env.globals["submission_key"] = new_key

    @app.errorhandler(Resubmitted)
    def repeated(error: Resubmitted) -> ResponseReturnValue:
        """A repeated submission no view answered itself: show the record it changed."""
        from web.addresses import record_url

        note_repeated()
        return redirect(record_url(error.kind, str(error.record_id)) or url_for("main.home"))
