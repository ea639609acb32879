"""The application on real stores: embedded SQLite, and a PostgreSQL server."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest

from domain.agreement import CooperationAgreement, Status
from domain.enterprise import Enterprise
from domain.school import School
from registry.config import Settings
from registry.errors import AlreadyRegistered, ConflictingChange, NotFound
from registry.facade import Registry
from tests.factories import ADMIN, enterprise_user, partnership, school_user, uscc


def seed(app: Registry) -> tuple[UUID, UUID, UUID]:
    school_id, enterprise_id, agreement_id = partnership(
        app, title="共建数控专业", modes=["co_built_major", "internship_base"], majors=["数控加工"]
    )
    app.record_investment(
        agreement_id,
        kind="equipment",
        amount=Decimal("250000.00"),
        invested_on=date(2024, 5, 1),
        actor=enterprise_user(enterprise_id),
    )
    return school_id, enterprise_id, agreement_id


def test_reload_from_the_log_gives_identical_state(
    any_store: Registry, store_settings: Settings
) -> None:
    school_id, enterprise_id, agreement_id = seed(any_store)
    # a second application on the same store rebuilds every aggregate from its events
    fresh = Registry(store_settings)
    try:
        for cls, record_id in (
            (School, school_id),
            (Enterprise, enterprise_id),
            (CooperationAgreement, agreement_id),
        ):
            assert vars(fresh.get(cls, record_id)) == vars(any_store.get(cls, record_id))
        reloaded = fresh.get(CooperationAgreement, agreement_id)
        assert reloaded.investments[0].amount == Decimal("250000.00")
        assert reloaded.terms.starts_on == date(2024, 1, 1)
    finally:
        fresh.close()


def test_get_at_version_gives_state_after_that_many_events(any_store: Registry) -> None:
    _, _, agreement_id = seed(any_store)
    assert any_store.get(CooperationAgreement, agreement_id, version=1).status is Status.PROPOSED
    second = any_store.get(CooperationAgreement, agreement_id, version=2)
    assert second.status is Status.COUNTERSIGNED and second.investments == []
    assert len(any_store.get(CooperationAgreement, agreement_id, version=3).investments) == 1


def test_duplicate_registration_is_already_registered(any_store: Registry) -> None:
    seed(any_store)
    with pytest.raises(AlreadyRegistered) as refused:
        any_store.register_enterprise(
            uscc=uscc("91", 1),
            name="重复登记",
            prefecture="510100",
            industry="建筑",
            above_designated_size=False,
            ownership="private",
            actor=ADMIN,
        )
    assert refused.value.params["key"] == uscc("91", 1)


def test_same_code_cannot_be_both_school_and_enterprise(any_store: Registry) -> None:
    seed(any_store)
    with pytest.raises(AlreadyRegistered):
        any_store.register_enterprise(
            uscc=uscc("12", 1),
            name="冒用学校代码",
            prefecture="510100",
            industry="建筑",
            above_designated_size=False,
            ownership="private",
            actor=ADMIN,
        )


def test_concurrent_change_is_conflicting_change(
    any_store: Registry, store_settings: Settings
) -> None:
    school_id, enterprise_id, agreement_id = seed(any_store)
    other = Registry(store_settings)
    try:
        # both writers load version 3, then both try to write version 4
        mine = any_store.get(CooperationAgreement, agreement_id)
        theirs = other.get(CooperationAgreement, agreement_id)
        mine.suspend(on=date(2024, 6, 1), reason="停产", actor=enterprise_user(enterprise_id))
        theirs.terminate(on=date(2024, 6, 1), reason="终止", actor=school_user(school_id))
        any_store.save_changes(mine)
        with pytest.raises(ConflictingChange):
            other.save_changes(theirs)
    finally:
        other.close()
    assert any_store.get(CooperationAgreement, agreement_id).status is Status.SUSPENDED


def test_unknown_id_is_not_found(any_store: Registry) -> None:
    school_id, _, _ = seed(any_store)
    with pytest.raises(NotFound):
        any_store.get(CooperationAgreement, school_id)


def test_proposal_to_an_unregistered_enterprise_is_not_found(any_store: Registry) -> None:
    school_id, _, _ = seed(any_store)
    with pytest.raises(NotFound) as refused:
        any_store.propose_agreement(
            school_id=school_id,
            enterprise_id=school_id,  # a school's id is not an enterprise
            title="x",
            modes=["curriculum"],
            starts_on=date(2024, 1, 1),
            ends_on=date(2024, 12, 31),
            actor=school_user(school_id),
        )
    assert refused.value.params["kind"] == "Enterprise"


def test_after_save_hook_receives_the_last_position(registry: Registry) -> None:
    positions: list[int] = []
    registry.on_saved(positions.append)
    seed(registry)
    assert positions == list(range(1, 7))
    assert registry.max_position() == 6


def test_parallel_writers_to_one_sqlite_file_lose_nothing(
    registry: Registry, settings: Settings
) -> None:
    errors: list[Exception] = []

    def register(offset: int) -> None:
        app = Registry(settings)
        try:
            for serial in range(offset, offset + 25):
                app.register_enterprise(
                    uscc=uscc("91", serial),
                    name=f"并发{serial}",
                    prefecture="510100",
                    industry="建筑",
                    above_designated_size=False,
                    ownership="private",
                    actor=ADMIN,
                )
        except Exception as error:
            errors.append(error)
        finally:
            app.close()

    threads = [threading.Thread(target=register, args=(n * 100,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert registry.max_position() == 100


def test_peeked_school_sees_a_withdrawal_made_by_another_process(
    any_store: Registry, store_settings: Settings
) -> None:
    from domain.school import SchoolWithdrawn

    school_id, enterprise_id, _ = seed(any_store)
    # this process has the school cached from the proposal made in seed()
    assert any_store.peek(School, school_id).is_withdrawn is False
    other = Registry(store_settings)
    try:
        other.withdraw_school(school_id, reason="合并", on=date(2025, 1, 1), actor=ADMIN)
    finally:
        other.close()
    # the next proposal reads the withdrawal and is refused
    with pytest.raises(SchoolWithdrawn):
        any_store.propose_agreement(
            school_id=school_id,
            enterprise_id=enterprise_id,
            title="新协议",
            modes=["curriculum"],
            starts_on=date(2025, 3, 1),
            ends_on=date(2026, 2, 28),
            actor=enterprise_user(enterprise_id),
        )
    assert vars(any_store.peek(School, school_id)) == vars(any_store.get(School, school_id))
