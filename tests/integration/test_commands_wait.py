"""Commands of several processes at once each return with their own events in the read models.

Real processes (spawned), each with its own application attached to the same read-model
file, as several server workers would be: one catches up while the others wait for the
position, and no command returns before the file holds what it saved.
"""

from __future__ import annotations

import multiprocessing
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from domain.actors import Actor, Role
from projections import attach, read_models
from projections.agreement_queries import count_agreements
from registry.config import Settings
from registry.facade import Registry
from tests.factories import registered_enterprise, registered_school
from tests.readmodels import dump, from_scratch

SPAWN = multiprocessing.get_context("spawn")
PROCESSES = 3
EACH = 15


def propose_and_check(data_dir: str, school: str, enterprise: str, barrier: Any, out: Any) -> None:
    """Propose ``EACH`` agreements; after each save, note whether the file already held it."""
    app = Registry(Settings(data_dir=Path(data_dir)))
    attach(app)
    models = read_models(app)
    seen: list[tuple[int, int]] = []

    def file_position(saved: int) -> None:
        # runs after attach's hook, before the command returns
        seen.append((saved, models.position()))

    app.on_saved(file_position)
    barrier.wait()
    for n in range(EACH):
        app.propose_agreement(
            school_id=UUID(school),
            enterprise_id=UUID(enterprise),
            title=f"协议 {n}",
            modes=["order_class"],
            starts_on=date(2026, 9, 1),
            ends_on=date(2029, 8, 31),
            actor=Actor("someone", Role.ENTERPRISE_USER, UUID(enterprise)),
        )
    app.close()
    out.put(seen)


def test_commands_of_processes_at_once_return_only_once_projected(tmp_path: Path) -> None:
    # construct: a school and an enterprise, read models at the head
    data_dir = tmp_path / "var"
    app = Registry(Settings(data_dir=data_dir))
    models = attach(app)
    school, enterprise = registered_school(app), registered_enterprise(app)
    # evolve: three processes propose at the same time
    barrier, out = SPAWN.Barrier(PROCESSES), SPAWN.Queue()
    processes = [
        SPAWN.Process(
            target=propose_and_check,
            args=(str(data_dir), str(school), str(enterprise), barrier, out),
        )
        for _ in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    seen = [pair for _ in processes for pair in out.get(timeout=120)]
    for process in processes:
        process.join(60)
    # query: every save found the file at or past its own position, each row written once
    assert len(seen) == PROCESSES * EACH
    assert [(saved, at) for saved, at in seen if at < saved] == []
    with models.reading() as db:
        assert sum(count_agreements(db, "status").values()) == PROCESSES * EACH
        assert dump(db.conn) == from_scratch(app)
    app.close()
