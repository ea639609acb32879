"""The application shell: configuration, the secret, security headers, CSRF, error pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registry.config import ConfigurationError
from tests.web.conftest import ADMIN_PASSWORD, add_admin, csrf_token, post, sign_in
from web import create_app
from web.config import WebConfig, load_or_create_secret


def test_secret_is_generated_once_and_then_reused(tmp_path: Path) -> None:
    # construct: no secret configured
    first = WebConfig.from_env({"REGISTRY_DATA_DIR": str(tmp_path)})
    # query: a second start reads the same one; the file is private
    again = WebConfig.from_env({"REGISTRY_DATA_DIR": str(tmp_path)})
    assert first.secret_key == again.secret_key and len(first.secret_key) >= 48
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_a_configured_secret_wins_and_writes_nothing(tmp_path: Path) -> None:
    shared = "s" * 40
    config = WebConfig.from_env({"REGISTRY_DATA_DIR": str(tmp_path), "REGISTRY_SECRET_KEY": shared})
    assert config.secret_key == shared
    assert not (tmp_path / "secret_key").exists()


def test_a_truncated_secret_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("short")
    with pytest.raises(ConfigurationError):
        load_or_create_secret(tmp_path)


def test_bad_settings_are_explained(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="true or false"):
        WebConfig.from_env({"REGISTRY_DATA_DIR": str(tmp_path), "REGISTRY_SECURE_COOKIES": "maybe"})


def test_pages_carry_security_headers_and_are_not_cached(client: FlaskClient) -> None:
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    assert "HttpOnly" in response.headers["Set-Cookie"]
    assert "SameSite=Lax" in response.headers["Set-Cookie"]


def test_secure_cookies_add_hsts(config: WebConfig) -> None:
    from dataclasses import replace

    app = create_app(replace(config, secure_cookies=True))
    response = app.test_client().get("/login")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    app.extensions["registry"].close()


def test_a_form_without_its_csrf_token_is_refused(client: FlaskClient, registry) -> None:  # type: ignore[no-untyped-def]
    add_admin(registry)
    response = client.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD})
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)
    assert client.get("/admin/accounts/").status_code == 302


def test_unknown_pages_get_a_page_in_chinese(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert '<html lang="zh-Hans">' in response.get_data(as_text=True)
    assert "找不到" in response.get_data(as_text=True)


def test_an_unexpected_error_shows_no_trace(app: Flask) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in text and "Traceback" not in text
    assert "出错" in text


def test_language_switches_to_english_and_back(client: FlaskClient) -> None:
    assert "登录" in client.get("/login").get_data(as_text=True)
    post(client, "/language", {"language": "en", "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in" in page
    post(client, "/language", {"language": "zh_Hans", "next": "/login"})
    assert "登录" in client.get("/login").get_data(as_text=True)


def test_language_switch_never_redirects_off_site(client: FlaskClient) -> None:
    response = post(client, "/language", {"language": "en", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_sign_in_attempts_are_rate_limited(config: WebConfig) -> None:
    from dataclasses import replace

    app = create_app(replace(config, login_rate_limit="3 per minute"))
    client = app.test_client()
    token = csrf_token(client)
    statuses = [
        client.post(
            "/login", data={"csrf_token": token, "username": "admin", "password": "wrong one!"}
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [422, 422, 422, 429]
    assert client.get("/login").status_code == 200
    app.extensions["registry"].close()


def test_signed_in_pages_need_a_session(client: FlaskClient, registry) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/admin/accounts/")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    add_admin(registry)
    assert sign_in(client, "admin", ADMIN_PASSWORD).status_code == 302
    assert client.get("/admin/accounts/").status_code == 200
