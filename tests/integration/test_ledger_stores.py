"""The ledger on both stores: the same rows give the same roots; nodes share one key and
never keep two checkpoints of one size; an erasure changes no leaf."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import psycopg
import pytest

from projections import attach, read_models
from projections.engine.projector import ApplicationLog
from projections.ledger import NAME, Checkpointer, Tree
from projections.ledger_verify import verify
from registry.config import Settings
from registry.facade import Registry
from registry.ledger.notes import open_checkpoint
from tests.factories import ADMIN, registered_enterprise
from tests.integration.student_builders import add_school, add_student


def roots(app: Registry) -> tuple[int, bytes]:
    models = read_models(app)
    models.catch_up()
    with models.follower(NAME).reading() as db:
        tree = Tree(db)
        return tree.size(), tree.root(tree.size())


@pytest.mark.postgres
def test_the_same_stored_rows_give_the_same_roots_on_sqlite_and_postgresql(
    postgres_url: str, tmp_path: Path
) -> None:
    on_postgres = Registry(Settings(data_dir=tmp_path / "pg", event_store=postgres_url))
    for serial in range(1, 6):
        registered_enterprise(on_postgres, serial)
    table = on_postgres.recorder.events_table_name
    with psycopg.connect(postgres_url) as conn:
        rows = conn.execute(
            "SELECT notification_id, originator_id, originator_version, topic, state"
            f" FROM {table} ORDER BY notification_id"
        ).fetchall()
    on_sqlite = Registry(Settings(data_dir=tmp_path / "lite"))
    with closing(sqlite3.connect(tmp_path / "lite" / "events.sqlite3")) as conn:
        conn.executemany(
            "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state)"
            " VALUES (?, ?, ?, ?, ?)",
            [(n, o.hex, v, t, bytes(s)) for n, o, v, t, s in rows],
        )
        conn.commit()
    assert roots(on_postgres) == roots(on_sqlite)
    assert roots(on_sqlite)[0] == len(rows) > 0
    on_postgres.close()
    on_sqlite.close()


@pytest.fixture
def nodes(postgres_url: str, tmp_path: Path) -> Iterator[tuple[Registry, Registry]]:
    key = tmp_path / "ledger.key"
    made = [
        Registry(
            Settings(
                data_dir=tmp_path / name,
                event_store=postgres_url,
                ledger_key=key,
                checkpoint_events=3,
            )
        )
        for name in ("node-a", "node-b")
    ]
    for node in made:
        attach(node)
    yield made[0], made[1]
    for node in made:
        node.close()


@pytest.mark.postgres
def test_two_nodes_sign_with_one_key_and_never_keep_two_checkpoints_of_one_size(
    nodes: tuple[Registry, Registry],
) -> None:
    node_a, node_b = nodes

    def work(node: Registry, first: int) -> None:
        for serial in range(first, first + 12):
            registered_enterprise(node, serial)

    threads = [
        threading.Thread(target=work, args=(node_a, 1)),
        threading.Thread(target=work, args=(node_b, 100)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    checkpointer_a = Checkpointer(
        read_models(node_a), node_a.side_stores.checkpoints(), node_a.settings
    )
    checkpointer_a.cut()
    kept = node_b.side_stores.checkpoints().all()
    assert len(kept) >= 3
    assert len({k.size for k in kept}) == len(kept)
    verifier = checkpointer_a.signer().verifier
    for checkpoint in kept:
        assert open_checkpoint(checkpoint.note, verifier).root == checkpoint.root
    models_b = read_models(node_b)
    models_b.catch_up()
    with models_b.follower(NAME).reading() as db:
        tree = Tree(db)
        for checkpoint in kept:
            assert tree.root(checkpoint.size) == checkpoint.root


def test_an_erasure_changes_no_leaf_and_verify_still_passes(tmp_path: Path) -> None:
    app = Registry(Settings(data_dir=tmp_path / "var"))
    attach(app)
    school_id = add_school(app)
    student_id = add_student(app, school_id)
    before = roots(app)
    app.forget_student(student_id, basis="PIPL art. 47(1)", requested_by="student", actor=ADMIN)
    size, _ = roots(app)
    models = read_models(app)
    checkpointer = Checkpointer(models, app.side_stores.checkpoints(), app.settings)
    checkpointer.cut()
    with models.follower(NAME).reading() as db:
        tree = Tree(db)
        assert tree.root(before[0]) == before[1]
        outcome = verify(
            ApplicationLog(app),
            tree,
            app.side_stores.checkpoints().all(),
            checkpointer.signer().verifier,
        )
    assert size > before[0]
    assert outcome.ok and outcome.events == size and outcome.checkpoints >= 2
    app.close()
