"""Every failure becomes a page in the user's language; no stack trace ever reaches a user.

Views handle the refusals they expect beside the form that caused them. What escapes a view
lands here: HTTP errors get their own page, a domain refusal its sentence, a conflicting
change a request to reload, a damaged event in the log (503) the sentence naming it and who
to tell, and anything else a plain apology (the details go to the log).
"""

from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from domain.errors import DomainError
from registry.errors import ConflictingChange, CorruptEvent, NotFound
from web.messages import sentence

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("That action is not available here"),
    409: _l("Someone else changed this record"),
    413: _l("The request is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong"),
}
DAMAGED = 503
"""A damaged event in the log: the registry cannot serve this until it is repaired."""
EXPLANATIONS = {
    400: _l("Go back, check what you entered and try again."),
    403: _l(
        "Your account's role does not include this page. Ask a province administrator "
        "if you need it."
    ),
    404: _l("There is no page at this address, or it belongs to another organisation."),
    405: _l("Go back and use the buttons on the page."),
    413: _l("Send less at once."),
    429: _l(
        "There were too many attempts from here in a short time. Wait a minute, then try again."
    ),
    500: _l(
        "The registry could not finish this request; nothing was changed. Try again in a "
        "moment. If it happens again, tell the province administrator the time it "
        "happened."
    ),
}


def error_page(
    status: int, explanation: str | None = None, title: str | None = None
) -> tuple[str, int]:
    return (
        render_template(
            "error.html",
            status=status,
            title=title or TITLES.get(status, TITLES[500]),
            explanation=explanation or EXPLANATIONS.get(status, EXPLANATIONS[500]),
        ),
        status,
    )


def damaged_page(damaged: CorruptEvent) -> tuple[str, int]:
    """The page for a damaged event: what cannot be read, and who to tell with which number."""
    where = {
        "position": damaged.position if damaged.position is not None else gettext("unknown"),
        "version": damaged.version,
    }
    if damaged.stopped == "read":
        return error_page(
            DAMAGED,
            gettext(
                "This record cannot be read: one of its stored events (version %(version)s, "
                "position %(position)s in the log) is damaged. Nothing was changed. Tell the "
                "province administrator, giving that position: the record can be used again "
                "once the event is restored from a backup.",
                **where,
            ),
            gettext("This record cannot be read"),
        )
    return error_page(
        DAMAGED,
        gettext(
            "A stored event of the registry (position %(position)s in the log, version "
            "%(version)s of its record) is damaged, so pages cannot be brought up to date "
            "past it. A change you have just made may have been recorded: check before "
            "sending it again. Tell the province administrator, giving that position.",
            **where,
        ),
        gettext("The registry cannot show up-to-date pages"),
    )


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> tuple[str, int]:
        return error_page(
            400,
            str(
                _l(
                    "The form had expired or came from elsewhere, so nothing was saved. "
                    "Go back, reload the page and submit it again."
                )
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        return error_page(error.code or 500)

    @app.errorhandler(NotFound)
    def not_found(error: NotFound) -> tuple[str, int]:
        return error_page(404)

    @app.errorhandler(ConflictingChange)
    def conflict(error: ConflictingChange) -> tuple[str, int]:
        return error_page(409, sentence(error))

    @app.errorhandler(CorruptEvent)
    def damaged(error: CorruptEvent) -> tuple[str, int]:
        current_app.logger.error("%s", error)
        try:
            return damaged_page(error)
        except CorruptEvent:
            # the page's own reads stop at the same event: say it without them
            current_app.logger.exception("the page for a damaged event failed too")
            return "503 Service Unavailable", DAMAGED

    @app.errorhandler(DomainError)
    def refused(error: DomainError) -> tuple[str, int]:
        return error_page(400, sentence(error))

    @app.errorhandler(Exception)
    def failed(error: Exception) -> tuple[str, int]:
        current_app.logger.exception("unhandled error")
        try:
            return error_page(500)
        except Exception:
            current_app.logger.exception("the error page failed too")
            return "500 Internal Server Error", 500
