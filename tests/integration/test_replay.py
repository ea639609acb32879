"""`registry replay`: the read models built afresh from the log, compared with the live ones.

A generated log's read models replay identical; a row of the live file changed, deleted or
added by hand with raw sqlite3 is named, at the head and as of an earlier position (where
the live file answers from its row versions), and the live file's bytes are never changed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from bench.generate import generate
from projections import read_models
from registry.cli import main
from registry.config import Settings
from registry.facade import Registry

NEW_ID = "00000000-0000-4000-8000-00000000feed"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated log of about 4,000 events with its read models caught up."""
    directory = tmp_path_factory.mktemp("replay") / "var"
    generate(directory, events=3000, seed=5)
    app = Registry(Settings(data_dir=directory))
    read_models(app).catch_up()
    app.close()
    return directory


@pytest.fixture
def data_dir(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "var"
    shutil.copytree(generated, target)
    monkeypatch.setenv("REGISTRY_DATA_DIR", str(target))
    monkeypatch.delenv("REGISTRY_EVENT_STORE", raising=False)
    return target


def live_file(data_dir: Path) -> Path:
    return data_dir / "read" / (data_dir / "read" / "CURRENT").read_text().strip()


def fingerprint(data_dir: Path) -> dict[str, str]:
    """The bytes of the live file and its WAL, and the names of the files beside them."""
    live = live_file(data_dir)
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (live,)}
    wal = live.with_name(live.name + "-wal")
    # a reader may leave an empty WAL where there was none: the same (empty) log of changes
    found["wal"] = hashlib.sha256(wal.read_bytes() if wal.exists() else b"").hexdigest()
    found["names"] = " ".join(
        sorted(p.name for p in live.parent.iterdir() if not p.name.endswith(("-wal", "-shm")))
    )
    return found


def replay(*args: str) -> Result:
    return CliRunner().invoke(main, ["replay", *args])


