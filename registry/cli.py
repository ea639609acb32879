"""The ``registry`` command: the composition root that wires the layers together."""

from __future__ import annotations

import base64
import contextlib
import functools
import getpass
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import click
from sqlite_utils import Database

from domain.account import Account, account_id_for
from domain.actors import Actor, Role
from domain.enterprise import Enterprise
from domain.errors import DomainError
from domain.group_rules import GROUPS_2020, GROUPS_TARGET_2025
from domain.prefectures import PREFECTURES
from domain.school import School
from domain.student import RequestedBy
from domain.teacher_practice import REQUIRED_DAYS, TeacherPractice
from domain.uscc import party_id_for, validate_uscc
from projections import (
    HistoryDiffers,
    attach,
    ledger,
    ledger_verify,
    read_models,
    refuse_changed_history,
)
from projections.engine.projector import ApplicationLog
from projections.groups import group_progress
from projections.returns import return_totals
from registry import backups
from registry.clock import local_time, today
from registry.config import ConfigurationError, Settings
from registry.demo import load_demo
from registry.errors import CorruptEvent
from registry.facade import Registry
from registry.history import aggregate_history
from registry.ledger.checkpoints import SQLiteCheckpoints, Verification
from registry.ledger.leaves import leaf_bytes
from registry.ledger.notes import NoteError, Verifier, open_checkpoint
from registry.messages import describe, describe_damage
from registry.printable import json_text, printable
from registry.stats import log_stats
from registry.stores.credentials import check_password
from registry.stores.postgres.sqlite_import import import_side_stores

F = TypeVar("F", bound=Callable[..., Any])


EXIT_DAMAGED = 65
"""The exit status of a command stopped by a damaged event in the log (sysexits' EX_DATAERR)."""


class DamagedLog(click.ClickException):
    """A damaged event stopped the command: one message naming it, exit status 65."""

    exit_code = EXIT_DAMAGED


def refusals_as_messages(command: F) -> F:
    """Turn domain and configuration errors into one clear line and exit status 1, and a
    damaged event in the log into one naming it and exit status 65."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DomainError as error:
            raise click.ClickException(describe(error)) from None
        except ConfigurationError as error:
            raise click.ClickException(str(error)) from None
        except CorruptEvent as damaged:
            raise DamagedLog(describe_damage(damaged)) from None

    return wrapper  # type: ignore[return-value]


def open_registry(check: bool = True) -> Registry:
    """The application, with the read models catching up after every command it saves.

    Refused when the log is not the one its latest signed checkpoint covers (``check``:
    the ledger's own commands look into exactly that)."""
    app = Registry(Settings.from_env())
    models = attach(app)
    if check:
        try:
            refuse_changed_history(app, models)
        except HistoryDiffers as error:
            app.close()
            raise DamagedLog(str(error)) from None
    return app


def record_id(_ctx: click.Context, _param: click.Parameter, value: str) -> UUID:
    """Parse a record id argument, explaining what an id looks like when it is not one."""
    try:
        return UUID(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a record id (a UUID such as 3f2a5c4e-9b1d-5e6f-8a7b-0c1d2e3f4a5b)"
        ) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sichuan-coop-registry")
def main() -> None:
    """The Sichuan school–enterprise cooperation registry.

    Data lives under REGISTRY_DATA_DIR (default ./var); REGISTRY_EVENT_STORE selects the
    event store: 'sqlite' (default) or a postgresql:// URL.

    Exit status: 0 done, 1 refused (the message says why), 2 wrong usage, 65 a damaged
    event in the log stopped the command (the message names its position, record and
    version).
    """


@main.command()
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) if the store has events.")
@click.option(
    "--force", is_flag=True, help="Load into a non-empty store, adding only missing records."
)
@refusals_as_messages
def demo(if_empty: bool, force: bool) -> None:
    """Load the deterministic demo data into the event store."""
    app = open_registry()
    if app.max_position():
        if if_empty:
            click.echo("The event store already holds events; demo data not loaded.")
            show_demo_accounts(app)
            return
        if not force:
            raise click.ClickException(
                "The event store is not empty. Use --force to add the demo's missing records, "
                "or point REGISTRY_DATA_DIR at an empty directory."
            )
    context = load_demo(app, progress=lambda title: click.echo(f"{title}…"))
    click.echo(f"Demo loaded: the log now ends at position {app.max_position()}.")
    if context.recorded:
        first, last = (local_time(moment) for moment in context.recorded)
        click.echo(
            f"Its recorded-at times are simulated: its events are stamped from {first} to "
            f"{last}, as if entered over that time (docs/demo.md)."
        )
    show_demo_accounts(app)


