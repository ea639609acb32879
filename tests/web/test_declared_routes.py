"""A page module declares its routes: building a record's page or a creation form adds no
route until the module registers it on its blueprint."""

from __future__ import annotations

from flask import Blueprint, Flask
from marshmallow import Schema

from domain.actors import Role
from web.actions import Creation, RecordPage


def _rules(blueprint: Blueprint) -> list[str]:
    app = Flask(__name__)
    app.register_blueprint(blueprint)
    return sorted(str(rule) for rule in app.url_map.iter_rules() if rule.endpoint != "static")


def test_building_a_page_adds_no_route_and_registering_adds_its_routes():
    built, registered = Blueprint("built", __name__), Blueprint("registered", __name__)
    for blueprint in (built, registered):
        page = RecordPage("show.html", lambda _id: None, [])
        creation = Creation(
            "/new", "new", "New", Schema, lambda _data: None, "Done", "x", (Role.AUDITOR,)
        )  # type: ignore[arg-type, return-value]
        if blueprint is registered:
            page.register(blueprint)
            creation.register(blueprint)
    assert _rules(built) == []
    assert _rules(registered) == ["/<uuid:record_id>", "/<uuid:record_id>/<name>", "/new"]
