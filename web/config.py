"""The web application's configuration, from the environment, with safe defaults.

Every variable is listed in docs/web.md ("Configuration"). The session secret comes from
``REGISTRY_SECRET_KEY``; only when that is unset is one generated into the data directory,
so nodes that share one log can share one secret.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from registry.config import ConfigurationError, Settings
from registry.private_files import private_directory

SECRET_FILE = "secret_key"


@dataclass(frozen=True)
class WebConfig:
    settings: Settings
    secret_key: str
    secure_cookies: bool = False
    login_rate_limit: str = "10 per 15 minutes"
    login_address_rate_limit: str = "30 per 15 minutes"
    form_rate_limit: str = "20 per hour"
    ratelimit_storage: str = "memory://"
    session_hours: int = 8
    testing: bool = False
    flask: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> WebConfig:
        environ = os.environ if environ is None else environ
        settings = Settings.from_env(environ)
        secret = environ.get("REGISTRY_SECRET_KEY") or load_or_create_secret(settings.data_dir)
        try:
            hours = int(environ.get("REGISTRY_SESSION_HOURS", "8"))
        except ValueError:
            raise ConfigurationError("REGISTRY_SESSION_HOURS must be a whole number") from None
        return cls(
            settings=settings,
            secret_key=secret,
            secure_cookies=_flag(environ.get("REGISTRY_SECURE_COOKIES", "false")),
            login_rate_limit=environ.get("REGISTRY_LOGIN_RATE_LIMIT", cls.login_rate_limit),
            login_address_rate_limit=environ.get(
                "REGISTRY_LOGIN_ADDRESS_RATE_LIMIT", cls.login_address_rate_limit
            ),
            form_rate_limit=environ.get("REGISTRY_FORM_RATE_LIMIT", cls.form_rate_limit),
            ratelimit_storage=environ.get("REGISTRY_RATELIMIT_STORAGE", cls.ratelimit_storage),
            session_hours=hours,
        )


def _flag(value: str) -> bool:
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ConfigurationError(f"expected true or false, not {value!r}")


def load_or_create_secret(data_dir: Path) -> str:
    """The secret in ``<data dir>/secret_key``, created on first use only.

    Written to a private temporary file, then linked into place (which fails if the file
    exists), so workers starting at the same moment all read the one complete secret.
    """
    path = data_dir / SECRET_FILE
    private_directory(data_dir)
    if not path.exists():
        fd, temporary = tempfile.mkstemp(dir=data_dir, prefix=".secret-")
        try:
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_urlsafe(48))
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    secret = path.read_text().strip()
    if len(secret) < 32:
        raise ConfigurationError(f"{path} holds no usable secret: delete it to generate one")
    return secret
