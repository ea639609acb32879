"""A small world of schools and enterprises in several prefectures, with its read models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from projections.engine.read_models import ReadModels
from registry.facade import Registry
from tests.factories import ADMIN, enterprise_user, school_user, uscc


@dataclass
class World:
    app: Registry
    models: ReadModels
    chengdu_school: UUID
    mianyang_school: UUID
    chengdu_maker: UUID
    yibin_chipmaker: UUID

    def propose(
        self,
        school_id: UUID,
        enterprise_id: UUID,
        modes: list[str],
        starts_on: date = date(2024, 1, 1),
        ends_on: date = date(2026, 12, 31),
        countersign: bool = True,
    ) -> UUID:
        agreement_id = self.app.propose_agreement(
            school_id=school_id,
            enterprise_id=enterprise_id,
            title="校企合作协议",
            modes=modes,
            starts_on=starts_on,
            ends_on=ends_on,
            actor=enterprise_user(enterprise_id),
        )
        if countersign:
            self.app.countersign_agreement(
                agreement_id, on=date(2023, 12, 1), actor=school_user(school_id)
            )
        return agreement_id


def register_school(app: Registry, serial: int, prefecture: str, kind: str) -> UUID:
    school_id = app.register_school(
        uscc=uscc("12", serial, prefecture),
        name=f"学校{serial}",
        kind=kind,
        prefecture=prefecture,
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    app.open_major(school_id, name="数控加工", year=2018, actor=ADMIN)
    return school_id


def register_enterprise(app: Registry, serial: int, prefecture: str, industry: str) -> UUID:
    return app.register_enterprise(
        uscc=uscc("91", serial, prefecture),
        name=f"企业{serial}",
        prefecture=prefecture,
        industry=industry,
        above_designated_size=True,
        ownership="private",
        actor=ADMIN,
    )
