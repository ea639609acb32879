"""Every event the domain defines reads as words in the audit trail, in both languages.

The events are enumerated from the code (every aggregate's event classes in ``domain/``),
not from what the demo records. Each gets a sample of its fields by their types, goes
through the audit view's own reading of an event (``projections.audit.changes_of``), is
described by ``web.trail`` and rendered by the audit page's and the record pages' templates;
the visible text must hold no class name, no raw field name or code, no full id, no
``None`` and no dict or list repr. Corrections are rendered for every attribute their
record can correct, as before → after.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from itertools import count
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.domain import AggregateCreated, DomainEvent
from flask import Flask, render_template_string
from flask_babel import force_locale

import domain
from projections.audit import changes_of
from projections.engine.events import Recorded, SealedText, plain_value
from registry.config import Settings
from tests.web.conftest import web_app
from web import trail, trail_values
from web.config import WebConfig
from web.reads import read

ENVELOPE = {"self", "originator_id", "originator_version", "timestamp", "originator_topic"}
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
REPR = re.compile(r"[{\[]['\"]|['\"][}\]]|\{\}|\[\]|': |\bTrue\b|\bFalse\b|Decimal\(")
CAMEL = re.compile(r"\b[A-Z][a-z]+[A-Z][A-Za-z]*\b")


def aggregates() -> list[type]:
    found = []
    for info in pkgutil.iter_modules(domain.__path__):
        module = importlib.import_module(f"domain.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and any(
                isinstance(v, type) and issubclass(v, AggregateCreated) and k != "Created"
                for k, v in vars(cls).items()
            ):
                found.append(cls)
    return found


def events_of(aggregate: type) -> list[tuple[str, type]]:
    return [
        (name, member)
        for name, member in vars(aggregate).items()
        if inspect.isclass(member)
        and issubclass(member, DomainEvent)
        and name not in ("Event", "Created", "Snapshot")
    ]


EVENTS = [
    (aggregate, name, cls) for aggregate in aggregates() for name, cls in events_of(aggregate)
]


def fields_of(cls: type) -> dict[str, str]:
    parameters = inspect.signature(cls.__init__).parameters  # type: ignore[misc]
    return {
        name: str(p.annotation)
        for name, p in parameters.items()
        if name not in ENVELOPE and name != "actor"
    }


def sample(kind: str, name: str, annotation: str, second: bool = False) -> Any:
    """A value of the field's type; for a coded field, a key of its vocabulary."""
    show = trail_values.shown_by(kind, name)
    if isinstance(show, trail_values.Coded):
        keys = list(show.vocabulary)
        key = keys[-1] if second else keys[0]
        return [str(key)] if show.many else str(key)
    if "Sealed" in annotation:
        return SealedText("c2VhbGVk")
    if "UUID" in annotation:
        return [str(uuid4()), str(uuid4())] if "list" in annotation else str(uuid4())
    if "date" in annotation:
        return (date(2026, 3, 2) if second else date(2025, 11, 1)).isoformat()
    if "Decimal" in annotation:
        return str(Decimal("23456.50") if second else Decimal("12345.60"))
    if "bool" in annotation:
        return not second
    if "int" in annotation and "dict" not in annotation:
        return (2024 if name in ("year", "entry_year") else 3) + second
    if name == "registration":
        return {
            "prefecture": "510100" if second else "510700",
            "industry": "装备制造",
            "above_designated_size": not second,
            "ownership": "private",
        }
    if "dict" in annotation:
        from domain.annual_return import FIGURES

        return {figure: (600 if second else 494) for figure in FIGURES}
    if "list" in annotation:
        return ["机电一体化", "数控加工"]
    return "第二个示例" if second else "示例文字"


