"""Cooperation agreements: the lifecycle, who may act, amendments, investments, expiry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.actors import Actor, Role
from domain.agreement import (
    AgreementDeclined,
    AgreementNotInForce,
    AgreementTerminated,
    AlreadyCountersigned,
    AmendmentPending,
    CooperationAgreement,
    DateOutsidePeriod,
    EmptyModes,
    Mode,
    NoAmendmentPending,
    Status,
    UnknownMajor,
    UnknownMode,
    WrongParty,
)
from domain.errors import EndBeforeStart, InvalidValue, NegativeAmount
from domain.school import SchoolWithdrawn
from tests.factories import ADMIN, agreement, enterprise, enterprise_user, school, school_user


@pytest.fixture
def parties():  # type: ignore[no-untyped-def]
    return school(), enterprise()


def countersigned(s, e) -> CooperationAgreement:  # type: ignore[no-untyped-def]
    a = agreement(s, e)
    a.countersign(on=date(2023, 12, 20), actor=school_user(s.id))
    return a


def test_enterprise_proposes_and_school_countersigns(parties) -> None:  # type: ignore[no-untyped-def]
    s, e = parties
    # construct: the enterprise proposes
    a = agreement(s, e, modes=("internship_base", "order_class"))
    assert a.status is Status.PROPOSED and a.proposed_by.value == "enterprise"
    assert a.terms.modes == (Mode.INTERNSHIP_BASE, Mode.ORDER_CLASS)
    # evolve: the school countersigns
    a.countersign(on=date(2023, 12, 20), actor=school_user(s.id))
    # query: active only within its period
    assert a.status is Status.COUNTERSIGNED
    assert not a.is_active_on(date(2023, 12, 31))
    assert a.is_active_on(date(2024, 1, 1))
    assert a.is_active_on(date(2026, 12, 31))
    assert a.status_on(date(2027, 1, 1)) == "expired"
    assert a.status_on(date(2023, 12, 31)) == "not_yet_started"


def test_proposer_cannot_countersign_its_own_proposal(parties) -> None:  # type: ignore[no-untyped-def]
    s, e = parties
    a = agreement(s, e)
    with pytest.raises(WrongParty):
        a.countersign(on=date(2024, 1, 1), actor=enterprise_user(e.id))


def test_unrelated_party_cannot_act(parties) -> None:  # type: ignore[no-untyped-def]
    s, e = parties
    a = agreement(s, e)
    stranger = school(2)
    with pytest.raises(WrongParty):
        a.countersign(on=date(2024, 1, 1), actor=school_user(stranger.id))
    with pytest.raises(WrongParty):
        a.countersign(on=date(2024, 1, 1), actor=Actor("admin", Role.PROVINCE_ADMIN))


def test_countersigning_twice_is_refused(parties) -> None:  # type: ignore[no-untyped-def]
    a = countersigned(*parties)
    with pytest.raises(AlreadyCountersigned):
        a.countersign(on=date(2024, 1, 2), actor=school_user(parties[0].id))


def test_declined_proposal_accepts_nothing(parties) -> None:  # type: ignore[no-untyped-def]
    s, e = parties
    a = agreement(s, e)
    a.decline(reason="方向不符", actor=school_user(s.id))
    with pytest.raises(AgreementDeclined):
        a.countersign(on=date(2024, 1, 1), actor=school_user(s.id))


@pytest.mark.parametrize(("modes", "error"), [((), EmptyModes), (("internship",), UnknownMode)])
def test_modes_must_be_known_and_present(parties, modes, error) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error):
        agreement(*parties, modes=modes)


def test_end_before_start_is_refused(parties) -> None:  # type: ignore[no-untyped-def]
    s, e = parties
    with pytest.raises(EndBeforeStart) as refused:
        CooperationAgreement.propose(
            school=s,
            enterprise_id=e.id,
            title="x",
            modes=["curriculum"],
            starts_on=date(2024, 1, 2),
            ends_on=date(2024, 1, 1),
            majors=[],
            actor=enterprise_user(e.id),
        )
    assert refused.value.params == {"starts_on": "2024-01-02", "ends_on": "2024-01-01"}


def test_majors_must_be_open_at_the_school(parties) -> None:  # type: ignore[no-untyped-def]
    s, e = parties
    with pytest.raises(UnknownMajor):
        CooperationAgreement.propose(
            school=s,
            enterprise_id=e.id,
            title="x",
            modes=["co_built_major"],
            starts_on=date(2024, 1, 1),
            ends_on=date(2025, 1, 1),
            majors=["天文学"],
            actor=enterprise_user(e.id),
        )


def test_withdrawn_school_cannot_enter_an_agreement(parties) -> None:  # type: ignore[no-untyped-def]
    s, e = parties
    s.withdraw(on=date(2023, 6, 30), reason="合并", actor=ADMIN)
    with pytest.raises(SchoolWithdrawn):
        agreement(s, e)


def test_amendment_binds_only_once_accepted(parties) -> None:  # type: ignore[no-untyped-def]
    s, e = parties
    a = countersigned(s, e)
    a.propose_amendment(
        school=s,
        modes=["internship_base", "curriculum"],
        starts_on=date(2024, 1, 1),
        ends_on=date(2027, 12, 31),
        majors=[],
        reason="延期",
        actor=school_user(s.id),
    )
    # until accepted, the agreed terms stand
    assert a.terms.ends_on == date(2026, 12, 31)
    with pytest.raises(AmendmentPending):
        a.propose_amendment(
            school=s,
            modes=["curriculum"],
            starts_on=date(2024, 1, 1),
            ends_on=date(2027, 12, 31),
            majors=[],
            reason="again",
            actor=enterprise_user(e.id),
        )
    with pytest.raises(WrongParty):
        a.accept_amendment(actor=school_user(s.id))
    a.accept_amendment(actor=enterprise_user(e.id))
    assert a.terms.ends_on == date(2027, 12, 31)
    assert Mode.CURRICULUM in a.terms.modes
    with pytest.raises(NoAmendmentPending):
        a.accept_amendment(actor=enterprise_user(e.id))


def test_declined_amendment_leaves_terms(parties) -> None:  # type: ignore[no-untyped-def]
    s, e = parties
    a = countersigned(s, e)
    a.propose_amendment(
        school=s,
        modes=["curriculum"],
        starts_on=date(2024, 1, 1),
        ends_on=date(2025, 12, 31),
        majors=[],
        reason="缩短",
        actor=enterprise_user(e.id),
    )
    a.decline_amendment(reason="不同意", actor=school_user(s.id))
    assert a.pending_amendment is None
    assert a.terms.modes == (Mode.INTERNSHIP_BASE,)


def test_suspend_resume_and_effective_dates(parties) -> None:  # type: ignore[no-untyped-def]
    s, e = parties
    a = countersigned(s, e)
    a.suspend(on=date(2024, 6, 1), reason="停产", actor=enterprise_user(e.id))
    with pytest.raises(AgreementNotInForce):
        a.suspend(on=date(2024, 6, 2), reason="again", actor=enterprise_user(e.id))
    with pytest.raises(InvalidValue):
        a.resume(on=date(2024, 5, 1), actor=school_user(s.id))
    a.resume(on=date(2024, 9, 1), actor=school_user(s.id))
    assert a.status_on(date(2024, 6, 1)) == "suspended"
    assert a.status_on(date(2024, 8, 31)) == "suspended"
    assert a.status_on(date(2024, 9, 1)) == "active"


def test_terminated_agreement_refuses_everything(parties) -> None:  # type: ignore[no-untyped-def]
    s, e = parties
    a = countersigned(s, e)
    a.terminate(on=date(2025, 3, 1), reason="提前终止", actor=school_user(s.id))
    assert a.status_on(date(2025, 2, 28)) == "active"
    assert a.status_on(date(2025, 3, 1)) == "terminated"
    with pytest.raises(AgreementTerminated) as refused:
        a.suspend(on=date(2025, 4, 1), reason="x", actor=school_user(s.id))
    assert refused.value.params == {"terminated_on": "2025-03-01"}
    with pytest.raises(AgreementTerminated):
        a.record_investment(
            kind="money",
            amount=Decimal(1),
            invested_on=date(2025, 1, 1),
            description="",
            actor=enterprise_user(e.id),
        )
    with pytest.raises(AgreementTerminated):
        a.countersign(on=date(2025, 4, 1), actor=school_user(s.id))


def test_termination_needs_a_reason(parties) -> None:  # type: ignore[no-untyped-def]
    a = countersigned(*parties)
    with pytest.raises(InvalidValue):
        a.terminate(on=date(2025, 3, 1), reason="", actor=school_user(parties[0].id))


def test_investments_are_positive_and_within_the_period(parties) -> None:  # type: ignore[no-untyped-def]
    s, e = parties
    a = countersigned(s, e)
    number = a.record_investment(
        kind="equipment",
        amount=Decimal("120000.50"),
        invested_on=date(2024, 3, 1),
        description="数控机床",
        actor=enterprise_user(e.id),
    )
    assert a.investments[0].amount == Decimal("120000.50") and number == 1
    for amount in (Decimal(0), Decimal(-5), Decimal("NaN")):
        with pytest.raises(NegativeAmount):
            a.record_investment(
                kind="money",
                amount=amount,
                invested_on=date(2024, 3, 1),
                description="",
                actor=enterprise_user(e.id),
            )
    with pytest.raises(DateOutsidePeriod):
        a.record_investment(
            kind="money",
            amount=Decimal(1),
            invested_on=date(2030, 1, 1),
            description="",
            actor=enterprise_user(e.id),
        )
    a.correct_investment(
        number=1,
        amount=Decimal("12000.50"),
        invested_on=date(2024, 3, 1),
        reason="多录一位",
        actor=enterprise_user(e.id),
    )
    assert a.investments[0].amount == Decimal("12000.50")


def test_investment_needs_a_countersigned_agreement(parties) -> None:  # type: ignore[no-untyped-def]
    s, e = parties
    a = agreement(s, e)
    with pytest.raises(AgreementNotInForce):
        a.record_investment(
            kind="money",
            amount=Decimal(1),
            invested_on=date(2024, 3, 1),
            description="",
            actor=enterprise_user(e.id),
        )


def test_every_event_records_its_actor(parties) -> None:  # type: ignore[no-untyped-def]
    s, e = parties
    a = countersigned(s, e)
    actors = [event.actor.user_id for event in a.pending_events]  # type: ignore[attr-defined]
    assert actors == ["enterprise-user", "school-user"]


def test_enterprise_states_a_planned_investment(parties) -> None:  # type: ignore[no-untyped-def]
    s, e = parties
    # construct: the enterprise proposes
    a = agreement(s, e)
    # evolve: it states what it plans to invest; the school may not
    a.plan_investment(amount=Decimal("300000"), actor=enterprise_user(e.id))
    with pytest.raises(WrongParty):
        a.plan_investment(amount=Decimal("1"), actor=school_user(s.id))
    with pytest.raises(NegativeAmount):
        a.plan_investment(amount=Decimal("0"), actor=enterprise_user(e.id))
    # query: the plan is on the agreement, apart from recorded investments
    assert a.planned_investment == Decimal("300000") and a.investments == []
