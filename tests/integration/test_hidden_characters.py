"""Characters that cannot be seen or that reorder a line (NUL, BEL, backspace, U+202E…) are
refused by the domain, so by the command line too, and printed as visible escapes when an
older record holds them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from domain.account import account_id_for
from domain.errors import InvalidValue
from domain.school import School
from registry.cli import main
from registry.config import Settings
from registry.facade import Registry
from tests.factories import ADMIN, uscc

HIDDEN = ("\x00", "\x07", "\x08", "\u202e", "\u2066", "\u200b", "\u2028")


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("REGISTRY_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("REGISTRY_EVENT_STORE", raising=False)
    return CliRunner()


@pytest.mark.parametrize("char", HIDDEN)
def test_a_name_with_a_hidden_character_is_refused_by_the_domain(tmp_path: Path, char: str) -> None:
    app = Registry(Settings(data_dir=tmp_path / "var"))
    try:
        with pytest.raises(InvalidValue) as refused:
            app.register_school(
                uscc=uscc("12", 1),
                name=f"成都{char}技师学院",
                kind="technician_college",
                prefecture="510100",
                established_on=date(2010, 9, 1),
                actor=ADMIN,
            )
        assert refused.value.params["problem"] == "hidden_characters"
        assert f"U+{ord(char):04X}" in refused.value.params["characters"]
        assert app.max_position() == 0
    finally:
        app.close()


def test_a_reason_keeps_its_line_breaks_but_not_a_bidi_override(tmp_path: Path) -> None:
    app = Registry(Settings(data_dir=tmp_path / "var"))
    try:
        school = app.register_school(
            uscc=uscc("12", 1),
            name="成都技师学院",
            kind="technician_college",
            prefecture="510100",
            established_on=date(2010, 9, 1),
            actor=ADMIN,
        )
        app.correct_school(
            school, field="name", value="成都市技师学院", reason="第一行\n第二行\t附注", actor=ADMIN
        )
        with pytest.raises(InvalidValue):
            app.correct_school(
                school, field="name", value="成都技师学院", reason="反\u202e转", actor=ADMIN
            )
        with pytest.raises(InvalidValue):
            app.correct_school(
                school, field="name", value="成都\n技师学院", reason="名称不能换行", actor=ADMIN
            )
    finally:
        app.close()


def test_the_command_line_refuses_a_hidden_character_in_a_name(runner: CliRunner) -> None:
    added = runner.invoke(
        main,
        ["user", "add", "admin", "--name", "王\u202e敏"],
        input="correct horse battery\ncorrect horse battery\n",
    )
    assert added.exit_code == 1
    assert "hidden_characters" in added.output and "U+202E" in added.output
    assert "\u202e" not in added.output
    assert runner.invoke(main, ["history", str(account_id_for("admin"))]).exit_code == 1


def test_history_shows_hidden_characters_recorded_earlier_as_escapes(
    runner: CliRunner, tmp_path: Path
) -> None:
    # a record from before the rule: the event is applied as it was then, unchecked
    app = Registry(Settings(data_dir=tmp_path / "var"))
    school_id = app.register_school(
        uscc=uscc("12", 1),
        name="成都技师学院",
        kind="technician_college",
        prefecture="510100",
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    school = app.get(School, school_id)
    school._correct(
        field="name", value="成都\u202e院学\x07", reason="旧\x00数据\\u0000", actor=ADMIN
    )
    app.save_changes(school)
    app.close()
    # the table shows each hidden character as an escape, and a typed backslash doubled
    table = runner.invoke(main, ["history", str(school_id)])
    assert table.exit_code == 0, table.output
    assert not any(c in table.output for c in "\u202e\x07\x00")
    assert "成都\\u202e院学\\x07" in table.output and "旧\\x00数据\\\\u0000" in table.output
    # JSON lines stay valid JSON holding exactly what was recorded
    lines = runner.invoke(main, ["history", str(school_id), "--json"]).output
    assert "\u202e" not in lines
    corrected = json.loads(lines.splitlines()[-1])["fields"]
    assert corrected["value"] == "成都\u202e院学\x07" and corrected["reason"] == "旧\x00数据\\u0000"