class Visible(HTMLParser):
    """The text a person reads (links' addresses are not read, their words are)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append(data.strip())


def visible(html: str) -> str:
    parser = Visible()
    parser.feed(html)
    return " | ".join(parser.texts)


positions = count(1)


def recorded(
    aggregate: str, name: str, cls: type, own: str, version: int, fields: dict[str, Any]
) -> Recorded:
    topic = f"{cls.__module__}:{cls.__qualname__}"
    return Recorded(
        next(positions),
        topic,
        own,
        version,
        "2025-11-01T02:03:04.000000+00:00",
        {"user_id": "zhangsan", "role": "province_admin", "party_id": None},
        {k: plain_value(v) if not isinstance(v, SealedText) else v for k, v in fields.items()},
        [],
    )


def rows_of(aggregate: type, name: str, cls: type) -> list[dict[str, Any]]:
    """The audit rows the event makes: a correction once per attribute it may correct."""
    kind, own = aggregate.__name__, str(uuid4())
    creation = next(c for _, c in events_of(aggregate) if issubclass(c, AggregateCreated))
    attributes = {
        field: sample(kind, field, annotation) for field, annotation in fields_of(creation).items()
    }
    record = {"attributes": json.dumps(attributes), "parties": "[]"}
    fields = {f: sample(kind, f, a, second=True) for f, a in fields_of(cls).items()}
    variants = [fields]
    if "field" in fields:
        correctable = getattr(aggregate, "CORRECTABLE", None) or attributes
        variants = [
            {
                **fields,
                "field": field,
                "value": sample(kind, field, fields_of(creation).get(field, "str"), True),
            }
            for field in correctable
        ]
    if "changes" in fields:
        fields["changes"] = {
            f: sample(kind, f, a, second=True)
            for f, a in fields_of(creation).items()
            if f not in ("uscc", "name")
        }
    version = 1 if issubclass(cls, AggregateCreated) else 2
    rows = []
    for variant in variants:
        event = recorded(kind, name, cls, own, version, variant)
        changes, _ = changes_of(event, record if version > 1 else None)
        rows.append(
            {
                "position": event.position,
                "recorded_at": event.timestamp,
                "actor": "zhangsan",
                "role": "province_admin",
                "acting_for": None,
                "aggregate_id": own,
                "aggregate_type": kind,
                "version": version,
                "event": name,
                "changes": json.loads(json.dumps(changes)),
            }
        )
    return rows


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One application for the module: each test only renders, over an empty store."""
    data = tmp_path_factory.mktemp("trail") / "var"
    with web_app(WebConfig(settings=Settings(data_dir=data), secret_key="k" * 48)) as built:
        yield built


PAGES = {
    "audit": '{% import "audit/_entries.html" as t %}{{ t.rows(entries, {}) }}',
    "record page": '{% import "_timeline.html" as t %}{{ t.timeline(rows) }}',
}


def test_every_domain_event_class_is_enumerated() -> None:
    # the code defines far more events than the demo records; a few that must be here
    names = {(a.__name__, n) for a, n, _ in EVENTS}
    assert {("Account", "RoleGranted"), ("InsurancePolicy", "Renewed")} <= names
    assert ("Placement", "ClaimFiled") in names and len(names) >= 78


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
@pytest.mark.parametrize(
    ("aggregate", "name", "cls"), EVENTS, ids=[f"{a.__name__}.{n}" for a, n, _ in EVENTS]
)
def test_every_event_reads_as_words_in_the_trail(
    app: Flask, locale: str, aggregate: type, name: str, cls: type
) -> None:
    rows = rows_of(aggregate, name, cls)
    raw = set(fields_of(cls)) | {f for row in rows for f, _, _ in row["changes"]}
    codes = {
        str(value)
        for row in rows
        for _, _, value in row["changes"]
        for value in (value if isinstance(value, list) else [value])
        if isinstance(value, str) and re.fullmatch(r"[a-z_]+|\d{6}", value)
    } | {"province_admin"}
    with app.test_request_context(), force_locale(locale):
        with read() as db:
            entries = trail.described(db, rows, trail_links=True)
        for page, template in PAGES.items():
            text = visible(render_template_string(template, entries=entries, rows=rows))
            where = f"{aggregate.__name__}.{name} on the {page} in {locale}: {text}"
            assert not UUID_TEXT.search(text), where
            assert "None" not in text and not REPR.search(text), where
            assert not CAMEL.search(text), where
            words = set(re.findall(r"[A-Za-z_]+|\d{6}", text))
            # in English a one-word name is its own label ("School", "Registered"), a
            # one-word code its own word ("enterprise"); in Chinese none of them may show
            if locale == "en":
                keys = {key for key in raw | codes if "_" in key or key.isdigit()}
            else:
                keys = raw | codes | {name, aggregate.__name__}
            assert not (words & keys), where
        # a correction reads as before → after (personal data: that it changed, not what)
        personal = trail.personal_data()
        if {"field", "changes"} & set(fields_of(cls)) or (aggregate.__name__, name) == (
            "AnnualReturn",
            "Corrected",
        ):
            assert all(
                any(c.before is not None or c.after[0].text == personal for c in entry.changes)
                for entry in entries
            ), entries


def test_the_registrys_own_actors_are_named_not_shown_as_codes(app: Flask) -> None:
    with app.test_request_context(), force_locale("zh_Hans"):
        assert trail.actor_name("system:demo", {}) == "演示数据导入"
        assert trail.actor_name("system:cli:root", {}) == "命令行（root）"
        assert trail.actor_name("system:something-new", {}) == "系统"
        assert trail.actor_name("wangmin", {"wangmin": "王敏"}) == "王敏"
