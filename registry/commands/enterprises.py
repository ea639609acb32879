"""Registering enterprises, changing their attributes, certifying them."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.actors import Actor
from domain.enterprise import Enterprise
from registry.application import RegistryApplication
from registry.submissions import once


class EnterpriseCommands(RegistryApplication):
    @once(lambda _app, kw: Enterprise.create_id(kw["uscc"]))
    def register_enterprise(
        self,
        *,
        uscc: str,
        name: str,
        prefecture: str,
        industry: str,
        above_designated_size: bool,
        ownership: str,
        actor: Actor,
    ) -> UUID:
        enterprise = Enterprise.register(
            uscc=uscc,
            name=name,
            prefecture=prefecture,
            industry=industry,
            above_designated_size=above_designated_size,
            ownership=ownership,
            actor=actor,
        )
        self.save_changes(enterprise)
        return enterprise.id

    @once()
    def change_enterprise(
        self,
        enterprise_id: UUID,
        *,
        actor: Actor,
        effective_on: date | None = None,
        **changes: Any,
    ) -> UUID:
        enterprise = self.get(Enterprise, enterprise_id)
        enterprise.change_attributes(effective_on=self.day(effective_on), actor=actor, **changes)
        self.save_changes(enterprise)
        return enterprise.id

    @once()
    def certify_enterprise(
        self, enterprise_id: UUID, *, actor: Actor, on: date | None = None
    ) -> UUID:
        enterprise = self.get(Enterprise, enterprise_id)
        enterprise.certify(on=self.day(on), actor=actor)
        self.save_changes(enterprise)
        return enterprise.id

    @once()
    def decertify_enterprise(
        self, enterprise_id: UUID, *, reason: str, actor: Actor, on: date | None = None
    ) -> UUID:
        enterprise = self.get(Enterprise, enterprise_id)
        enterprise.decertify(on=self.day(on), reason=reason, actor=actor)
        self.save_changes(enterprise)
        return enterprise.id

    @once()
    def correct_enterprise(
        self, enterprise_id: UUID, *, field: str, value: Any, reason: str, actor: Actor
    ) -> UUID:
        enterprise = self.get(Enterprise, enterprise_id)
        enterprise.correct(field=field, value=value, reason=reason, actor=actor)
        self.save_changes(enterprise)
        return enterprise.id
