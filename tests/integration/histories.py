"""Command histories drawn by Hypothesis over a few schools, enterprises and agreements."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from hypothesis import strategies as st

from domain.actors import Actor, Role
from domain.agreement import Mode
from registry.facade import Registry
from tests.factories import ADMIN, uscc

PREFECTURES = ["510100", "510700", "513300"]
MAJORS = ["数控加工", "汽车维修"]
MODES = [m.value for m in Mode]
DAY0 = date(2024, 1, 1)


def acting(party_id: UUID) -> Actor:
    return Actor("user", Role.SYSTEM, party_id)


class History:
    """Runs drawn steps against a registry, remembering the records they created."""

    def __init__(self, app: Registry) -> None:
        self.app = app
        self.schools: list[UUID] = []
        self.enterprises: list[UUID] = []
        self.agreements: list[tuple[UUID, UUID, UUID]] = []

    def school(self, n: int) -> UUID:
        return self.schools[n % len(self.schools)]

    def enterprise(self, n: int) -> UUID:
        return self.enterprises[n % len(self.enterprises)]

    def run(self, step: str, a: int, b: int, c: int) -> None:
        app, day = self.app, DAY0 + timedelta(days=40 * c)
        if step == "register_school":
            self.schools.append(
                app.register_school(
                    uscc=uscc("12", len(self.schools) + 1, PREFECTURES[a % 3]),
                    name=f"学校{a}",
                    kind=["technical_school", "technician_college"][b % 2],
                    prefecture=PREFECTURES[a % 3],
                    established_on=date(2000, 1, 1),
                    actor=ADMIN,
                )
            )
        elif step == "register_enterprise":
            self.enterprises.append(
                app.register_enterprise(
                    uscc=uscc("91", len(self.enterprises) + 1, PREFECTURES[a % 3]),
                    name=f"企业{a}",
                    prefecture=PREFECTURES[a % 3],
                    industry=["装备制造", "电子信息"][b % 2],
                    above_designated_size=bool(c % 2),
                    ownership="private",
                    actor=ADMIN,
                )
            )
        elif self.schools and step in SCHOOL_STEPS:
            SCHOOL_STEPS[step](app, self.school(a), b, c, day)
        elif self.enterprises and step in ENTERPRISE_STEPS:
            ENTERPRISE_STEPS[step](app, self.enterprise(a), b, c, day)
        elif step == "propose" and self.schools and self.enterprises:
            school_id, enterprise_id = self.school(a), self.enterprise(b)
            modes = [MODES[c % len(MODES)], MODES[(c + a) % len(MODES)]]
            agreement_id = app.propose_agreement(
                school_id=school_id,
                enterprise_id=enterprise_id,
                title=f"协议{len(self.agreements)}",
                modes=modes,
                starts_on=day,
                ends_on=day + timedelta(days=700),
                majors=[MAJORS[a % 2]] if "co_built_major" in modes else [],
                actor=acting([school_id, enterprise_id][b % 2]),
            )
            self.agreements.append((agreement_id, school_id, enterprise_id))
        elif self.agreements and step in AGREEMENT_STEPS:
            agreement_id, school_id, enterprise_id = self.agreements[a % len(self.agreements)]
            actor = acting([school_id, enterprise_id][b % 2])
            AGREEMENT_STEPS[step](app, agreement_id, actor, c, day)


SCHOOL_STEPS: dict[str, Any] = {
    "open_major": lambda app, s, b, c, day: app.open_major(
        s, name=MAJORS[b % 2], year=2015 + c, actor=ADMIN
    ),
    "close_major": lambda app, s, b, c, day: app.close_major(
        s, name=MAJORS[b % 2], year=2020 + c, actor=ADMIN
    ),
    "upgrade": lambda app, s, b, c, day: app.upgrade_school(
        s, to_kind="technician_college", on=day, actor=ADMIN
    ),
    "withdraw": lambda app, s, b, c, day: app.withdraw_school(
        s, reason="合并", on=day, actor=ADMIN
    ),
    "correct_school": lambda app, s, b, c, day: app.correct_school(
        s, field="prefecture", value=PREFECTURES[b % 3], reason="录错", actor=ADMIN
    ),
}


ENTERPRISE_STEPS: dict[str, Any] = {
    "certify": lambda app, e, b, c, day: app.certify_enterprise(e, on=day, actor=ADMIN),
    "decertify": lambda app, e, b, c, day: app.decertify_enterprise(
        e, reason="复核", on=day, actor=ADMIN
    ),
    "change_enterprise": lambda app, e, b, c, day: app.change_enterprise(
        e, actor=ADMIN, industry=["汽车", "建筑"][b % 2], above_designated_size=bool(c % 2)
    ),
    "correct_enterprise": lambda app, e, b, c, day: app.correct_enterprise(
        e, field="name", value=f"更正{b}", reason="录错", actor=ADMIN
    ),
}


AGREEMENT_STEPS: dict[str, Any] = {
    "countersign": lambda app, g, actor, c, day: app.countersign_agreement(g, on=day, actor=actor),
    "decline": lambda app, g, actor, c, day: app.decline_agreement(g, reason="不合适", actor=actor),
    "amend": lambda app, g, actor, c, day: app.propose_amendment(
        g,
        modes=[MODES[c % len(MODES)]],
        starts_on=DAY0,
        ends_on=DAY0 + timedelta(days=1000 + c),
        reason="调整",
        actor=actor,
    ),
    "accept": lambda app, g, actor, c, day: app.accept_amendment(g, actor=actor),
    "decline_amendment": lambda app, g, actor, c, day: app.decline_amendment(
        g, reason="不同意", actor=actor
    ),
    "withdraw_amendment": lambda app, g, actor, c, day: app.withdraw_amendment(
        g, reason="撤回", actor=actor
    ),
    "withdraw_proposal": lambda app, g, actor, c, day: app.withdraw_proposal(
        g, reason="误提", actor=actor
    ),
    "suspend": lambda app, g, actor, c, day: app.suspend_agreement(
        g, reason="停产", on=day, actor=actor
    ),
    "resume": lambda app, g, actor, c, day: app.resume_agreement(g, on=day, actor=actor),
    "terminate": lambda app, g, actor, c, day: app.terminate_agreement(
        g, reason="终止", on=day, actor=actor
    ),
    "invest": lambda app, g, actor, c, day: app.record_investment(
        g, kind="money", amount=Decimal(1000 + c) / 4, invested_on=day, actor=actor
    ),
    "correct_investment": lambda app, g, actor, c, day: app.correct_investment(
        g, number=1, amount=Decimal(7 + c), invested_on=day, reason="改", actor=actor
    ),
    "correct_title": lambda app, g, actor, c, day: app.correct_agreement(
        g, field="title", value=f"标题{c}", reason="改", actor=ADMIN
    ),
}


# every history starts with two schools (both majors open), two enterprises, and two
# agreements: one countersigned, one awaiting the school's signature
PRELUDE = [
    ("register_school", 0, 1, 0),
    ("register_school", 1, 0, 0),
    ("open_major", 0, 0, 1),
    ("open_major", 0, 1, 1),
    ("open_major", 1, 0, 1),
    ("open_major", 1, 1, 1),
    ("register_enterprise", 0, 0, 0),
    ("register_enterprise", 2, 1, 1),
    ("propose", 0, 1, 0),
    ("countersign", 0, 0, 0),
    ("propose", 1, 0, 3),
]


STEPS = [
    "register_school",
    "register_enterprise",
    "propose",
    "propose",
    "countersign",
    "countersign",
    "invest",
    *SCHOOL_STEPS,
    *ENTERPRISE_STEPS,
    *AGREEMENT_STEPS,
]


steps = st.lists(
    st.tuples(
        st.sampled_from(STEPS),
        st.integers(0, 5),
        st.integers(0, 5),
        st.integers(0, 20),
    ),
    min_size=3,
    max_size=30,
)
