"""The ``registry`` command: the composition root that wires the layers together."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from uuid import UUID

import click

from domain.errors import DomainError
from projections import attach, read_models
from registry.config import ConfigurationError, Settings
from registry.demo import load_demo
from registry.history import aggregate_history
from registry.messages import describe
from registry.registry import Registry
from registry.stats import log_stats

F = TypeVar("F", bound=Callable[..., Any])


def refusals_as_messages(command: F) -> F:
    """Turn domain and configuration errors into one clear line and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DomainError as error:
            raise click.ClickException(describe(error)) from None
        except ConfigurationError as error:
            raise click.ClickException(str(error)) from None

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
            return
        if not force:
            raise click.ClickException(
                "The event store is not empty. Use --force to add the demo's missing records, "
                "or point REGISTRY_DATA_DIR at an empty directory."
            )
    load_demo(app, progress=lambda title: click.echo(f"loading {title}…"))
    click.echo(f"Demo loaded: the log now ends at position {app.max_position()}.")


@main.command()
@click.argument("record_id", callback=record_id)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
@refusals_as_messages
def history(record_id: UUID, as_json: bool) -> None:
    """Show a record's events in order: version, recorded at, actor, event, fields."""
    for entry in aggregate_history(open_registry(), record_id):
        if as_json:
            click.echo(json.dumps(entry.__dict__, ensure_ascii=False, sort_keys=True))
            continue
        fields = ", ".join(f"{k}={v}" for k, v in entry.fields.items())
        click.echo(
            f"{entry.version:>4}  {entry.recorded_at}  {entry.actor} ({entry.role})  "
            f"{entry.event}  {fields}"
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
