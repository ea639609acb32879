"""A large registry for benchmarks: ``python -m bench.generate DIR [EVENTS]``.

Every event comes from the domain's own commands, so the log is one the registry could have
written: schools with majors, enterprises (some certified, some changed or corrected), and
cooperation agreements through their whole lifecycle — countersigned or declined, invested
in, amended, suspended and resumed, terminated. Aggregates are saved many at a time
(``save_changes`` of a few hundred aggregates per transaction) so generating is fast.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.generate_people import People
from domain.actors import Actor, Role
from domain.agreement import CooperationAgreement, Mode
from domain.enterprise import Enterprise
from domain.prefectures import PREFECTURES
from domain.school import School
from domain.uscc import with_check_character
from registry.config import Settings
from registry.facade import Registry

SYSTEM = Actor("bench", Role.SYSTEM)
KINDS = ["technical_school", "senior_technical_school", "technician_college"]
MAJORS = [
    "数控加工",
    "汽车维修",
    "电气自动化",
    "计算机网络",
    "电子商务",
    "中式烹调",
    "护理",
    "焊接",
]
INDUSTRIES = [
    "装备制造",
    "电子信息",
    "汽车",
    "食品饮料",
    "能源化工",
    "建筑",
    "现代物流",
    "数字经济",
]
OWNERSHIP = ["private", "state_owned", "mixed", "foreign"]
CHUNK = 400
# bump when the generated log changes, so cached logs (bench/projection.py) are made again
GENERATOR_VERSION = 2


def acting(party_id: Any) -> Actor:
    return Actor("bench", Role.SYSTEM, party_id)


class Generator:
    def __init__(self, app: Registry, seed: int) -> None:
        self.app = app
        self.rng = random.Random(seed)
        self.prefectures = list(PREFECTURES)
        self.events = 0
        self.number = 0
        self.schools: list[School] = []
        self.enterprises: list[Enterprise] = []

    def save(self, aggregates: list[Any]) -> None:
        self.events += sum(len(a.pending_events) for a in aggregates)
        self.app.save_changes(*aggregates)

    def schools_with_majors(self, count: int) -> None:
        rng = self.rng
        for serial in range(1, count + 1):
            prefecture = self.prefectures[serial % len(self.prefectures)]
            school = School.register(
                uscc=with_check_character(f"12{prefecture}MB{serial:07d}"),
                name=f"{PREFECTURES[prefecture]}第{serial}技工学校",
                kind=rng.choice(KINDS[:2]),
                prefecture=prefecture,
                established_on=date(1990 + serial % 30, 9, 1),
                actor=SYSTEM,
            )
            for major in rng.sample(MAJORS, rng.randint(3, 6)):
                school.open_major(name=major, year=rng.randint(2005, 2020), actor=SYSTEM)
            if serial % 4 == 0:
                school.upgrade(to_kind="technician_college", on=date(2021, 9, 1), actor=SYSTEM)
            self.schools.append(school)
        self.save(self.schools)

    def enterprises_of(self, count: int) -> None:
        rng, start = self.rng, len(self.enterprises)
        created = []
        for serial in range(start + 1, start + count + 1):
            prefecture = rng.choice(self.prefectures)
            enterprise = Enterprise.register(
                uscc=with_check_character(f"91{prefecture}MA{serial:07d}"),
                name=f"四川测试{serial}有限公司",
                prefecture=prefecture,
                industry=rng.choice(INDUSTRIES),
                above_designated_size=rng.random() < 0.6,
                ownership=rng.choice(OWNERSHIP),
                actor=SYSTEM,
            )
            if rng.random() < 0.2:
                enterprise.certify(on=date(rng.randint(2019, 2024), 6, 1), actor=SYSTEM)
                if rng.random() < 0.25:
                    enterprise.decertify(on=date(2025, 1, 1), reason="复核未通过", actor=SYSTEM)
            if rng.random() < 0.1:
                enterprise.change_attributes(
                    effective_on=date(2023, 1, 1), actor=SYSTEM, above_designated_size=True
                )
            if rng.random() < 0.02:
                enterprise.correct(
                    field="name", value=f"四川更正{serial}有限公司", reason="录入错误", actor=SYSTEM
                )
            created.append(enterprise)
        self.enterprises.extend(created)
        for i in range(0, len(created), CHUNK):
            self.save(created[i : i + CHUNK])

    def agreement(self, number: int) -> CooperationAgreement:
        rng = self.rng
        school, enterprise = rng.choice(self.schools), rng.choice(self.enterprises)
        modes = rng.sample([m.value for m in Mode], rng.randint(1, 3))
        starts_on = date(rng.randint(2019, 2025), rng.randint(1, 12), 1)
        ends_on = starts_on.replace(year=starts_on.year + 3) - timedelta(days=1)
        majors = [rng.choice(school.open_majors())] if "co_built_major" in modes else []
        by_school = rng.random() < 0.3
        proposer = acting(school.id if by_school else enterprise.id)
        other = acting(enterprise.id if by_school else school.id)
        agreement = CooperationAgreement.propose(
            school=school,
            enterprise_id=enterprise.id,
            title=f"校企合作协议{number}",
            modes=modes,
            starts_on=starts_on,
            ends_on=ends_on,
            majors=majors,
            actor=proposer,
        )
        fate = rng.random()
        if fate < 0.07:
            return agreement
        if fate < 0.15:
            agreement.decline(reason="方向不符", actor=other)
            return agreement
        agreement.countersign(on=starts_on - timedelta(days=10), actor=other)
        for _ in range(rng.choice([0, 1, 2, 3, 3, 4, 5])):
            agreement.record_investment(
                kind=rng.choice(["equipment", "money", "other"]),
                amount=Decimal(rng.randrange(10_000, 500_000)),
                invested_on=starts_on + timedelta(days=rng.randint(0, 1000)),
                description="实训设备",
                actor=acting(enterprise.id),
            )
        if agreement.investments and rng.random() < 0.05:
            agreement.correct_investment(
                number=1,
                amount=Decimal("12345.67"),
                invested_on=starts_on,
                reason="金额录入错误",
                actor=acting(enterprise.id),
            )
        if rng.random() < 0.1:
            agreement.propose_amendment(
                school=school,
                modes=[*modes, "curriculum"] if "curriculum" not in modes else modes,
                starts_on=starts_on,
                ends_on=ends_on + timedelta(days=365),
                majors=majors,
                reason="续期一年",
                actor=proposer,
            )
            answer = rng.random()
            if answer < 0.7:
                agreement.accept_amendment(actor=other)
            elif answer < 0.85:
                agreement.decline_amendment(reason="暂不续期", actor=other)
            else:
                agreement.withdraw_amendment(reason="暂不需要", actor=proposer)
        if rng.random() < 0.08:
            agreement.suspend(on=starts_on + timedelta(days=100), reason="停产整顿", actor=other)
            if rng.random() < 0.75:
                agreement.resume(on=starts_on + timedelta(days=200), actor=proposer)
        if rng.random() < 0.08:
            agreement.terminate(on=starts_on + timedelta(days=400), reason="协商终止", actor=other)
        if rng.random() < 0.02:
            agreement.correct(field="title", value=f"更正协议{number}", reason="笔误", actor=SYSTEM)
        return agreement

    def agreements_batch(self, count: int) -> list[CooperationAgreement]:
        """``count`` agreements, saved; later records (placements, practice) build on them."""
        made: list[CooperationAgreement] = []
        while len(made) < count:
            chunk = [
                self.agreement(self.number + 1 + i) for i in range(min(CHUNK, count - len(made)))
            ]
            self.number += len(chunk)
            self.save(chunk)
            made.extend(chunk)
        return made

    def agreements_until(self, events: int) -> None:
        while self.events < events:
            chunk = []
            for _ in range(CHUNK):
                self.number += 1
                chunk.append(self.agreement(self.number))
            self.save(chunk)


def generate(data_dir: Path, events: int = 200_000, seed: int = 2021) -> int:
    """Fill a fresh registry in ``data_dir`` with at least ``events`` events; return the count.

    About a third of the events are the people and records of bench/generate_people.py
    (placements and their students and policies, teachers, returns, groups); the rest are
    parties and agreements.
    """
    app = Registry(Settings(data_dir=data_dir))
    try:
        if app.max_position():
            raise ValueError(f"{data_dir} already holds a registry")
        generator = Generator(app, seed)
        generator.schools_with_majors(max(20, min(150, events // 1000)))
        generator.enterprises_of(max(50, events // 40))
        first = generator.agreements_batch(max(200, events // 20))
        people = People(generator, first)
        people.returns()
        people.groups(max(3, events // 7000))
        people.teachers()
        people.placements(max(50, events // 33))
        generator.agreements_until(events)
        return generator.events
    finally:
        app.close()


if __name__ == "__main__":
    count = generate(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 200_000)
    print(f"{count} events in {sys.argv[1]}")
