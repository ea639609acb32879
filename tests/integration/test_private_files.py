"""Every file the registry keeps is its owner's alone (0600, directories 0700), whatever the
umask: the credentials, the key store, the log, the access log, the read models, the secret."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.cli import main
from tests.web.conftest import web_app
from web.config import WebConfig


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask, under which files are created readable by everyone (0644)."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def modes(data_dir: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(data_dir.stat().st_mode)}
    for path in data_dir.rglob("*"):
        found[str(path.relative_to(data_dir))] = stat.S_IMODE(path.stat().st_mode)
    return found


def test_the_demo_and_the_web_application_create_only_private_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_umask: None
) -> None:
    data_dir = tmp_path / "var"
    monkeypatch.setenv("REGISTRY_DATA_DIR", str(data_dir))
    monkeypatch.delenv("REGISTRY_EVENT_STORE", raising=False)
    # the demo fills the log, the side stores and the read models
    assert CliRunner().invoke(main, ["demo"]).exit_code == 0
    # a web application adds its secret and reads (and so keeps WAL files open)
    config = WebConfig.from_env({"REGISTRY_DATA_DIR": str(data_dir)})
    with web_app(config) as app:
        app.test_client().get("/healthz")
        found = modes(data_dir)
    names = set(found)
    for expected in (
        "events.sqlite3",
        "credentials.sqlite3",
        "keys.sqlite3",
        "access-log.sqlite3",
        "secret_key",
        "read",
    ):
        assert expected in names, sorted(names)
    assert any(name.endswith("-wal") for name in names), sorted(names)
    loose = {
        name: oct(mode)
        for name, mode in found.items()
        if mode != (0o700 if (data_dir / name).is_dir() else 0o600)
    }
    assert loose == {}


def test_files_made_readable_by_others_are_made_private_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_umask: None
) -> None:
    data_dir = tmp_path / "var"
    data_dir.mkdir(mode=0o755)
    (data_dir / "events.sqlite3").touch(mode=0o644)
    monkeypatch.setenv("REGISTRY_DATA_DIR", str(data_dir))
    monkeypatch.delenv("REGISTRY_EVENT_STORE", raising=False)
    assert CliRunner().invoke(main, ["stats"]).exit_code == 0
    found = modes(data_dir)
    assert found["."] == 0o700
    assert found["events.sqlite3"] == 0o600
