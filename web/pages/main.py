"""The front door: where each role starts, and the language switch."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from web.access import STARTING_PAGES
from web.addresses import safe_next
from web.auth import user
from web.i18n import LANGUAGES

bp = Blueprint("main", __name__)


@bp.get("/")
def home() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return render_template("welcome.html")
    return redirect(url_for(STARTING_PAGES.get(user().role, "agreements.index")))


@bp.post("/language")
def language() -> ResponseReturnValue:
    chosen = request.form.get("language", "")
    if chosen in LANGUAGES:
        session["language"] = chosen
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))


@bp.get("/healthz")
def health() -> ResponseReturnValue:
    return {"status": "ok"}
