"""``registry verify`` on real stores damaged with sqlite3 alone: it names the exact position.

Each case copies one store whose ledger follows the log and whose checkpoints are signed,
changes the copy's log with raw SQL (never through the project's code), and runs the command
line as an operator would.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.generate import generate
from registry.cli import EXIT_DAMAGED, main
from registry.config import Settings
from registry.facade import Registry
from tests.factories import registered_enterprise

Tamper = Callable[[sqlite3.Connection], int]
"""Changes the log; returns the position ``verify`` must name."""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("store") / "var"
    generate(directory, events=500, seed=3)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REGISTRY_DATA_DIR", str(directory))
        patch.delenv("REGISTRY_EVENT_STORE", raising=False)
        result = CliRunner().invoke(main, ["ledger", "checkpoint", "--cut"])
    assert result.exit_code == 0, result.output
    return directory


@pytest.fixture
def copy(store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "var"
    shutil.copytree(store, target)
    monkeypatch.setenv("REGISTRY_DATA_DIR", str(target))
    monkeypatch.delenv("REGISTRY_EVENT_STORE", raising=False)
    return target


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def verify_json() -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(main, ["verify", "--json"])
    return result.exit_code, json.loads(result.stdout)


def raw(copy: Path, tamper: Tamper) -> int:
    with closing(sqlite3.connect(copy / "events.sqlite3")) as conn:
        position = tamper(conn)
        conn.commit()
    return position


def one_byte(conn: sqlite3.Connection) -> int:
    (state,) = conn.execute("SELECT state FROM stored_events WHERE rowid = 250").fetchone()
    changed = bytearray(state)
    changed[-3] ^= 0x01
    conn.execute("UPDATE stored_events SET state = ? WHERE rowid = 250", [bytes(changed)])
    return 250


def deleted(conn: sqlite3.Connection) -> int:
    conn.execute("DELETE FROM stored_events WHERE rowid = 137")
    return 137


def inserted(conn: sqlite3.Connection) -> int:
    rows = conn.execute("SELECT rowid FROM stored_events WHERE rowid >= 90 ORDER BY rowid DESC")
    for (rowid,) in rows.fetchall():
        conn.execute("UPDATE stored_events SET rowid = rowid + 1 WHERE rowid = ?", [rowid])
    conn.execute(
        "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state)"
        " SELECT 90, '00000000000000000000000000000001', originator_version, topic, state"
        " FROM stored_events WHERE rowid = 12"
    )
    return 90


def swapped(conn: sqlite3.Connection) -> int:
    conn.execute("UPDATE stored_events SET rowid = -1 WHERE rowid = 200")
    conn.execute("UPDATE stored_events SET rowid = 200 WHERE rowid = 201")
    conn.execute("UPDATE stored_events SET rowid = 201 WHERE rowid = -1")
    return 200


def version_changed(conn: sqlite3.Connection) -> int:
    conn.execute("UPDATE stored_events SET originator_version = 99 WHERE rowid = 321")
    return 321


def last_removed(conn: sqlite3.Connection) -> int:
    (last,) = conn.execute("SELECT max(rowid) FROM stored_events").fetchone()
    conn.execute("DELETE FROM stored_events WHERE rowid = ?", [last])
    return int(last)


@pytest.mark.parametrize(
    "tamper", [one_byte, deleted, inserted, swapped, version_changed, last_removed]
)
def test_verify_names_the_first_position_that_no_longer_matches(copy: Path, tamper: Tamper) -> None:
    assert run("verify")[0] == 0
    position = raw(copy, tamper)
    code, outcome = verify_json()
    assert code == EXIT_DAMAGED
    assert outcome["ok"] is False
    assert outcome["position"] == position
    code, output = run("verify")
    assert code == EXIT_DAMAGED and f"position {position}" in output


def test_a_log_and_ledger_rewritten_to_agree_fail_against_a_checkpoint_kept_outside(
    copy: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(main, ["ledger", "checkpoint"])
    assert result.exit_code == 0
    note = result.stdout
    kept = tmp_path / "auditor-checkpoint.txt"
    kept.write_text(note)
    raw(copy, one_byte)
    for leftover in [*copy.glob("checkpoints.sqlite3*"), *(copy / "read").glob("ledger.*")]:
        leftover.unlink()
    assert run("ledger", "checkpoint", "--cut")[0] == 0
    assert run("verify")[0] == 0  # the rewrite agrees with itself
    code, output = run("verify", "--against", str(kept))
    assert code == EXIT_DAMAGED
    assert "the log was rewritten since it was signed" in output


def test_the_untouched_store_verifies_against_its_own_checkpoint(
    copy: Path, tmp_path: Path
) -> None:
    kept = tmp_path / "checkpoint.txt"
    kept.write_text(CliRunner().invoke(main, ["ledger", "checkpoint"]).stdout)
    code, output = run("verify", "--against", str(kept))
    assert code == 0, output
    assert "match their ledger" in output


def test_a_log_restored_from_an_older_copy_stops_the_registry_from_starting(
    copy: Path, tmp_path: Path
) -> None:
    old = tmp_path / "events-old.sqlite3"
    shutil.copy(copy / "events.sqlite3", old)
    app = Registry(Settings(data_dir=copy))
    registered_enterprise(app, 4321)
    app.close()
    assert run("ledger", "checkpoint", "--cut")[0] == 0
    shutil.copy(old, copy / "events.sqlite3")
    for suffix in ("-wal", "-shm"):
        (copy / f"events.sqlite3{suffix}").unlink(missing_ok=True)
    code, output = run("stats")
    assert code == EXIT_DAMAGED
    assert "older than the ledger" in output and "registry verify" in output


def test_a_rebuild_leaves_the_ledger_as_it_was(copy: Path) -> None:
    before = (copy / "read" / "ledger.sqlite3").read_bytes()
    assert run("rebuild")[0] == 0
    assert (copy / "read" / "ledger.sqlite3").read_bytes() == before
    assert run("verify")[0] == 0


def test_a_node_with_another_signing_key_refuses_to_start(copy: Path) -> None:
    (copy / "ledger.key").unlink()
    code, output = run("stats")
    assert code == EXIT_DAMAGED
    assert "signed with another key" in output and "REGISTRY_LEDGER_KEY" in output


def test_a_rebuild_refuses_a_log_that_fails_verification_unless_told_and_records_it(
    copy: Path,
) -> None:
    raw(copy, version_changed)
    code, output = run("rebuild")
    assert code == EXIT_DAMAGED and "Not rebuilt" in output and "--accept-unverified" in output
    code, output = run("rebuild", "--accept-unverified")
    assert code == 0, output
    with closing(sqlite3.connect(copy / "checkpoints.sqlite3")) as conn:
        (problem,) = conn.execute(
            "SELECT problem FROM ledger_verifications ORDER BY rowid DESC LIMIT 1"
        ).fetchone()
    assert problem.startswith("rebuilt anyway (--accept-unverified): ")
