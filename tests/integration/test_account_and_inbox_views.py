"""Read models the web pages add: accounts, the school picker's name filter, and inboxes."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.actors import Actor, Role
from projections import accounts, agreement_queries, attach, schools
from registry.facade import Registry
from tests.factories import ADMIN, registered_enterprise, registered_school, uscc


def seed(app: Registry) -> tuple[UUID, UUID]:
    school = registered_school(app)
    registered_school(
        app, 2, name="绵阳100%_技工学校", kind="technical_school", prefecture="510700"
    )
    return school, registered_enterprise(app)


def test_accounts_view_follows_requests_approvals_and_leavers(registry: Registry) -> None:
    # construct: a request and an account added directly
    models = attach(registry)
    _, enterprise = seed(registry)
    requested = registry.request_account(
        username="zhou.xin",
        display_name="周新",
        uscc=uscc("91", 1),
        organisation="四川测试有限公司",
        contact="028",
        password="a long password",
    )
    auditor = registry.add_account(
        username="li.shen", display_name="李审", role="auditor", actor=ADMIN
    )
    with models.reading() as db:
        waiting = accounts.list_accounts(db, status="requested")
        assert [row["username"] for row in waiting.items] == ["zhou.xin"]
        assert waiting.items[0]["enterprise_uscc"] == uscc("91", 1)
    # evolve: approval, then a leaver
    registry.approve_account(requested, party_id=enterprise, actor=ADMIN)
    registry.deactivate_account(auditor, reason="调离", actor=ADMIN)
    # query: the rows say who is bound to what
    with models.reading() as db:
        row = accounts.account(db, str(requested))
        assert row is not None
        assert (row["status"], row["party_id"]) == ("active", str(enterprise))
        assert accounts.list_accounts(db, status="deactivated").items[0]["username"] == "li.shen"
        assert accounts.list_accounts(db, search="周").total == 1
        assert accounts.display_names(db, ["zhou.xin", "system:demo"]) == {"zhou.xin": "周新"}


def test_school_names_filter_literally(registry: Registry) -> None:
    models = attach(registry)
    seed(registry)
    with models.reading() as db:
        assert [s["name"] for s in schools.list_schools(db, name="技师").items] == ["成都技师学院"]
        assert schools.list_schools(db, name="100%_").total == 1
        assert schools.list_schools(db, name="%").total == 1
        assert schools.list_schools(db, name="_").total == 1


def test_inboxes_list_what_waits_for_each_side(registry: Registry) -> None:
    models = attach(registry)
    school, enterprise = seed(registry)
    by_enterprise = Actor("e", Role.ENTERPRISE_USER, enterprise)
    by_school = Actor("s", Role.SCHOOL_USER, school)

    def propose(actor: Actor) -> UUID:
        return registry.propose_agreement(
            school_id=school,
            enterprise_id=enterprise,
            title="协议",
            modes=["order_class"],
            starts_on=date(2024, 1, 1),
            ends_on=date(2026, 12, 31),
            actor=actor,
        )

    # construct: a proposal each way, and a countersigned one with an amendment from the school
    to_school, to_enterprise, amended = (
        propose(by_enterprise),
        propose(by_school),
        propose(by_school),
    )
    registry.countersign_agreement(amended, actor=by_enterprise)
    registry.propose_amendment(
        amended,
        modes=["order_class", "curriculum"],
        starts_on=date(2024, 1, 1),
        ends_on=date(2027, 12, 31),
        reason="延长",
        actor=by_school,
    )
    # query: each side's inbox
    with models.reading() as db:
        for side, expected in (("school", {to_school}), ("enterprise", {to_enterprise, amended})):
            found = agreement_queries.list_agreements(db, party=str(school), awaiting=side)
            assert {UUID(row["id"]) for row in found.items} == expected
