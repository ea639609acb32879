"""Sealed personal data reaches views as ``SealedText`` and the audit shows none of it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from uuid import UUID

import orjson
from sqlite_utils import Database

from projections import audit
from projections.engine.events import Decoder, Recorded, SealedText
from projections.engine.projector import prepare
from projections.engine.rows import Rows

TOPIC = "domain.school:School.Registered"  # any real event class: only its topic is needed
SUBJECT = UUID(int=42)


@dataclass(frozen=True)
class Stored:
    id: int
    topic: str
    state: bytes
    originator_id: UUID = SUBJECT
    originator_version: int = 1


class PlainMapper:
    cipher = None
    compressor = None


def stored(position: int, version: int, **fields: object) -> Stored:
    state = {
        "timestamp": {"_type_": "datetime_iso", "_data_": "2026-01-02T03:04:05.000006+00:00"},
        "actor": {"_type_": "actor", "_data_": {"user_id": "u", "role": "school_user"}},
        **fields,
    }
    return Stored(position, TOPIC, orjson.dumps(state), originator_version=version)


def sealed(text: str) -> dict[str, str]:
    return {"_type_": "sealed", "_data_": text}


def test_a_sealed_value_is_decoded_as_sealed_text() -> None:
    recorded = Decoder(PlainMapper())(stored(1, 1, name=sealed("v1:c2VjcmV0"), kind="x"))
    assert isinstance(recorded["name"], SealedText) and recorded["name"] == "v1:c2VjcmV0"
    assert not isinstance(recorded["kind"], SealedText)


def test_the_audit_shows_that_personal_data_changed_and_stores_no_ciphertext() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    prepare(Database(conn, execute_plugins=False), [audit.view])
    rows, decode = Rows(conn), Decoder(PlainMapper())
    events: list[Recorded] = [
        decode(stored(1, 1, name=sealed("v1:b2xk"), grade="2024")),
        decode(stored(2, 2, field="name", value=sealed("v1:bmV3"), reason="改名")),
        decode(stored(3, 3, changes={"id_number": sealed("v1:aWQ="), "grade": "2025"})),
    ]
    for event in events:
        audit.recorded(event, rows)
    rows.flush()
    changes = [orjson.loads(c) for (c,) in conn.execute("SELECT changes FROM audit_events")]
    assert changes == [
        [["name", None, audit.PERSONAL_DATA], ["grade", None, "2024"]],
        [["name", audit.PERSONAL_DATA, audit.PERSONAL_DATA], ["reason", None, "改名"]],
        [["id_number", None, audit.PERSONAL_DATA], ["grade", "2024", "2025"]],
    ]
    everything = "".join(conn.iterdump())
    assert "b2xk" not in everything and "bmV3" not in everything and "aWQ=" not in everything
