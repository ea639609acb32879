"""Two nodes on one PostgreSQL database: each has its own data directory and read models, and
both share the log, the students' keys, the access log and the password hashes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest

from domain.account import Account
from domain.student import IdNumberRegistered
from projections import read_models
from registry.config import Settings
from registry.facade import Registry
from registry.personal_data import ERASED
from tests.factories import ADMIN, partnership, school_user, uscc
from tests.integration.student_builders import AUDITOR, NUMBER, add_school, add_student
from tests.readmodels import dump, from_scratch
from tests.web.conftest import CLI, sign_in
from web import create_app
from web.config import WebConfig

pytestmark = pytest.mark.postgres
PASSWORD = "a good long password"


@pytest.fixture
def nodes(postgres_url: str, tmp_path: Path) -> Iterator[tuple[Registry, Registry]]:
    node_a = Registry(Settings(data_dir=tmp_path / "node-a", event_store=postgres_url))
    node_b = Registry(Settings(data_dir=tmp_path / "node-b", event_store=postgres_url))
    yield node_a, node_b
    node_a.close()
    node_b.close()


def test_a_student_registered_on_one_node_is_read_and_exported_on_the_other(
    nodes: tuple[Registry, Registry],
) -> None:
    node_a, node_b = nodes
    # construct: registered through node A
    school_id = add_school(node_a)
    student_id = add_student(node_a, school_id)
    # query: node B decrypts it, finds it by ID number and exports it
    record = node_b.reveal_student(student_id, reader=school_user(school_id))
    assert record.personal is not None and record.personal.name == "张小明"
    with pytest.raises(IdNumberRegistered) as duplicate:
        add_student(node_b, school_id, "张晓明", NUMBER)
    assert duplicate.value.params == {"same_school": True, "student_id": str(student_id)}
    exported = node_b.export_student(student_id, reader=ADMIN, reason="学生申请副本")
    assert exported["student"]["id_number"] == NUMBER
    assert [e["purpose"] for e in exported["access_log"]] == ["reveal", "export"]


def test_an_erasure_on_one_node_is_at_once_an_erasure_on_the_other(
    nodes: tuple[Registry, Registry],
) -> None:
    node_a, node_b = nodes
    # construct: node B has read the student, so its process has seen the key
    school_id = add_school(node_a)
    student_id = add_student(node_a, school_id)
    assert node_b.reveal_student(student_id, reader=AUDITOR, reason="抽查").personal is not None
    # evolve: node A forgets the student
    node_a.forget_student(student_id, basis="PIPL art. 47(1)", requested_by="student", actor=ADMIN)
    # query: node B holds no key any more, shows the data as erased, and the number is free
    assert node_b.key_store.key(student_id) is None
    assert node_b.reveal_student(student_id, reader=AUDITOR, reason="核对删除").erased
    assert node_b.export_student(student_id, reader=ADMIN, reason="核对")["student"]["name"] == (
        ERASED
    )
    assert node_b.reapply_erasures(actor=ADMIN) == []
    assert add_student(node_b, school_id) != student_id


def test_the_same_id_number_registered_on_both_nodes_at_once_is_refused_once(
    nodes: tuple[Registry, Registry],
) -> None:
    # construct: one school, known to both nodes
    school_id = add_school(nodes[0])
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def register(node: Registry, name: str) -> None:
        start.wait()
        try:
            outcomes.append(add_student(node, school_id, name, NUMBER))
        except IdNumberRegistered as refused:
            outcomes.append(refused)

    # evolve: both nodes register the same ID number at the same moment
    threads = [
        threading.Thread(target=register, args=(node, name))
        for node, name in zip(nodes, ("张小明", "张晓明"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # query: one is registered, the other refused; both nodes agree on who holds the number
    registered = [o for o in outcomes if isinstance(o, UUID)]
    refused = [o for o in outcomes if isinstance(o, IdNumberRegistered)]
    assert (len(registered), len(refused)) == (1, 1)
    digest = nodes[0].key_store.digest("id_number", NUMBER)
    assert nodes[0].key_store.owner(digest) == nodes[1].key_store.owner(digest) == registered[0]
    record = nodes[1].reveal_student(registered[0], reader=school_user(school_id))
    assert record.personal is not None and record.personal.id_number == NUMBER


def test_an_account_made_on_one_node_signs_in_through_the_others_web_app(
    nodes: tuple[Registry, Registry],
) -> None:
    node_a, node_b = nodes
    # construct: an administrator's account, made and given a password on node A
    account_id = node_a.add_account(
        username="wang.min", display_name="王敏", role="province_admin", actor=CLI
    )
    node_a.set_password(account_id, password=PASSWORD, actor=CLI)
    web_b = create_app(WebConfig(settings=node_b.settings, secret_key="k" * 48))
    try:
        # query: node B's login page accepts it
        client = web_b.test_client()
        assert sign_in(client, "wang.min", PASSWORD).headers["Location"] == "/"
        # evolve: the password is changed through node B; node A takes only the new one
        holder = node_b.get(Account, account_id).as_actor()
        node_b.change_password(
            account_id, current=PASSWORD, new="another long password", actor=holder
        )
        assert node_a.authenticate("wang.min", PASSWORD) is None
        assert node_a.authenticate("wang.min", "another long password") is not None
        # a reset link issued on node A is spent on node B, once
        token = node_a.issue_password_reset(account_id, actor=CLI)
        node_b.reset_password(token, new="a third long password")
        assert node_a.reset_link_account(token) is None
        assert sign_in(web_b.test_client(), "wang.min", "a third long password").status_code == 302
    finally:
        web_b.extensions["registry"].close()


def test_reads_on_both_nodes_appear_in_one_access_log_in_order(
    nodes: tuple[Registry, Registry],
) -> None:
    node_a, node_b = nodes
    school_id = add_school(node_a)
    student_id = add_student(node_a, school_id)
    # evolve: reads alternate between the nodes
    for turn in range(6):
        node = nodes[turn % 2]
        node.reveal_student(student_id, reader=AUDITOR, reason=f"第{turn}次抽查")
    # query: one listing, in the order the reads were made, from either node
    for node in nodes:
        entries = node.access_log_entries(actor=AUDITOR, student_id=student_id)
        assert [e.reason for e in entries] == [f"第{turn}次抽查" for turn in range(6)]
        positions = [e.position for e in entries]
        assert positions == sorted(positions) and len(set(positions)) == 6
    later = node_b.access_log_entries(actor=AUDITOR, after=entries[2].position)
    assert [e.reason for e in later] == ["第3次抽查", "第4次抽查", "第5次抽查"]


def test_neither_node_writes_a_side_store_file_of_its_own(
    nodes: tuple[Registry, Registry],
) -> None:
    node_a, node_b = nodes
    school_id = add_school(node_a)
    student_id = add_student(node_a, school_id)
    node_b.reveal_student(student_id, reader=AUDITOR, reason="抽查")
    node_b.request_account(
        username="li.ming",
        display_name="李明",
        uscc=uscc("91", 1),
        organisation="四川测试有限公司",
        contact="028-12345678",
        password=PASSWORD,
    )
    for node in nodes:
        data_dir = node.settings.data_dir
        assert not data_dir.exists() or not list(data_dir.glob("*.sqlite3*"))


def test_a_node_rebuilds_in_two_processes_from_the_shared_log(
    nodes: tuple[Registry, Registry],
) -> None:
    node_a, node_b = nodes
    # construct: events written through node A
    partnership(node_a)
    add_student(node_a, add_school(node_a, serial=2))
    # evolve: node B rebuilds, its second process reading the PostgreSQL log itself
    models = read_models(node_b)
    models.parallel_from = 0
    models.rebuild()
    # query: the same read models as one process builds, every event in the audit
    with models.reading() as db:
        built = dump(db.conn)
    assert built == from_scratch(node_b)
    assert len(built["audit_events"]) == node_a.max_position() > 0
