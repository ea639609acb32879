"""The formation of training groups: proposal, members, charter, operation, lead, dissolution.

Every step passes the group's current lead college to the domain, which refuses a withdrawn
lead's users; admitting a party or handing over the lead passes that party too.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.actors import Actor
from domain.enterprise import Enterprise
from domain.group_rules import Party
from domain.organisation import Organisation
from domain.school import School
from domain.training_group import TrainingGroup
from registry.application import RegistryApplication
from registry.errors import NotFound
from registry.submissions import creates, once


class GroupCommands(RegistryApplication):
    @creates("group_id")
    def propose_group(
        self,
        *,
        lead_id: UUID,
        name: str,
        prefectures: list[str],
        industry_focus: str,
        actor: Actor,
        proposed_on: date | None = None,
        group_id: UUID | None = None,
    ) -> UUID:
        group = TrainingGroup.propose(
            lead=self.get(School, lead_id),
            name=name,
            prefectures=prefectures,
            industry_focus=industry_focus,
            proposed_on=self.day(proposed_on),
            actor=actor,
            group_id=group_id,
        )
        self.save_changes(group)
        return group.id

    def _group_and_lead(self, group_id: UUID) -> tuple[TrainingGroup, School]:
        group = self.get(TrainingGroup, group_id)
        return group, self.get(School, group.lead_id)

    def party(self, party_id: UUID) -> Party:
        """The school, enterprise, industry park or association registered with that id."""
        if self.exists(party_id):
            found: Aggregate = self.repository.get(party_id)
            if isinstance(found, School | Enterprise | Organisation):
                return found
        raise NotFound(kind="party", id=str(party_id))

    @once()
    def admit_to_group(
        self, group_id: UUID, *, party_id: UUID, actor: Actor, on: date | None = None
    ) -> UUID:
        group, lead = self._group_and_lead(group_id)
        group.admit(party=self.party(party_id), on=self.day(on), actor=actor, lead=lead)
        self.save_changes(group)
        return group.id

    @once()
    def remove_from_group(
        self,
        group_id: UUID,
        *,
        party_id: UUID,
        reason: str,
        actor: Actor,
        on: date | None = None,
    ) -> UUID:
        group, lead = self._group_and_lead(group_id)
        group.remove(party_id=party_id, on=self.day(on), reason=reason, actor=actor, lead=lead)
        self.save_changes(group)
        return group.id

    @once()
    def charter_group(self, group_id: UUID, *, actor: Actor, on: date | None = None) -> UUID:
        group, lead = self._group_and_lead(group_id)
        group.charter(on=self.day(on), actor=actor, lead=lead)
        self.save_changes(group)
        return group.id

    @once()
    def declare_group_operating(
        self, group_id: UUID, *, actor: Actor, on: date | None = None
    ) -> UUID:
        group, lead = self._group_and_lead(group_id)
        group.declare_operating(on=self.day(on), actor=actor, lead=lead)
        self.save_changes(group)
        return group.id

    @once()
    def hand_over_group_lead(
        self, group_id: UUID, *, to_id: UUID, actor: Actor, on: date | None = None
    ) -> UUID:
        group, lead = self._group_and_lead(group_id)
        group.hand_over_lead(to=self.get(School, to_id), on=self.day(on), actor=actor, lead=lead)
        self.save_changes(group)
        return group.id

    @once()
    def dissolve_group(
        self, group_id: UUID, *, reason: str, actor: Actor, on: date | None = None
    ) -> UUID:
        group, lead = self._group_and_lead(group_id)
        group.dissolve(on=self.day(on), reason=reason, actor=actor, lead=lead)
        self.save_changes(group)
        return group.id

    @once()
    def correct_group(
        self, group_id: UUID, *, field: str, value: Any, reason: str, actor: Actor
    ) -> UUID:
        group, lead = self._group_and_lead(group_id)
        group.correct(field=field, value=value, reason=reason, actor=actor, lead=lead)
        self.save_changes(group)
        return group.id
