"""A submission recorded once, through the registry, on SQLite and PostgreSQL.

The key rides in the actor; the log is the guard: a created record's id is derived from the
user and the key, and a record remembers the keys that changed it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from domain.actors import Actor, Role
from domain.agreement import CooperationAgreement
from domain.placement import IntermediaryRefused, Placement
from registry.config import Settings
from registry.errors import AlreadyRegistered
from registry.facade import Registry
from registry.submissions import Resubmitted, check_version, derived_id
from tests.factories import ADMIN, enterprise_user, school_user, uscc
from tests.integration.placement_builders import add_student, setting

KEY = "k" * 32


def keyed(actor: Actor, key: str = KEY) -> Actor:
    return replace(actor, submission=key)


def propose(app: Registry, school: UUID, enterprise: UUID, actor: Actor) -> UUID:
    return app.propose_agreement(
        school_id=school,
        enterprise_id=enterprise,
        title="订单班合作协议",
        modes=["order_class"],
        starts_on=date(2026, 9, 1),
        ends_on=date(2029, 8, 31),
        actor=actor,
    )


def placement(app: Registry) -> tuple[UUID, UUID]:
    school_id, _enterprise_id, agreement_id = setting(app)
    return school_id, app.register_placement(
        student_id=add_student(app, school_id),
        agreement_id=agreement_id,
        kind="cognitive_internship",
        position="数控车工",
        workplace_prefecture="510100",
        starts_on=date(2025, 3, 1),
        ends_on=date(2025, 3, 31),
        mentor="李师傅",
        supervising_teacher="张老师",
        actor=school_user(school_id),
    )


def test_a_proposal_sent_twice_is_one_agreement(any_store: Registry) -> None:
    school_id, enterprise_id, _ = setting(any_store)
    actor = keyed(enterprise_user(enterprise_id))
    # the first submission creates the agreement under an id derived from the user and key
    agreement_id = propose(any_store, school_id, enterprise_id, actor)
    assert agreement_id == derived_id(actor)
    head = any_store.max_position()
    # the second is answered with the first one's agreement, and records nothing
    with pytest.raises(Resubmitted) as repeated:
        propose(any_store, school_id, enterprise_id, actor)
    assert (repeated.value.kind, repeated.value.record_id) == ("CooperationAgreement", agreement_id)
    assert any_store.max_position() == head


@pytest.mark.parametrize("command", ["report_fee", "record_incident"])
def test_a_report_sent_twice_records_one_event(any_store: Registry, command: str) -> None:
    school_id, placement_id = placement(any_store)
    typed: dict[str, Any] = {
        "report_fee": {
            "amount": Decimal(200),
            "purpose": "住宿费",
            "reported_by": "家长",
            "charged_on": date(2025, 3, 5),
        },
        "record_incident": {
            "occurred_on": date(2025, 3, 5),
            "severity": "minor",
            "description": "手指划伤",
        },
    }[command]
    run = getattr(any_store, command)
    actor = keyed(school_user(school_id))
    run(placement_id, **typed, actor=actor)
    version = any_store.get(Placement, placement_id).version
    with pytest.raises(Resubmitted) as repeated:
        run(placement_id, **typed, actor=actor)
    assert repeated.value.record_id == placement_id
    assert repeated.value.version == version
    assert any_store.get(Placement, placement_id).version == version
    # another key is another submission
    run(placement_id, **typed, actor=keyed(school_user(school_id), "n" * 32))
    assert any_store.get(Placement, placement_id).version == version + 1


def test_a_repeat_is_answered_before_the_record_is_checked(registry: Registry) -> None:
    school_id, enterprise_id, _ = setting(registry)
    agreement_id = propose(registry, school_id, enterprise_id, enterprise_user(enterprise_id))
    actor = keyed(school_user(school_id))
    registry.countersign_agreement(agreement_id, actor=actor)
    # countersigned already: the repeat is not refused as "already countersigned"
    with pytest.raises(Resubmitted):
        registry.countersign_agreement(agreement_id, actor=actor)


def register_school(app: Registry, actor: Actor) -> UUID:
    return app.register_school(
        uscc=uscc("12", 9),
        name="绵阳技师学院",
        kind="technician_college",
        prefecture="510700",
        established_on=date(2010, 9, 1),
        actor=actor,
    )


def test_a_record_with_a_natural_key_answers_only_its_own_submission(registry: Registry) -> None:
    school_id = register_school(registry, keyed(ADMIN))
    with pytest.raises(Resubmitted) as repeated:
        register_school(registry, keyed(ADMIN))
    assert repeated.value.record_id == school_id
    # the same code from another form, or another user's same key, is a duplicate
    with pytest.raises(AlreadyRegistered):
        register_school(registry, keyed(ADMIN, "o" * 32))
    with pytest.raises(AlreadyRegistered):
        register_school(registry, keyed(Actor("admin-2", Role.PROVINCE_ADMIN)))


def test_a_twin_saved_first_by_another_process_is_a_repeat(store_settings: Settings) -> None:
    first, second = Registry(store_settings), Registry(store_settings)
    try:
        school_id, placement_id = placement(first)
        actor = keyed(school_user(school_id))
        typed: dict[str, Any] = {
            "amount": Decimal(200),
            "purpose": "住宿费",
            "reported_by": "家长",
            "charged_on": date(2025, 3, 5),
        }
        # the first process has checked the key and run the command, not yet saved...
        loaded = first.get(Placement, placement_id)
        loaded.report_fee(**typed, actor=actor)
        # ...when the second records the same submission
        second.report_fee(placement_id, **typed, actor=actor)
        with pytest.raises(Resubmitted):
            first.save_changes(loaded)
        fees = [e for e in first.events.get(placement_id) if type(e).__name__ == "FeeReported"]
        assert len(fees) == 1
    finally:
        first.close()
        second.close()


def twin_after_first_read(
    monkeypatch: pytest.MonkeyPatch, app: Registry, twin: Callable[[], object]
) -> None:
    """Run ``twin`` (the same submission through another process) right after ``app``'s next
    read of a record, once."""
    read = app.get

    def read_then_twin(*args: Any, **kwargs: Any) -> Any:
        found = read(*args, **kwargs)
        monkeypatch.setattr(app, "get", read)
        twin()
        return found

    monkeypatch.setattr(app, "get", read_then_twin)


def test_a_twin_saved_while_the_version_shown_is_read_is_a_repeat(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = Registry(store_settings), Registry(store_settings)
    try:
        school_id, enterprise_id, _ = setting(first)
        agreement_id = propose(first, school_id, enterprise_id, enterprise_user(enterprise_id))
        shown = first.get(CooperationAgreement, agreement_id).version
        actor = keyed(school_user(school_id))
        # a twin of this countersignature saves it just after this request reads the record
        twin_after_first_read(
            monkeypatch, first, lambda: second.countersign_agreement(agreement_id, actor=actor)
        )
        # answered as the first submission, not as someone else's change
        with pytest.raises(Resubmitted):
            check_version(first, agreement_id, shown, actor)
            first.countersign_agreement(agreement_id, actor=actor)
        names = [type(e).__name__ for e in first.events.get(agreement_id)]
        assert names.count("Countersigned") == 1
    finally:
        first.close()
        second.close()


def test_a_twin_saved_before_the_command_reads_its_record_is_a_repeat(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = Registry(store_settings), Registry(store_settings)
    try:
        school_id, enterprise_id, _ = setting(first)
        agreement_id = propose(first, school_id, enterprise_id, enterprise_user(enterprise_id))
        actor = keyed(school_user(school_id))
        # the twin saves just after this command has checked the key, before it reads the
        # record to countersign it
        twin_after_first_read(
            monkeypatch, first, lambda: second.countersign_agreement(agreement_id, actor=actor)
        )
        # answered as the first submission, not refused as already countersigned
        with pytest.raises(Resubmitted):
            first.countersign_agreement(agreement_id, actor=actor)
        names = [type(e).__name__ for e in first.events.get(agreement_id)]
        assert names.count("Countersigned") == 1
    finally:
        first.close()
        second.close()


def test_a_creation_sent_twice_at_once_creates_one_record(store_settings: Settings) -> None:
    apps = [Registry(store_settings), Registry(store_settings)]
    try:
        school_id, enterprise_id, _ = setting(apps[0])
        actor = keyed(enterprise_user(enterprise_id))
        head = apps[0].max_position()
        gate = threading.Barrier(2)
        answers: list[object] = []

        def send(app: Registry) -> None:
            gate.wait()
            try:
                answers.append(propose(app, school_id, enterprise_id, actor))
            except Resubmitted as repeated:
                answers.append(repeated.record_id)

        threads = [threading.Thread(target=send, args=(app,)) for app in apps]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers == [derived_id(actor)] * 2
        created = [e for _, e in apps[0].read_log(after=head) if e.originator_version == 1]
        assert [e.originator_id for e in created] == [derived_id(actor)]
    finally:
        for app in apps:
            app.close()


def without_submissions(found: Any) -> Any:
    """A stored event's fields as written before submission keys existed."""
    if isinstance(found, dict):
        return {k: without_submissions(v) for k, v in found.items() if k != "submission"}
    if isinstance(found, list):
        return [without_submissions(v) for v in found]
    return found