@main.command()
@click.argument("record_id", callback=record_id)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
@refusals_as_messages
def history(record_id: UUID, as_json: bool) -> None:
    """Show a record's events in order: version, recorded at, actor, event, fields."""
    for entry in aggregate_history(open_registry(), record_id):
        if as_json:
            click.echo(json_text(entry.__dict__))
            continue
        fields = ", ".join(f"{k}={v}" for k, v in entry.fields.items())
        click.echo(
            printable(
                f"{entry.version:>4}  {entry.recorded_at}  {entry.actor} ({entry.role})  "
                f"{entry.event}  {fields}"
            )
        )


@main.command()
@refusals_as_messages
def stats() -> None:
    """Count the records and events in the event store."""
    app = open_registry()
    summary = log_stats(app)
    location = app.settings.event_store
    if location == "sqlite":
        location = os.fspath(app.settings.data_dir / "events.sqlite3")
    click.echo(f"Event store: {location}")
    click.echo(f"Events: {summary.events} (last position {summary.position})")
    for kind, count in sorted(summary.records.items()):
        click.echo(f"  {kind}: {count}")
    click.echo("Events by type:")
    for event_type, count in sorted(summary.event_types.items()):
        click.echo(f"  {event_type}: {count}")


# --- students and their personal data ------------------------------------------------------


def cli_actor() -> Actor:
    """The command line's named system actor: it has the province administrator's rights.

    The operating-system user is part of the name, so the access log says who ran a command.
    """
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Actor(f"system:cli:{user}", Role.SYSTEM)


@main.group()
def student() -> None:
    """Students' records; reads of personal data are logged in the access log."""


@student.command("export")
@click.argument("student_id", callback=record_id)
@click.option("--reason", required=True, help="Why the data is read (kept in the access log).")
@refusals_as_messages
def student_export(student_id: UUID, reason: str) -> None:
    """Print a copy of all data held about a student as JSON (PIPL art. 45); the read is logged."""
    app = open_registry()
    try:
        exported = app.export_student(student_id, reader=cli_actor(), reason=reason)
    finally:
        app.close()
    click.echo(json_text(exported, indent=2))


@main.command("forget-student")
@click.argument("student_id", callback=record_id)
@click.option("--basis", required=True, help="The legal basis, e.g. 'PIPL art. 47(1)'.")
@click.option(
    "--requested-by",
    required=True,
    type=click.Choice([r.value for r in RequestedBy]),
    help="Who asked for the erasure (a category, never a name).",
)
@refusals_as_messages
def forget_student(student_id: UUID, basis: str, requested_by: str) -> None:
    """Erase a student's personal data: record the erasure, then destroy the student's key."""
    app = open_registry()
    try:
        app.forget_student(student_id, basis=basis, requested_by=requested_by, actor=cli_actor())
    finally:
        app.close()
    click.echo(f"Student {student_id} forgotten: personal data erased ({basis}).")


