"""Security headers on every response, and rate limits on the forms anyone can post.

Pages use no inline script or style, so the content security policy allows only the
registry's own static files. Responses are never cached: they hold a party's own records.
Failed sign-ins are counted in the credential store (``registry/stores/sign_in_attempts.py``), so
every worker and node applies one count; the other forms' limits count in Flask-Limiter's
storage (``REGISTRY_RATELIMIT_STORAGE``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse

from registry.config import ConfigurationError
from registry.facade import Registry
from registry.stores.sign_in_attempts import Limit, SignInThrottle
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


def _limit(text: str, variable: str) -> Limit:
    """A limit written as Flask-Limiter writes one ("10 per 15 minutes")."""
    try:
        item = parse(text)
    except ValueError:
        raise ConfigurationError(
            f"{variable} must read like '10 per 15 minutes', not {text!r}"
        ) from None
    return Limit(failures=item.amount, seconds=item.get_expiry())


def sign_in_throttle() -> SignInThrottle:
    found: SignInThrottle = current_app.extensions["sign_in_throttle"]
    return found


def client_address() -> str:
    """The address a request came from, as the limits count it."""
    return get_remote_address()


def init_limits(app: Flask, config: WebConfig, registry: Registry) -> Limiter:
    """Count failed sign-ins in the shared store; limit the other forms anyone can post."""
    app.extensions["sign_in_throttle"] = SignInThrottle(
        registry.side_stores.failed_sign_ins(),
        per_address=_limit(config.login_address_rate_limit, "REGISTRY_LOGIN_ADDRESS_RATE_LIMIT"),
        per_username=_limit(config.login_rate_limit, "REGISTRY_LOGIN_RATE_LIMIT"),
    )
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=config.ratelimit_storage,
        default_limits=[],
        headers_enabled=False,
    )
    for endpoint in ("auth.request_account", "auth.reset_password"):
        view: Callable[..., Any] = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(
            config.form_rate_limit, key_func=get_remote_address, methods=["POST"]
        )(view)
    return limiter
