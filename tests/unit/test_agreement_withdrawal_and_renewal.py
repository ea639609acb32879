"""A proposal or an amendment withdrawn by the party that made it, and a renewal that names
the agreement it continues."""

from __future__ import annotations

from datetime import date

import pytest

from domain.agreement import (
    CooperationAgreement,
    NotProposedByYou,
    NotRenewable,
    ProposalWithdrawn,
    Status,
    WrongParty,
)
from domain.errors import InvalidValue
from tests.factories import agreement, enterprise, enterprise_user, school, school_user


def renewal(s, e, renews: CooperationAgreement) -> CooperationAgreement:  # type: ignore[no-untyped-def]
    return CooperationAgreement.propose(
        school=s,
        enterprise_id=e.id,
        title="校企合作协议（续签）",
        modes=["internship_base", "order_class"],
        starts_on=date(2027, 1, 1),
        ends_on=date(2029, 12, 31),
        majors=[],
        actor=school_user(s.id),
        renews=renews,
    )


def test_the_proposer_withdraws_its_proposal_with_a_reason() -> None:
    s, e = school(), enterprise()
    a = agreement(s, e)
    # the enterprise proposed; it takes the proposal back before the school answers
    a.withdraw_proposal(reason="条款填写有误", actor=enterprise_user(e.id))
    assert a.status is Status.WITHDRAWN
    assert a.status_on(date(2025, 1, 1)) == "withdrawn"
    assert not a.is_active_on(date(2025, 1, 1))
    # nothing more can happen to it: not countersigned, not withdrawn twice
    with pytest.raises(ProposalWithdrawn):
        a.countersign(on=date(2024, 1, 1), actor=school_user(s.id))
    with pytest.raises(ProposalWithdrawn):
        a.withdraw_proposal(reason="再撤", actor=enterprise_user(e.id))


def test_only_the_proposer_withdraws_and_only_before_the_answer() -> None:
    s, e = school(), enterprise()
    a = agreement(s, e)
    with pytest.raises(NotProposedByYou):
        a.withdraw_proposal(reason="不想要", actor=school_user(s.id))
    with pytest.raises(WrongParty):
        a.withdraw_proposal(reason="不想要", actor=school_user(school(2).id))
    with pytest.raises(InvalidValue):
        a.withdraw_proposal(reason="  ", actor=enterprise_user(e.id))
    a.countersign(on=date(2023, 12, 20), actor=school_user(s.id))
    with pytest.raises(Exception, match="countersigned"):
        a.withdraw_proposal(reason="晚了", actor=enterprise_user(e.id))


def test_the_proposer_of_an_amendment_withdraws_it_with_a_reason() -> None:
    s, e = school(), enterprise()
    a = agreement(s, e)
    a.countersign(on=date(2023, 12, 20), actor=school_user(s.id))
    a.propose_amendment(
        school=s,
        modes=["order_class"],
        starts_on=date(2024, 1, 1),
        ends_on=date(2027, 12, 31),
        majors=[],
        reason="延长一年",
        actor=school_user(s.id),
    )
    with pytest.raises(NotProposedByYou):
        a.withdraw_amendment(reason="不同意", actor=enterprise_user(e.id))
    a.withdraw_amendment(reason="另行协商", actor=school_user(s.id))
    assert a.pending_amendment is None
    assert a.collect_events()[-1].reason == "另行协商"  # type: ignore[attr-defined]


def test_a_renewal_names_the_agreement_it_continues() -> None:
    s, e = school(), enterprise()
    first = agreement(s, e)
    # a proposal not yet countersigned cannot be renewed
    with pytest.raises(NotRenewable):
        renewal(s, e, first)
    first.countersign(on=date(2023, 12, 20), actor=school_user(s.id))
    renewed = renewal(s, e, first)
    assert renewed.renews == first.id
    # between other parties it is a new agreement, not a renewal
    other = school(2)
    with pytest.raises(NotRenewable) as refused:
        renewal(other, e, first)
    assert refused.value.params["problem"] == "other_parties"
