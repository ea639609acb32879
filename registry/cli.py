"""The ``registry`` command: the composition root that wires the layers together."""

from __future__ import annotations

import contextlib
import functools
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from datetime import date
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
from projections import attach, read_models
from projections.groups import group_progress
from projections.returns import return_totals
from registry.clock import local_time, today
from registry.config import ConfigurationError, Settings
from registry.demo import load_demo
from registry.errors import CorruptEvent
from registry.facade import Registry
from registry.history import aggregate_history
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


def open_registry() -> Registry:
    """The application, with the read models catching up after every command it saves."""
    app = Registry(Settings.from_env())
    attach(app)
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
@refusals_as_messages
def rebuild() -> None:
    """Build fresh read models from the whole log in a new file, then switch to it.

    Other processes keep reading the old file until they next open a connection; the old
    file is removed by the rebuild after next.
    """
    app = open_registry()
    models = read_models(app)
    with _progress_bar(app, "Rebuilding") as advance:
        generation = models.rebuild(progress=advance)
    click.echo(f"Read models rebuilt at position {models.position()}: {models.path(generation)}")


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
