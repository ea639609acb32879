"""The registry's web face: ``create_app(config)`` builds one Flask application per process.

Nothing here is created at import time. Each server worker calls the factory, which opens
its own connection to the log and the read models, so forked workers share no handles.

A command returns only once the read models include its own events (``projections.attach``),
so the page its form redirects to shows the change, whichever worker serves it; a worker that
finds another already catching up waits for the position, not to do the work again.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_wtf.csrf import CSRFProtect

import projections
from registry.facade import Registry
from web import labels, trail
from web.auth import init_login
from web.config import WebConfig
from web.errors import init_errors
from web.i18n import init_babel
from web.links import here, may_open, register_first
from web.navigation import menu
from web.pages import (
    accounts,
    agreements,
    audit,
    auth,
    dashboard,
    enterprise,
    enterprises,
    findings,
    groups,
    ledger,
    main,
    organisations,
    placements,
    policies,
    replay,
    returns,
    school,
    schools,
    students,
    teachers,
)
from web.reads import Reader
from web.security import init_headers, init_limits
from web.submissions import init_submissions
from web.templating import RegistryFlask


def create_app(config: WebConfig | None = None) -> Flask:
    config = config or WebConfig.from_env()
    app = RegistryFlask(__name__)
    app.config.update(
        SECRET_KEY=config.secret_key,
        TESTING=config.testing,
        SESSION_COOKIE_NAME="registry_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=config.session_hours),
        MAX_CONTENT_LENGTH=1024 * 1024,
        WTF_CSRF_TIME_LIMIT=config.session_hours * 3600,
        **config.flask,
    )
    registry = Registry(config.settings)
    app.extensions["registry"] = registry
    app.extensions["read_models"] = projections.attach(registry)
    projections.refuse_changed_history(registry, app.extensions["read_models"])
    app.extensions["reader"] = Reader(app.extensions["read_models"])
    app.extensions["web_config"] = config

    CSRFProtect(app)
    init_babel(app)
    init_login(app)
    init_headers(app, config)
    init_errors(app)
    init_submissions(app)
    for blueprint in (
        main.bp,
        auth.bp,
        accounts.bp,
        enterprise.bp,
        school.bp,
        agreements.bp,
        schools.bp,
        enterprises.bp,
        audit.bp,
        groups.bp,
        organisations.bp,
        students.bp,
        placements.bp,
        policies.bp,
        teachers.bp,
        returns.bp,
        findings.bp,
        dashboard.bp,
        ledger.bp,
        replay.bp,
    ):
        app.register_blueprint(blueprint)
    init_limits(app, config, registry)
    app.jinja_env.globals.update(
        labels=labels,
        label=labels.label,
        mode_name=labels.mode_name,
        mode_names=labels.mode_names,
        menu=menu,
        history=trail.history,
        actor_name=trail.actor_name,
        may_open=may_open,
        register_first=register_first,
        here=here,
    )
    app.jinja_env.filters.update(
        prefecture=labels.prefecture_name,
        local_time=labels.local_time,
        yuan=labels.yuan,
        major_option=lambda major: (major, major, ""),
        role_option=lambda role: (role, labels.label(labels.ROLES, role)),
        policy_kind=lambda kind: labels.label(labels.POLICY_KINDS, kind),
    )
    return app
