"""Security headers on every response, and rate limits on the forms anyone can post.

Pages use no inline script or style, so the content security policy allows only the
registry's own static files. Responses are never cached: they hold a party's own records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from web.config import WebConfig

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def init_headers(app: Flask, config: WebConfig) -> None:
    @app.after_request
    def secure(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if config.secure_cookies:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        if not request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response


def _address_and_username() -> str:
    """Sign-in attempts count per client address and per username tried."""
    username = (request.form.get("username") or "").strip().lower()[:64]
    return f"{get_remote_address()}|{username}"


def init_limits(app: Flask, config: WebConfig) -> Limiter:
    """Limit the views that take a password or open an account; applied after blueprints."""
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=config.ratelimit_storage,
        default_limits=[],
        headers_enabled=False,
    )
    limited = {
        "auth.login": (config.login_rate_limit, _address_and_username),
        "auth.request_account": (config.form_rate_limit, get_remote_address),
        "auth.reset_password": (config.form_rate_limit, get_remote_address),
    }
    for endpoint, (rate, key) in limited.items():
        view: Callable[..., Any] = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(rate, key_func=key, methods=["POST"])(view)
    return limiter
