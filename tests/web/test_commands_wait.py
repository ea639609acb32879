"""A form's redirect happens only once the read models include the command's own events.

Several workers (here: two applications on the same files) serve one registry; the page a
redirect leads to may be served by a worker that did not run the command. The read-model
file itself must already hold the change when the redirect is sent, whoever reads it next.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from domain.actors import Actor, Role
from projections import read_models
from projections.engine.read_models import ReadModels
from registry.facade import Registry
from tests.web.conftest import PASSWORD, World, location_id, post, sign_in, web_app
from web.config import WebConfig

FORM = {
    "title": "现代学徒制合作协议",
    "modes": "apprenticeship",
    "starts_on": "2026-09-01",
    "ends_on": "2029-08-31",
}


@pytest.fixture
def other_worker(config: WebConfig) -> Iterator[Flask]:
    """A second application on the same data directory, as another server worker."""
    with web_app(config) as built:
        yield built


def rows_as_they_are(models: ReadModels, agreement: str) -> tuple[int, int]:
    """The live file's position and whether it holds ``agreement``, without catching up."""
    with models.reading() as db:
        found = db.execute("SELECT count(*) FROM agreements WHERE id = ?", [agreement]).fetchone()
        return models.position(), found[0]


def test_the_read_models_hold_a_proposal_before_its_form_redirects(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    # construct: the enterprise opens its home page (the read models are at the log's head)
    sign_in(client, "enterprise", PASSWORD)
    assert client.get("/enterprise/").status_code == 200
    # evolve: the enterprise proposes through the form
    response = post(client, "/enterprise/partnerships/new", {**FORM, "school": str(world.school)})
    assert response.status_code == 302
    agreement = location_id(response)
    # query: before anyone reads a page, the file already holds the row and the position
    position, found = rows_as_they_are(read_models(registry), str(agreement))
    assert found == 1
    assert position == registry.max_position()


def test_another_worker_shows_the_proposal_without_catching_up(
    client: FlaskClient, registry: Registry, world: World, other_worker: Flask
) -> None:
    sign_in(client, "enterprise", PASSWORD)
    assert client.get("/enterprise/").status_code == 200
    response = post(client, "/enterprise/partnerships/new", {**FORM, "school": str(world.school)})
    agreement = location_id(response)
    # the other worker's own catch-up is disabled: it can only show what the file holds
    others: ReadModels = other_worker.extensions["read_models"]
    caught_up: list[int | None] = []

    def refuse(until: int | None = None, progress: object = None) -> int:
        caught_up.append(until)
        return 0

    others.catch_up = refuse  # type: ignore[method-assign]
    page = other_worker.test_client()
    page.set_cookie("registry_session", client.get_cookie("registry_session").value)  # type: ignore[union-attr]
    shown = page.get(f"/agreements/{agreement}")
    assert shown.status_code == 200
    assert "现代学徒制合作协议" in shown.get_data(as_text=True)
    assert caught_up == []


def test_commands_of_two_workers_each_return_with_their_own_events_projected(
    registry: Registry, world: World, other_worker: Flask
) -> None:
    other: Registry = other_worker.extensions["registry"]
    models = read_models(registry)
    for turn in range(6):
        # the two workers take turns; each command's position is in the file when it returns
        app = (registry, other)[turn % 2]
        agreement = app.propose_agreement(
            school_id=world.school,
            enterprise_id=world.enterprise,
            title=f"协议 {turn}",
            modes=["order_class"],
            starts_on=date(2026, 9, 1),
            ends_on=date(2029, 8, 31),
            actor=Actor("someone", Role.ENTERPRISE_USER, world.enterprise),
        )
        position, found = rows_as_they_are(models, str(agreement))
        assert (found, position) == (1, app.max_position())