def by_hand(data_dir: Path, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> None:
    """An edit of the live read models with raw sqlite3, as a person at a shell would."""
    conn = sqlite3.connect(live_file(data_dir), isolation_level=None)
    try:
        conn.execute(sql, params)
    finally:
        conn.close()


def one(data_dir: Path, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> dict[str, Any]:
    conn = sqlite3.connect(live_file(data_dir))
    conn.row_factory = sqlite3.Row
    try:
        found = conn.execute(sql, params).fetchone()
        assert found is not None, sql
        return dict(found)
    finally:
        conn.close()


def head_of(data_dir: Path) -> int:
    return int(one(data_dir, "SELECT min(position) AS p FROM _tracking")["p"])


def differing(result: Result) -> dict[str, dict[str, Any]]:
    """The views the JSON report says differ, by name."""
    found = json.loads(result.stdout)
    return {view["view"]: view for view in found["views"] if not view["identical"]}


def test_a_generated_log_replays_identical_and_the_live_file_is_untouched(
    data_dir: Path,
) -> None:
    before = fingerprint(data_dir)
    # at the live file's position, then as of an earlier one
    now = replay()
    earlier = replay("--at", str(head_of(data_dir) // 3))
    assert now.exit_code == 0, now.output
    assert "Identical: all 14 views hold the same rows." in now.output
    assert f"up to position {head_of(data_dir)}" in now.output
    assert earlier.exit_code == 0, earlier.output
    assert "row versions as of position" in earlier.output and "Identical" in earlier.output
    assert fingerprint(data_dir) == before


def test_a_value_changed_by_hand_is_named_with_its_row_and_column(data_dir: Path) -> None:
    agreement = one(data_dir, "SELECT id, title FROM agreements ORDER BY id LIMIT 1 OFFSET 5")
    by_hand(data_dir, "UPDATE agreements SET title = '改过的标题' WHERE id = ?", [agreement["id"]])
    before = fingerprint(data_dir)
    result = replay()
    assert result.exit_code == 1, result.output
    assert "Different: 1 of 14 views differ from the log." in result.output
    title = json.dumps(agreement["title"], ensure_ascii=False)
    assert (
        f'agreements, row id="{agreement["id"]}": title is "改过的标题" in the live read models,'
        f" {title} from the log" in result.output
    )
    assert fingerprint(data_dir) == before
    # the same, for tools
    found = differing(replay("--json"))
    assert list(found) == ["agreements"]
    first = found["agreements"]["first"][0]
    assert first["kind"] == "changed" and first["key"] == {"id": agreement["id"]}
    assert first["columns"] == ["title"] and first["live"]["title"] == "改过的标题"
    assert first["rebuilt"]["title"] == agreement["title"]


def test_a_row_deleted_by_hand_is_named_as_missing(data_dir: Path) -> None:
    school = one(data_dir, "SELECT id, name FROM schools ORDER BY id LIMIT 1 OFFSET 3")
    by_hand(data_dir, "DELETE FROM schools WHERE id = ?", [school["id"]])
    result = replay()
    assert result.exit_code == 1
    assert f'schools, row id="{school["id"]}": missing from the live read models' in result.output
    first = differing(replay("--json"))["schools"]["first"][0]
    assert first["kind"] == "missing" and first["live"] is None
    assert first["rebuilt"]["name"] == school["name"]


def test_a_row_added_by_hand_is_named_as_only_in_the_live_file(data_dir: Path) -> None:
    row = one(data_dir, "SELECT * FROM enterprises ORDER BY id LIMIT 1")
    row["id"] = NEW_ID
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    by_hand(data_dir, f"INSERT INTO enterprises ({names}) VALUES ({marks})", list(row.values()))
    result = replay()
    assert result.exit_code == 1
    assert f'enterprises, row id="{NEW_ID}": in the live read models only' in result.output
    first = differing(replay("--json"))["enterprises"]["first"][0]
    assert first["kind"] == "extra" and first["rebuilt"] is None


def changed_later(data_dir: Path, table: str) -> dict[str, Any]:
    """A row version of ``table`` that a later event replaced: the past, not the present."""
    return one(
        data_dir,
        f"SELECT * FROM {table}__versions WHERE valid_to IS NOT NULL"
        " ORDER BY valid_from, id LIMIT 1 OFFSET 3",
    )


def test_an_earlier_position_is_compared_with_the_row_versions_that_held_there(
    data_dir: Path,
) -> None:
    version = changed_later(data_dir, "agreements")
    at = version["valid_from"]
    assert at < head_of(data_dir)
    by_hand(
        data_dir,
        "UPDATE agreements__versions SET status = 'forged' WHERE id = ? AND valid_from = ?",
        [version["id"], at],
    )
    before = fingerprint(data_dir)
    result = replay("--at", str(at))
    assert result.exit_code == 1, result.output
    assert f"up to position {at} " in result.output
    assert f"row versions as of position {at}" in result.output
    assert (
        f'agreements, row id="{version["id"]}": status is "forged" in the live read models,'
        f' "{version["status"]}" from the log' in result.output
    )
    # the version itself, named with the position it held from
    assert f'row versions of agreements, row id="{version["id"]}", valid_from={at}' in result.output
    assert fingerprint(data_dir) == before


def test_an_earlier_position_names_a_version_deleted_or_added_by_hand(data_dir: Path) -> None:
    deleted = changed_later(data_dir, "schools")
    at = deleted["valid_from"]
    by_hand(
        data_dir,
        "DELETE FROM schools__versions WHERE id = ? AND valid_from = ?",
        [deleted["id"], at],
    )
    added = {**one(data_dir, "SELECT * FROM enterprises__versions LIMIT 1"), "id": NEW_ID}
    added.update(valid_from=at, valid_to=None)
    names = ", ".join(added)
    marks = ", ".join("?" for _ in added)
    by_hand(
        data_dir, f"INSERT INTO enterprises__versions ({names}) VALUES ({marks})", [*added.values()]
    )
    result = replay("--at", str(at))
    assert result.exit_code == 1
    assert f'schools, row id="{deleted["id"]}": missing from the live read models' in result.output
    assert f'enterprises, row id="{NEW_ID}": in the live read models only' in result.output
    # a position before both versions held sees neither change
    assert replay("--at", str(at - 1)).exit_code == 0


def test_a_position_the_live_read_models_have_not_reached_is_refused(data_dir: Path) -> None:
    head = head_of(data_dir)
    result = replay("--at", str(head + 1))
    assert result.exit_code == 1
    assert f"The live read models stand at position {head}, before {head + 1}" in result.output
