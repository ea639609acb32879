"""Demo accounts, one per role, all with the documented demo password; and one request.

The school account acts for a school with a proposal awaiting its countersignature, the
enterprise account for the enterprise hosting the students whose cover lapsed, with a renewal
awaiting its own (registry/demo/placements.py), so a newcomer signing in as either finds work
to do. The pending request is for a registered demo enterprise, ready for an administrator to
approve.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.account import account_id_for
from domain.agreement import CooperationAgreement
from registry.demo.agreements import SCENARIOS, parties_of
from registry.demo.base import DemoContext, Story, acting_for
from registry.demo.parties import enterprise_uscc
from registry.demo.placements import RENEWAL

DEMO_PASSWORD = "demo-password"
ACCOUNTS_OPENED_ON = date(2025, 11, 20)
REQUESTED_ON = date(2026, 11, 20)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    display_name: str
    party_id: UUID | None = None
    prefecture: str | None = None


def demo_accounts(context: DemoContext) -> list[DemoAccount]:
    """The accounts; the school and the enterprise each have a proposal awaiting their answer."""
    school, _ = parties_of(context, SCENARIOS.index("awaiting_countersign"))
    enterprise = context.app.get(CooperationAgreement, RENEWAL).enterprise_id
    return [
        DemoAccount("admin", "province_admin", "王敏"),
        DemoAccount("auditor", "auditor", "李审"),
        DemoAccount("officer", "prefecture_officer", "张成", prefecture="510100"),
        DemoAccount("school", "school_user", "赵老师", party_id=school.id),
        DemoAccount("enterprise", "enterprise_user", "陈经理", party_id=enterprise),
    ]


APPLICANT = "applicant"
USERNAMES = ("admin", "auditor", "officer", "school", "enterprise")


def load(context: DemoContext) -> list[Story]:
    return [_accounts_story(context), _request_story(context)]


def _accounts_story(context: DemoContext) -> Story:
    """Opened once the renewal awaits the enterprise (registry/demo/placements.py)."""
    yield ACCOUNTS_OPENED_ON
    app = context.app
    admin = acting_for()
    for account in demo_accounts(context):
        if app.exists(account_id_for(account.username)):
            continue
        account_id = app.add_account(
            username=account.username,
            display_name=account.display_name,
            role=account.role,
            party_id=account.party_id,
            prefecture=account.prefecture,
            actor=admin,
        )
        app.set_password(account_id, password=DEMO_PASSWORD, actor=admin)


def _request_story(context: DemoContext) -> Story:
    """A recent request, awaiting an administrator."""
    yield REQUESTED_ON
    app = context.app
    if not app.exists(account_id_for(APPLICANT)):
        enterprise = context.enterprises[2]
        app.request_account(
            username=APPLICANT,
            display_name="刘申请",
            uscc=enterprise_uscc(3, enterprise.prefecture),
            organisation=enterprise.name,
            contact="028-86001234",
            password=DEMO_PASSWORD,
        )
