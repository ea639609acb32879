"""Registering industry parks and associations, the parties groups admit besides schools and
enterprises."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.actors import Actor
from domain.organisation import Organisation
from registry.application import RegistryApplication
from registry.submissions import once


class OrganisationCommands(RegistryApplication):
    @once(lambda _app, kw: Organisation.create_id(kw["uscc"]))
    def register_organisation(
        self, *, uscc: str, name: str, kind: str, prefecture: str, actor: Actor
    ) -> UUID:
        organisation = Organisation.register(
            uscc=uscc, name=name, kind=kind, prefecture=prefecture, actor=actor
        )
        self.save_changes(organisation)
        return organisation.id

    @once()
    def correct_organisation(
        self, organisation_id: UUID, *, field: str, value: Any, reason: str, actor: Actor
    ) -> UUID:
        organisation = self.get(Organisation, organisation_id)
        organisation.correct(field=field, value=value, reason=reason, actor=actor)
        self.save_changes(organisation)
        return organisation.id