def optional_record_id(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> UUID | None:
    return None if value is None else record_id(ctx, param, value)


@main.command("access-log")
@click.option(
    "--student",
    "student_id",
    default=None,
    callback=optional_record_id,
    help="Only reads of this student's data.",
)
@click.option("--reader", default=None, help="Only reads by this user id.")
@click.option("--after", default=0, type=int, help="Start after this position.")
@click.option("--limit", default=100, type=int, help="Show at most this many entries.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
@refusals_as_messages
def access_log(
    student_id: UUID | None, reader: str | None, after: int, limit: int, as_json: bool
) -> None:
    """Browse the log of reads of students' personal data: when, who, whose, why, outcome."""
    app = open_registry()
    try:
        entries = app.access_log_entries(
            actor=cli_actor(), student_id=student_id, reader=reader, after=after, limit=limit
        )
    finally:
        app.close()
    for entry in entries:
        if as_json:
            click.echo(json_text(entry.__dict__))
            continue
        click.echo(
            printable(
                f"{entry.position:>6}  {entry.at}  {entry.reader} ({entry.role})  "
                f"{entry.subject_id}  {entry.purpose}/{entry.outcome}  {entry.reason or '—'}"
            )
        )


@main.command("reapply-erasures")
@refusals_as_messages
def reapply_erasures() -> None:
    """After restoring the key store from a backup: destroy again the keys of forgotten students."""
    app = open_registry()
    try:
        destroyed = app.reapply_erasures(actor=cli_actor())
    finally:
        app.close()
    for student_id in destroyed:
        click.echo(f"destroyed the restored key of forgotten student {student_id}")
    click.echo(f"{len(destroyed)} restored key(s) destroyed; every recorded erasure holds again.")


@main.command("index-student-names")
@refusals_as_messages
def index_student_names() -> None:
    """File every held student's name in the name index schools search by (once, after an
    upgrade from a version without it); each name decrypted is logged."""
    app = open_registry()
    try:
        indexed = app.index_student_names(actor=cli_actor())
    finally:
        app.close()
    click.echo(f"{indexed} student name(s) filed in the name index.")


# --- training groups, returns and teachers' practice ---------------------------------------


def parse_day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    """Parse an optional YYYY-MM-DD date, explaining the format when it is wrong."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date written as YYYY-MM-DD") from None


@contextlib.contextmanager
def read_side(app: Registry) -> Iterator[Database]:
    """A snapshot of the read models, caught up with everything in the log now."""
    with read_models(app).reading(at_least=app.max_position()) as db:
        yield db


@main.command()
@click.option("--on", callback=parse_day, help="Effective date YYYY-MM-DD (default: today).")
@refusals_as_messages
def groups(on: date | None) -> None:
    """Show training groups' formation toward the plan's 10: stage, members, what each lacks."""
    day = on or today()
    with read_side(open_registry()) as db:
        progress = group_progress(db, day)
    formed = sum(p["formed"] for p in progress)
    click.echo(
        f"Training groups formed on {day}: {formed} "
        f"(2020: {GROUPS_2020}, 2025 target: {GROUPS_TARGET_2025})"
    )
    for p in progress:
        since = p[STAGE_SINCE[p["stage_on"]]]
        line = (
            f"  {p['id']}  {p['name']}  {p['stage_on']} since {since}  members: {p['members_on']}"
        )
        if p["lacks"]:
            lacks = ", ".join(f"{kind}: {n}" for kind, n in p["lacks"].items() if n)
            line += f"  lacks {lacks}" if lacks else "  ready to charter"
        click.echo(printable(line))


STAGE_SINCE = {
    "proposed": "proposed_on",
    "chartered": "chartered_on",
    "operating": "operating_from",
    "dissolved": "dissolved_on",
}


@main.command()
@click.argument("year", type=int)
@click.option(
    "--by",
    callback=parse_day,
    help="Sum the figures as recorded by this day YYYY-MM-DD (the deadline gives 'as filed').",
)
@refusals_as_messages
def returns(year: int, by: date | None) -> None:
    """Show the province sums of one year's annual statistics returns."""
    with read_side(open_registry()) as db:
        totals = return_totals(db, year, by=by)
    view = f"as recorded by {by}" if by else "as corrected since filing"
    click.echo(
        f"Annual returns {year}, {view}: {totals['returns']} filed, {totals['late']} late, "
        f"{totals['corrected']} corrected"
    )
    for name, value in totals["sums"].items():
        click.echo(f"  {name}: {value}")
    for name in ("senior_share", "employment_rate"):
        percent = totals[name]
        click.echo(f"  {name}: {'n/a' if percent is None else f'{percent}%'}")


@main.command()
@click.argument("school_id", callback=record_id)
@click.argument("staff_number")
@click.option("--on", callback=parse_day, help="Date YYYY-MM-DD to judge on (default: today).")
@refusals_as_messages
def practice(school_id: UUID, staff_number: str, on: date | None) -> None:
    """Show a teacher's enterprise practice and the 6-months-in-5-years rule on a date."""
    app = open_registry()
    teacher = app.get(TeacherPractice, app.teacher_id(school_id, staff_number))
    day = on or today()
    for period in teacher.periods:
        mark = "  (cancelled)" if period.cancelled else ""
        click.echo(
            f"  {period.number}. {period.starts_on} to {period.ends_on}  "
            f"agreement {period.agreement_id}{mark}"
        )
    days, short = teacher.practice_days_on(day), teacher.shortfall_on(day)
    verdict = "meets the rule" if not short else f"short by {short} days"
    click.echo(f"Practice days in the 5 years to {day}: {days} of {REQUIRED_DAYS}: {verdict}")


# --- read models ----------------------------------------------------------------------------


@main.command()
@refusals_as_messages
def project() -> None:
    """Catch the read models up with the event store (they also catch up after each command)."""
    app = open_registry()
    models = read_models(app)
    with _progress_bar(app, "Catching up") as advance:
        position = models.catch_up(progress=advance)
    click.echo(f"Read models at position {position}: {models.path(models.live())}")


@main.command()
@click.option(
    "--accept-unverified",
    is_flag=True,
    help="Rebuild even from a log that fails verification (recorded with the outcome).",
)
@refusals_as_messages
def rebuild(accept_unverified: bool) -> None:
    """Build fresh read models from the whole log in a new file, then switch to it.

    The log is verified first (docs/ledger.md): a log that no longer matches its ledger is
    refused, so a rebuild never silently adopts an altered event. Other processes keep
    reading the old file until they next open a connection; the old file is removed by the
    rebuild after next.
    """
    app = open_registry(check=not accept_unverified)
    outcome = _verify(app)
    if not outcome.ok:
        assert outcome.problem is not None
        if not accept_unverified:
            raise DamagedLog(
                f"Not rebuilt: {outcome.problem.message}. Restore the log from a backup, or"
                " rebuild from it as it is with --accept-unverified (which is recorded)."
            )
        app.side_stores.checkpoints().record_verification(
            Verification(
                ledger.now_text(),
                outcome.events,
                outcome.latest,
                False,
                outcome.problem.position,
                outcome.problem.record_id,
                outcome.problem.version,
                f"rebuilt anyway (--accept-unverified): {outcome.problem.message}",
            )
        )
        click.echo(f"Rebuilding from a log that fails verification: {outcome.problem.message}.")
    models = read_models(app)
    with _progress_bar(app, "Rebuilding") as advance:
        generation = models.rebuild(progress=advance)
    click.echo(f"Read models rebuilt at position {models.position()}: {models.path(generation)}")


@main.command()
@click.option(
    "--at",
    type=click.IntRange(min=0),
    help="Compare as the read models stood at this log position (default: where they are now).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--rows", default=3, show_default=True, type=click.IntRange(min=1), help="Rows shown per view."
)
@refusals_as_messages
def replay(at: int | None, as_json: bool, rows: int) -> None:
    """Build the read models afresh from the log in a scratch file and compare them with the
    live ones at the same position, table by table, row by row; the live file is only read.

    Prints the first differing rows of each view, or that all are identical. Exit status 0
    when identical, 1 when something differs or the replay is refused.
    """
    from projections.engine.replay import ReplayImpossible, described, refusal, replay

    app = Registry(Settings.from_env())
    models = read_models(app)
    length = app.max_position() if at is None else at
    try:
        with click.progressbar(length=length, label="Replaying", file=sys.stderr) as bar:
            found = replay(models, at, progress=lambda p: bar.update(min(p, length) - bar.pos))
    except ReplayImpossible as refused:
        raise click.ClickException(refusal(refused)) from None
    if as_json:
        click.echo(json_text(found.as_json(rows)))
    else:
        for line in described(found, rows):
            click.echo(printable(line))
    if not found.identical:
        sys.exit(1)


@contextlib.contextmanager
def _progress_bar(app: Registry, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar over log positions (click's: no extra dependency, quiet when piped)."""
    length = app.max_position()
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        shown = 0

        def advance(position: int) -> None:
            nonlocal shown
            position = min(position, length)
            if position > shown:
                bar.update(position - shown)
                shown = position

        yield advance


# --- accounts and the web server -------------------------------------------------------------


def show_demo_accounts(app: Registry) -> None:
    from registry.demo.accounts import DEMO_PASSWORD, USERNAMES

    found = [
        app.get(Account, account_id_for(name))
        for name in USERNAMES
        if app.exists(account_id_for(name))
    ]
    if not found:
        click.echo("No demo accounts here: `registry demo --force` adds them.")
        return
    click.echo(f"Demo accounts (password for each: {DEMO_PASSWORD}):")
    for account in found:
        bound = ""
        if account.prefecture:
            bound = PREFECTURES[account.prefecture]
        elif account.party_id and app.exists(account.party_id):
            party: School | Enterprise = (
                app.get(School, account.party_id)
                if account.role is Role.SCHOOL_USER
                else app.get(Enterprise, account.party_id)
            )
            bound = party.name
        click.echo(printable(f"  {account.username:<11} {account.role.value:<19} {bound}"))


CLI_ACTOR = Actor("system:cli", Role.SYSTEM)


@main.group()
def user() -> None:
    """Manage accounts from the command line (the first administrator, lost passwords)."""


@user.command("add")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="The holder's name as pages show it.")
@click.option(
    "--role",
    type=click.Choice(sorted(r.value for r in Role if r is not Role.SYSTEM)),
    default=Role.PROVINCE_ADMIN.value,
    show_default=True,
    help="The account's role.",
)
@click.option("--party", help="USCC or record id of the school, enterprise or group acted for.")
@click.option("--prefecture", help="Prefecture code a prefecture officer sees, e.g. 510100.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="The password (asked for when not given; at least 10 characters).",
)
@refusals_as_messages
def user_add(
    username: str,
    display_name: str,
    role: str,
    party: str | None,
    prefecture: str | None,
    password: str,
) -> None:
    """Add an active account with a password, e.g. the first province administrator."""
    app = open_registry()
    check_password(password, username)
    account_id = app.add_account(
        username=username,
        display_name=display_name,
        role=role,
        party_id=party_ref(party) if party else None,
        prefecture=prefecture,
        actor=CLI_ACTOR,
    )
    app.set_password(account_id, password=password, actor=CLI_ACTOR)
    click.echo(f"Account {username} ({role}) added; it can sign in now.")


@user.command("reset-link")
@click.argument("username")
@click.option(
    "--base-url",
    default="http://127.0.0.1:5000",
    show_default=True,
    help="The address users open the registry at.",
)
@refusals_as_messages
def user_reset_link(username: str, base_url: str) -> None:
    """Print a one-time link (valid 72 hours) for USERNAME to set a new password."""
    app = open_registry()
    token = app.issue_password_reset(account_id_for(username), actor=CLI_ACTOR)
    click.echo(f"{base_url.rstrip('/')}/reset/{token}")


def party_ref(value: str) -> UUID:
    """A party named by its USCC, or by its record id."""
    try:
        return UUID(value)
    except ValueError:
        return party_id_for(validate_uscc(value.strip()))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, help="Port to listen on.")
@click.option(
    "--workers", type=int, help="Worker processes (default: twice the CPUs, from 2 to 8)."
)
@click.option("--quiet", is_flag=True, help="Do not log each request.")
@refusals_as_messages
def serve(host: str, port: int, workers: int | None, quiet: bool) -> None:
    """Serve the web application under gunicorn (several worker processes)."""
    from web.config import WebConfig
    from web.i18n import compile_catalogs
    from web.server import serve as run

    compile_catalogs()
    config = WebConfig.from_env()
    app = open_registry()
    position = read_models(app).catch_up()
    app.close()
    click.echo(f"Read models at position {position}.")
    click.echo(f"Serving the registry at http://{host}:{port}/ (Ctrl-C stops it)")
    run(config, host=host, port=port, workers=workers, access_log=not quiet)


@main.command("import-side-stores")
@refusals_as_messages
def import_side_stores_command() -> None:
    """Move this host's SQLite keys, access log and password hashes into PostgreSQL.

    For a data directory made before these stores were shared: stop every node, run this once
    on the host that holds the files, then start the nodes. The files are deleted afterwards.
    """
    imported = import_side_stores(Settings.from_env())
    click.echo(
        f"Imported {imported.keys} students' keys, {imported.access_log_entries} access-log "
        f"entries and {imported.passwords} password hashes; the SQLite files are deleted."
    )


# --- the ledger (docs/ledger.md) ------------------------------------------------------------


def _ledger(app: Registry) -> tuple[Any, ledger.Checkpointer]:
    models = read_models(app)
    return models, ledger.Checkpointer(models, app.side_stores.checkpoints(), app.settings)


@main.group("ledger")
def ledger_commands() -> None:
    """The ledger: a Merkle tree over the log, signed checkpoints, and proofs."""


@ledger_commands.command("key")
@refusals_as_messages
def ledger_key() -> None:
    """Print the public key that verifies the registry's checkpoints (the verifier key)."""
    app = open_registry(check=False)
    click.echo(_ledger(app)[1].signer().verifier.text())


@ledger_commands.command("checkpoint")
@click.option("--size", type=int, help="The checkpoint kept for this tree size.")
@click.option("--cut", is_flag=True, help="Follow the log to its head and sign one now.")
@refusals_as_messages
def ledger_checkpoint(size: int | None, cut: bool) -> None:
    """Print the latest signed checkpoint (C2SP tlog-checkpoint in a signed note)."""
    app = open_registry(check=False)
    _, checkpointer = _ledger(app)
    store = app.side_stores.checkpoints()
    try:
        kept = checkpointer.cut() if cut else store.at(size) if size else store.latest()
    except ledger.InconsistentCheckpoint as error:
        raise DamagedLog(str(error)) from None
    if kept is None:
        raise click.ClickException(
            "No checkpoint of that size is kept." if size else "The log is empty: no checkpoint."
        )
    click.echo(kept.note, nl=False)


@ledger_commands.command("prove")
@click.argument("record_id", callback=record_id)
@click.argument("version", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for auditors' own tools.")
@refusals_as_messages
def ledger_prove(record_id: UUID, version: int, as_json: bool) -> None:
    """Prove that a record's event at VERSION is in the log the latest checkpoint signs."""
    app = open_registry(check=False)
    models, checkpointer = _ledger(app)
    kept = checkpointer.cut()
    with models.follower(ledger.NAME).reading() as db:
        tree = ledger.Tree(db)
        try:
            leaf = tree.leaf(str(record_id), version)
        except ledger.LeafNotFound as error:
            raise click.ClickException(str(error)) from None
        assert kept is not None
        proof = [base64.b64encode(p).decode() for p in tree.inclusion(leaf.index, kept.size)]
        leaf_bytes_ = leaf_bytes(app.recorder.select_notifications(leaf.position, 1)[0])
    answer: dict[str, Any] = {
        "record_id": leaf.record_id,
        "version": leaf.version,
        "position": leaf.position,
        "leaf_index": leaf.index,
        "leaf_bytes": base64.b64encode(leaf_bytes_).decode(),
        "leaf_hash": base64.b64encode(leaf.hash).decode(),
        "tree_size": kept.size,
        "inclusion_proof": proof,
        "checkpoint": kept.note,
    }
    if as_json:
        click.echo(json_text(answer))
        return
    click.echo(f"event {leaf.record_id} version {leaf.version} at position {leaf.position}")
    click.echo(f"leaf index {leaf.index} of {kept.size}, leaf hash {answer['leaf_hash']}")
    click.echo("inclusion proof (nearest the leaf first):")
    for step in proof:
        click.echo(f"  {step}")
    click.echo("against the checkpoint:")
    click.echo(kept.note, nl=False)


@ledger_commands.command("consistency")
@click.argument("old_size", type=int)
@click.argument("new_size", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for auditors' own tools.")
@refusals_as_messages
def ledger_consistency(old_size: int, new_size: int, as_json: bool) -> None:
    """Prove that the checkpoint of NEW_SIZE extends that of OLD_SIZE (RFC 9162 §2.1.4)."""
    app = open_registry(check=False)
    store = app.side_stores.checkpoints()
    old, new = store.at(old_size), store.at(new_size)
    missing = [str(s) for s, k in ((old_size, old), (new_size, new)) if k is None]
    if missing or old_size > new_size:
        raise click.ClickException(
            f"No checkpoint is kept of {' or '.join(missing)} events; `registry ledger"
            " checkpoint` shows the latest."
            if missing
            else "The old size must not be larger than the new one."
        )
    models, _ = _ledger(app)
    with models.follower(ledger.NAME).reading() as db:
        proof = ledger.Tree(db).consistency(old_size, new_size)
    steps = [base64.b64encode(p).decode() for p in proof]
    if as_json:
        click.echo(json_text({"old_size": old_size, "new_size": new_size, "proof": steps}))
        return
    click.echo(f"consistency proof from {old_size} to {new_size} events:")
    for step in steps:
        click.echo(f"  {step}")


@main.command()
@click.option(
    "--against",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A signed checkpoint kept outside the registry to check the log against.",
)
@click.option("--key", "key_text", help="The verifier key for --against (default: the registry's).")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@refusals_as_messages
def verify(against: Path | None, key_text: str | None, as_json: bool) -> None:
    """Check the log against its ledger and every signed checkpoint; name the first
    position whose event no longer matches (exit status 65)."""
    app = open_registry(check=False)
    outcome = _verify(app, against, key_text)
    if as_json:
        click.echo(json_text({"ok": outcome.ok, "events": outcome.events, **_problem(outcome)}))
    elif outcome.ok:
        click.echo(
            f"Verified: {outcome.events} events match their ledger; {outcome.checkpoints}"
            f" signed checkpoints check out (latest: {outcome.latest or 'none'})."
        )
    if not outcome.ok:
        assert outcome.problem is not None
        raise DamagedLog(f"Verification failed: {outcome.problem.message}.")


def _problem(outcome: ledger_verify.Outcome) -> dict[str, Any]:
    p = outcome.problem
    if p is None:
        return {}
    return {
        "kind": p.kind,
        "position": p.position,
        "record_id": p.record_id,
        "version": p.version,
        "message": p.message,
    }


def _verify(
    app: Registry, against: Path | None = None, key_text: str | None = None
) -> ledger_verify.Outcome:
    models, checkpointer = _ledger(app)
    store = app.side_stores.checkpoints()
    verifier = Verifier.parse(key_text) if key_text else checkpointer.signer().verifier
    given = None
    if against is not None:
        try:
            given = open_checkpoint(against.read_text(), verifier)
        except NoteError as error:
            raise click.ClickException(f"{against}: {error}") from None
    models.follower(ledger.NAME).follow()
    with _progress_bar(app, "Verifying") as advance, models.follower(ledger.NAME).reading() as db:
        outcome = ledger_verify.verify(
            ApplicationLog(app), ledger.Tree(db), store.all(), verifier, given, advance
        )
    p = outcome.problem
    store.record_verification(
        Verification(
            ledger.now_text(),
            outcome.events,
            outcome.latest,
            outcome.ok,
            p.position if p else None,
            p.record_id if p else None,
            p.version if p else None,
            p.message if p else None,
        )
    )
    return outcome


# --- backups (docs/operations.md) -----------------------------------------------------------


@main.command("backup")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@refusals_as_messages
def backup_command(directory: Path) -> None:
    """Write the log, the stores beside it, the ledger and the checkpoints into DIRECTORY as
    one consistent set, with a manifest."""
    try:
        manifest = backups.backup(Settings.from_env(), directory)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Backed up {manifest.events} events, {len(manifest.files)} files (latest signed"
        f" checkpoint: {manifest.checkpoint or 'none'}) into {directory}. The signing key is"
        " not in the set: keep its file (REGISTRY_LEDGER_KEY) apart."
    )


@main.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--accept-loss",
    is_flag=True,
    help="Restore a set older than the latest signed checkpoint (names the events lost).",
)
@refusals_as_messages
def restore_command(directory: Path, accept_loss: bool) -> None:
    """Check a set made by `registry backup` against its manifest and its ledger, then put
    it in place of this data directory's stores and re-apply every recorded erasure."""
    settings = Settings.from_env()
    if settings.uses_postgres:
        raise click.ClickException(
            "With a PostgreSQL event store, restore the database with pg_restore"
            " (docs/operations.md)."
        )
    try:
        manifest = backups.check(directory)
    except backups.BackupError as error:
        raise click.ClickException(f"Not restored: {error}.") from None
    with tempfile.TemporaryDirectory() as scratch:
        backups.install(directory, Path(scratch))
        scratch_settings = replace(
            settings, data_dir=Path(scratch), ledger_key=settings.ledger_key_path
        )
        checked = Registry(scratch_settings)
        try:
            outcome = _verify(checked)
        finally:
            checked.close()
    if not outcome.ok:
        assert outcome.problem is not None
        raise DamagedLog(f"Not restored: the set does not verify: {outcome.problem.message}.")
    lost = None
    if settings.checkpoints_path.exists():
        current = SQLiteCheckpoints(settings.checkpoints_path).latest()
        if current is not None and current.size > manifest.events:
            lost = (manifest.events + 1, current.size)
            if not accept_loss:
                raise click.ClickException(
                    f"Not restored: the set holds {manifest.events} events, but a checkpoint of"
                    f" {current.size} was signed since: positions {lost[0]}–{lost[1]} would be"
                    " lost. Restore a newer set, or accept the loss with --accept-loss."
                )
    backups.install(directory, settings.data_dir)
    app = open_registry(check=False)
    try:
        if lost is not None:
            app.side_stores.checkpoints().record_verification(
                Verification(
                    ledger.now_text(),
                    manifest.events,
                    manifest.checkpoint,
                    True,
                    None,
                    None,
                    None,
                    f"restored with --accept-loss: positions {lost[0]}–{lost[1]} lost",
                )
            )
        destroyed = app.reapply_erasures(actor=cli_actor())
        with _progress_bar(app, "Rebuilding") as advance:
            read_models(app).catch_up(progress=advance)
    finally:
        app.close()
    click.echo(
        f"Restored {manifest.events} events from {directory} (taken {manifest.created_at});"
        f" {len(destroyed)} erased student(s)' restored keys destroyed again."
        + (f" Positions {lost[0]}–{lost[1]} are lost." if lost else "")
    )
