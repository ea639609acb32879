"""The write path: the registry's commands beside bare eventsourcing and raw sqlite3.

Each side does the same logical work, one command per transaction: register N enterprises,
then for each propose an agreement and countersign it (3 events per enterprise, plus a few
schools). Read-model work is not included; the read side has its own benchmark.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from bench.report import Measurement, Report
from domain.actors import Actor, Role
from domain.uscc import with_check_character
from registry.config import Settings
from registry.facade import Registry

SCHOOLS = 20
ADMIN = Actor("bench", Role.SYSTEM)


class Side:
    """One way of doing the benchmark's work; ``step(i)`` is one enterprise's three events."""

    name = ""

    def step(self, i: int) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass


class RegistrySide(Side):
    name = "registry commands"

    def __init__(self, directory: Path) -> None:
        self.app = Registry(Settings(data_dir=directory))
        self.schools = [
            self.app.register_school(
                uscc=with_check_character(f"12510100MB{i:07d}"),
                name=f"学校{i}",
                kind="technician_college",
                prefecture="510100",
                established_on=date(2010, 1, 1),
                actor=ADMIN,
            )
            for i in range(SCHOOLS)
        ]

    def step(self, i: int) -> None:
        app = self.app
        enterprise = app.register_enterprise(
            uscc=with_check_character(f"91510100MA{i:07d}"),
            name=f"企业{i}",
            prefecture="510100",
            industry="装备制造",
            above_designated_size=True,
            ownership="private",
            actor=ADMIN,
        )
        school = self.schools[i % SCHOOLS]
        agreement = app.propose_agreement(
            school_id=school,
            enterprise_id=enterprise,
            title="协议",
            modes=["internship_base"],
            starts_on=date(2024, 1, 1),
            ends_on=date(2026, 12, 31),
            actor=Actor("bench", Role.SYSTEM, enterprise),
        )
        app.countersign_agreement(
            agreement, on=date(2023, 12, 20), actor=Actor("bench", Role.SYSTEM, school)
        )

    def close(self) -> None:
        self.app.close()


class BareEnterprise(Aggregate):
    """The same fields as the registry's events, with none of its checks or transcodings."""

    @event("Registered")
    def __init__(
        self,
        uscc: str,
        name: str,
        prefecture: str,
        industry: str,
        above_designated_size: bool,
        ownership: str,
        actor: dict[str, str | None],
    ) -> None:
        self.uscc = uscc
        self.name = name


class BareAgreement(Aggregate):
    @event("Proposed")
    def __init__(
        self,
        agreement_id: None,
        school_id: UUID,
        enterprise_id: UUID,
        proposed_by: str,
        title: str,
        modes: list[str],
        starts_on: str,
        ends_on: str,
        majors: list[str],
        actor: dict[str, str | None],
    ) -> None:
        self.status = "proposed"

    @event("Countersigned")
    def countersign(self, on: str, actor: dict[str, str | None]) -> None:
        self.status = "countersigned"


def bare_actor(party: UUID | None) -> dict[str, str | None]:
    return {"user_id": "bench", "role": "system", "party_id": party.hex if party else None}


class BareSide(Side):
    name = "bare eventsourcing"

    def __init__(self, directory: Path) -> None:
        self.app: Application[UUID] = Application(
            env={
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(directory / "bare.sqlite3"),
            }
        )
        self.schools = [uuid4() for _ in range(SCHOOLS)]

    def step(self, i: int) -> None:
        enterprise = BareEnterprise(
            with_check_character(f"91510100MA{i:07d}"),
            f"企业{i}",
            "510100",
            "装备制造",
            True,
            "private",
            bare_actor(None),
        )
        self.app.save(enterprise)
        school = self.schools[i % SCHOOLS]
        agreement = BareAgreement(
            None,
            school,
            enterprise.id,
            "enterprise",
            "协议",
            ["internship_base"],
            "2024-01-01",
            "2026-12-31",
            [],
            bare_actor(enterprise.id),
        )
        self.app.save(agreement)
        loaded: BareAgreement = self.app.repository.get(agreement.id)
        loaded.countersign("2023-12-20", bare_actor(school))
        self.app.save(loaded)

    def close(self) -> None:
        self.app.close()


class RawSide(Side):
    name = "raw sqlite3"

    def __init__(self, directory: Path) -> None:
        self.conn = sqlite3.connect(directory / "raw.sqlite3", isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, originator TEXT, version INTEGER, "
            "topic TEXT, state BLOB, UNIQUE (originator, version))"
        )

    def insert(self, originator: str, version: int, topic: str, state: bytes) -> None:
        self.conn.execute("BEGIN")
        self.conn.execute(
            "INSERT INTO events (originator, version, topic, state) VALUES (?, ?, ?, ?)",
            (originator, version, topic, state),
        )
        self.conn.execute("COMMIT")

    def step(self, i: int) -> None:
        text = f'{{"uscc": "91510100MA{i:07d}X", "name": "企业{i}", "industry": "装备制造"}}'
        self.insert(uuid4().hex, 1, "Enterprise.Registered", text.encode())
        agreement = uuid4().hex
        self.insert(agreement, 1, "Agreement.Proposed", b'{"modes": ["internship_base"]}')
        self.insert(agreement, 2, "Agreement.Countersigned", b"{}")

    def close(self) -> None:
        self.conn.close()


def interleaved(sides: list[Side], n: int, chunk: int = 50) -> list[Measurement]:
    """Run the sides in alternating chunks so that disk and CPU drift hit all alike."""
    elapsed = [0.0] * len(sides)
    for first in range(0, n, chunk):
        for index, side in enumerate(sides):
            start = time.perf_counter()
            for i in range(first, min(first + chunk, n)):
                side.step(i)
            elapsed[index] += time.perf_counter() - start
    return [
        Measurement(side.name, 3 * n, seconds) for side, seconds in zip(sides, elapsed, strict=True)
    ]


def run(n: int) -> Report:
    report = Report(f"Write path: {n} enterprises, {n} agreements proposed and countersigned")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        makers = {"registry": RegistrySide, "bare": BareSide, "raw": RawSide}
        sides: list[Side] = []
        for name, make in makers.items():
            (root / name).mkdir()
            sides.append(make(root / name))
        for side in sides:  # warm up files and caches before measuring
            for i in range(n, n + 20):
                side.step(i)
        registry, bare, raw = interleaved(sides, n)
        for side in sides:
            side.close()
    report.compare(registry, bare, goal=0.80)
    report.compare(registry, raw, goal=None)
    report.compare(bare, raw, goal=None)
    return report
