"""The ``registry`` command line on a real SQLite store."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from registry.cli import main


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, f"{prefix}{name} "))
    return found


@pytest.mark.parametrize(("name", "command"), all_commands(main))
def test_every_command_has_help_text(name: str, command: click.Command) -> None:
    assert (command.help or "").strip(), f"'registry {name}' has no help text"
    for param in command.params:
        if isinstance(param, click.Option):
            assert (param.help or "").strip(), f"'registry {name}' option {param.name} lacks help"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("REGISTRY_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("REGISTRY_EVENT_STORE", raising=False)
    return CliRunner()


def test_demo_loads_then_refuses_a_non_empty_store(runner: CliRunner) -> None:
    first = runner.invoke(main, ["demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(main, ["demo"])
    assert second.exit_code == 1
    assert "not empty" in second.output
    if_empty = runner.invoke(main, ["demo", "--if-empty"])
    assert if_empty.exit_code == 0 and "not loaded" in if_empty.output


def test_demo_is_deterministic_and_force_adds_nothing_twice(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner.invoke(main, ["demo"])
    once = runner.invoke(main, ["stats"]).output
    assert runner.invoke(main, ["demo", "--force"]).exit_code == 0
    assert runner.invoke(main, ["stats"]).output == once
    monkeypatch.setenv("REGISTRY_DATA_DIR", str(tmp_path / "other"))
    runner.invoke(main, ["demo"])
    assert runner.invoke(main, ["stats"]).output.replace("other", "var") == once


def test_demo_covers_prefectures_kinds_and_states(runner: CliRunner) -> None:
    runner.invoke(main, ["demo"])
    output = runner.invoke(main, ["stats"]).output
    assert "School: 107" in output
    for event_type in (
        "Declined",
        "Countersigned",
        "AmendmentProposed",
        "AmendmentAccepted",
        "Suspended",
        "Resumed",
        "Terminated",
        "InvestmentRecorded",
        "Upgraded",
        "Withdrawn",
        "Certified",
    ):
        assert f".{event_type}:" in output


def test_history_lists_events_with_actor_and_fields(runner: CliRunner) -> None:
    from registry.demo.base import demo_id

    runner.invoke(main, ["demo"])
    agreement_id = demo_id("agreement", 0)
    result = runner.invoke(main, ["history", str(agreement_id), "--json"])
    assert result.exit_code == 0, result.output
    entries = [json.loads(line) for line in result.output.splitlines()]
    assert [e["event"] for e in entries][:2] == [
        "CooperationAgreement.Proposed",
        "CooperationAgreement.Countersigned",
    ]
    assert entries[0]["actor"] == "system:demo" and entries[0]["version"] == 1
    assert entries[0]["fields"]["modes"] == ["internship_base", "order_class"]
    table = runner.invoke(main, ["history", str(agreement_id)])
    assert "Countersigned" in table.output and "on=" in table.output


def test_history_explains_bad_and_unknown_ids(runner: CliRunner) -> None:
    bad = runner.invoke(main, ["history", "not-an-id"])
    assert bad.exit_code == 2 and "is not a record id" in bad.output
    unknown = runner.invoke(main, ["history", "00000000-0000-0000-0000-000000000000"])
    assert unknown.exit_code == 1 and "No record" in unknown.output


def test_demo_has_students_some_of_them_forgotten(runner: CliRunner) -> None:
    runner.invoke(main, ["demo"])
    output = runner.invoke(main, ["stats"]).output
    assert "Student: 318" in output
    assert "Student.Forgotten: 12" in output


def test_student_export_forget_and_access_log(runner: CliRunner) -> None:
    from registry.demo.base import demo_id

    runner.invoke(main, ["demo"])
    student_id = str(demo_id("student", 1))
    # export: the decrypted record as JSON, the read logged under the command line's actor
    exported = runner.invoke(main, ["student", "export", student_id, "--reason", "学生申请副本"])
    assert exported.exit_code == 0, exported.output
    copy = json.loads(exported.output)
    assert copy["student"]["erased"] is False
    assert len(copy["student"]["id_number"]) == 18
    assert copy["access_log"][-1]["reader"].startswith("system:cli:")
    # forget: the key is destroyed, and every later export shows the data as erased
    forgot = runner.invoke(
        main,
        ["forget-student", student_id, "--basis", "PIPL art. 47(1)", "--requested-by", "student"],
    )
    assert forgot.exit_code == 0, forgot.output
    after = json.loads(
        runner.invoke(main, ["student", "export", student_id, "--reason", "核对删除"]).output
    )
    assert after["student"]["name"] == "[erased]"
    assert copy["student"]["name"] not in json.dumps(after, ensure_ascii=False)
    history = runner.invoke(main, ["history", student_id]).output
    assert "name=[erased]" in history and "Student.Forgotten" in history
    again = runner.invoke(
        main,
        ["forget-student", student_id, "--basis", "PIPL art. 47(1)", "--requested-by", "student"],
    )
    assert again.exit_code == 1 and "erased" in again.output
    # the access log lists both reads, as a table and as JSON lines
    table = runner.invoke(main, ["access-log", "--student", student_id]).output
    assert "export/revealed  学生申请副本" in table and "export/erased  核对删除" in table
    lines = runner.invoke(main, ["access-log", "--json", "--limit", "1"]).output.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["outcome"] == "revealed"


def test_student_export_needs_a_reason_and_a_known_student(runner: CliRunner) -> None:
    from registry.demo.base import demo_id

    runner.invoke(main, ["demo"])
    no_reason = runner.invoke(main, ["student", "export", str(demo_id("student", 1))])
    assert no_reason.exit_code == 2 and "--reason" in no_reason.output
    blank = runner.invoke(main, ["student", "export", str(demo_id("student", 1)), "--reason", " "])
    assert blank.exit_code == 1 and "reason" in blank.output
    unknown = runner.invoke(main, ["student", "export", str(demo_id("nobody")), "--reason", "x"])
    assert unknown.exit_code == 1 and "No record" in unknown.output
    bad = runner.invoke(main, ["access-log", "--student", "nope"])
    assert bad.exit_code == 2 and "is not a record id" in bad.output


def test_project_and_rebuild_report_the_live_read_models(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(main, ["demo"])
    position = runner.invoke(main, ["stats"]).output.split("last position ")[1].split(")")[0]
    read = tmp_path / "var" / "read"
    # the demo's commands kept the read models up to date as they ran
    assert (read / "CURRENT").read_text() == "views-1.sqlite3\n"
    caught_up = runner.invoke(main, ["project"])
    assert caught_up.exit_code == 0, caught_up.output
    assert f"Read models at position {position}:" in caught_up.output
    rebuilt = runner.invoke(main, ["rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert f"Read models rebuilt at position {position}:" in rebuilt.output
    assert "Rebuilding" in rebuilt.output
    assert (read / "CURRENT").read_text() == "views-2.sqlite3\n"


def test_user_add_creates_an_administrator_who_can_sign_in(runner: CliRunner) -> None:
    from domain.account import Account, account_id_for
    from registry.config import Settings
    from registry.facade import Registry

    result = runner.invoke(
        main,
        ["user", "add", "admin", "--name", "王敏"],
        input="correct horse battery\ncorrect horse battery\n",
    )
    assert result.exit_code == 0, result.output
    app = Registry(Settings.from_env())
    account = app.authenticate("admin", "correct horse battery")
    assert account is not None and account.role.value == "province_admin"
    history = runner.invoke(main, ["history", str(account_id_for("admin")), "--json"])
    events = [json.loads(line) for line in history.output.splitlines()]
    assert [e["event"] for e in events] == [
        "Account.Requested",
        "Account.Approved",
        "Account.PasswordChanged",
    ]
    assert {e["actor"] for e in events} == {"system:cli"}
    assert "correct horse" not in history.output
    assert isinstance(app.get(Account, account_id_for("admin")), Account)
    app.close()


def test_user_add_explains_a_weak_password_and_a_missing_binding(runner: CliRunner) -> None:
    weak = runner.invoke(main, ["user", "add", "admin", "--name", "王敏", "--password", "short"])
    assert weak.exit_code == 1 and "password_too_weak" in weak.output
    unbound = runner.invoke(
        main,
        ["user", "add", "teacher", "--name", "老师", "--role", "school_user"],
        input="a long password\na long password\n",
    )
    assert unbound.exit_code == 1 and "account_binding_invalid" in unbound.output


def test_reset_link_prints_a_one_time_link(runner: CliRunner) -> None:
    runner.invoke(main, ["user", "add", "admin", "--name", "王敏", "--password", "a long password"])
    result = runner.invoke(
        main, ["user", "reset-link", "admin", "--base-url", "https://r.example/"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("https://r.example/reset/") and len(result.output) > 60
    unknown = runner.invoke(main, ["user", "reset-link", "nobody"])
    assert unknown.exit_code == 1 and "No record" in unknown.output


def test_demo_prints_its_accounts(runner: CliRunner) -> None:
    from registry.demo.accounts import DEMO_PASSWORD

    output = runner.invoke(main, ["demo"]).output
    assert f"password for each: {DEMO_PASSWORD}" in output
    for username in ("admin", "auditor", "officer", "school", "enterprise"):
        assert f"  {username} " in output
    again = runner.invoke(main, ["demo", "--if-empty"]).output
    assert "not loaded" in again and "成都市" in again