def test_events_recorded_before_submission_keys_still_replay(settings: Settings) -> None:
    app = Registry(settings)
    school_id, placement_id = placement(app)
    actor = keyed(school_user(school_id))
    app.record_tripartite_agreement(placement_id, signed_on=date(2025, 2, 20), actor=actor)
    version = app.get(Placement, placement_id).version
    app.close()
    # rewrite the stored events in the old shape: actors without a submission key
    with sqlite3.connect(settings.data_dir / "events.sqlite3") as db:
        rows = db.execute(
            "SELECT originator_version, state FROM stored_events WHERE originator_id = ?",
            (placement_id.hex,),
        ).fetchall()
        assert any(b"submission" in bytes(state) for _, state in rows)
        for number, state in rows:
            old = json.dumps(without_submissions(json.loads(bytes(state)))).encode()
            db.execute(
                "UPDATE stored_events SET state = ? WHERE originator_id = ? "
                "AND originator_version = ?",
                (old, placement_id.hex, number),
            )
    # they replay, through the repository and the log, and remember no submission
    app = Registry(settings)
    try:
        replayed = app.get(Placement, placement_id)
        assert replayed.version == version
        assert replayed.submitted(actor.user_id, KEY) is None
        logged = [e for _, e in app.read_log() if e.originator_id == placement_id]
        assert all(e.actor.submission is None for e in logged)
        # and the record takes new, keyed commands on top of them
        app.record_duration_exception(placement_id, reason="企业生产周期", actor=actor)
        with pytest.raises(Resubmitted):
            app.record_duration_exception(placement_id, reason="企业生产周期", actor=actor)
    finally:
        app.close()


def test_a_refused_attempt_sent_twice_is_refused_again_and_kept_once(registry: Registry) -> None:
    school_id, _enterprise_id, agreement_id = setting(registry)
    student_id = add_student(registry, school_id)
    actor = keyed(school_user(school_id))
    head = 0
    for _ in range(2):
        with pytest.raises(IntermediaryRefused):
            registry.register_placement(
                student_id=student_id,
                agreement_id=agreement_id,
                kind="cognitive_internship",
                position="数控车工",
                workplace_prefecture="510100",
                starts_on=date(2025, 3, 1),
                ends_on=date(2025, 3, 31),
                mentor="李师傅",
                supervising_teacher="张老师",
                intermediary="某某人力资源公司",
                actor=actor,
            )
        head = head or registry.max_position()
    # the second was refused the same way, and recorded no second attempt
    assert registry.max_position() == head
