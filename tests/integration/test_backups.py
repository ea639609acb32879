"""Backups that keep the proof: a set restores to a store that verifies, erased students stay
erased, and an older set is refused unless its loss is accepted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from domain.id_number import with_check_character
from projections import attach
from registry.cli import main
from registry.config import Settings
from registry.facade import Registry
from tests.factories import ADMIN, school_user
from tests.integration.student_builders import add_school, add_student


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "var"
    monkeypatch.setenv("REGISTRY_DATA_DIR", str(directory))
    monkeypatch.delenv("REGISTRY_EVENT_STORE", raising=False)
    return directory


def opened(data_dir: Path) -> Registry:
    app = Registry(Settings(data_dir=data_dir))
    attach(app)
    return app


def test_a_backup_restores_to_a_store_that_verifies_with_erased_students_still_erased(
    data_dir: Path, tmp_path: Path
) -> None:
    app = opened(data_dir)
    school_id = add_school(app)
    kept, forgotten = (
        add_student(app, school_id),
        add_student(app, school_id, "李小红", with_check_character("51010420060202002")),
    )
    app.forget_student(forgotten, basis="PIPL art. 47(1)", requested_by="student", actor=ADMIN)
    app.close()
    code, output = run("backup", str(tmp_path / "set"))
    assert code == 0, output
    manifest = json.loads((tmp_path / "set" / "manifest.json").read_text())
    assert set(manifest["files"]) >= {"events.sqlite3", "keys.sqlite3", "read/ledger.sqlite3"}
    assert not (tmp_path / "set" / "ledger.key").exists()
    for name in ("events.sqlite3", "keys.sqlite3"):
        (data_dir / name).write_bytes(b"lost")
    code, output = run("restore", str(tmp_path / "set"))
    assert code == 0, output
    assert run("verify")[0] == 0
    app = Registry(Settings(data_dir=data_dir))
    assert app.reveal_student(kept, reader=school_user(school_id)).personal is not None
    assert app.reveal_student(forgotten, reader=school_user(school_id)).erased
    assert app.key_store.key(forgotten) is None
    assert app.key_store.key(kept) is not None
    app.close()


def test_a_set_that_does_not_match_its_manifest_is_refused(data_dir: Path, tmp_path: Path) -> None:
    app = opened(data_dir)
    add_school(app)
    app.close()
    assert run("backup", str(tmp_path / "set"))[0] == 0
    changed = bytearray((tmp_path / "set" / "events.sqlite3").read_bytes())
    changed[-100] ^= 0xFF
    (tmp_path / "set" / "events.sqlite3").write_bytes(bytes(changed))
    code, output = run("restore", str(tmp_path / "set"))
    assert code == 1
    assert "events.sqlite3" in output and "not the file the manifest lists" in output


def test_an_older_set_is_refused_unless_its_loss_is_accepted_which_names_the_positions(
    data_dir: Path, tmp_path: Path
) -> None:
    app = opened(data_dir)
    school_id = add_school(app)
    app.close()
    assert run("backup", str(tmp_path / "old"))[0] == 0
    app = opened(data_dir)
    add_student(app, school_id)
    head = app.max_position()
    app.close()
    assert run("ledger", "checkpoint", "--cut")[0] == 0
    events = json.loads((tmp_path / "old" / "manifest.json").read_text())["events"]
    code, output = run("restore", str(tmp_path / "old"))
    assert code == 1
    assert f"positions {events + 1}–{head} would be lost" in output
    code, output = run("restore", str(tmp_path / "old"), "--accept-loss")
    assert code == 0, output
    assert f"Positions {events + 1}–{head} are lost" in output
    assert run("verify")[0] == 0
    assert run("stats")[0] == 0
