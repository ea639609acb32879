"""The life of a cooperation agreement, from proposal to termination."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.actors import Actor
from domain.agreement import CooperationAgreement
from domain.enterprise import Enterprise
from domain.school import School
from registry.application import RegistryApplication
from registry.submissions import creates, once


class AgreementCommands(RegistryApplication):
    @creates("agreement_id")
    def propose_agreement(
        self,
        *,
        school_id: UUID,
        enterprise_id: UUID,
        title: str,
        modes: list[str],
        starts_on: date,
        ends_on: date,
        actor: Actor,
        majors: list[str] | None = None,
        agreement_id: UUID | None = None,
        planned_investment: Decimal | None = None,
        renews: UUID | None = None,
    ) -> UUID:
        """Propose an agreement; the enterprise may state its planned investment with it.
        ``renews``: the agreement between the same parties this one continues."""
        agreement = CooperationAgreement.propose(
            school=self.peek(School, school_id),
            enterprise_id=self.require_exists(Enterprise, enterprise_id),
            title=title,
            modes=modes,
            starts_on=starts_on,
            ends_on=ends_on,
            majors=majors or [],
            actor=actor,
            agreement_id=agreement_id,
            renews=None if renews is None else self.get(CooperationAgreement, renews),
        )
        if planned_investment is not None:
            agreement.plan_investment(amount=planned_investment, actor=actor)
        self.save_changes(agreement)
        return agreement.id

    @once()
    def plan_investment(self, agreement_id: UUID, *, amount: Decimal, actor: Actor) -> UUID:
        agreement = self.get(CooperationAgreement, agreement_id)
        agreement.plan_investment(amount=amount, actor=actor)
        self.save_changes(agreement)
        return agreement.id

    @once()
    def countersign_agreement(
        self, agreement_id: UUID, *, actor: Actor, on: date | None = None
    ) -> UUID:
        agreement = self.get(CooperationAgreement, agreement_id)
        agreement.countersign(on=self.day(on), actor=actor)
        self.save_changes(agreement)
        return agreement.id

    @once()
    def decline_agreement(self, agreement_id: UUID, *, reason: str, actor: Actor) -> UUID:
        agreement = self.get(CooperationAgreement, agreement_id)
        agreement.decline(reason=reason, actor=actor)
        self.save_changes(agreement)
        return agreement.id

    @once()
    def withdraw_proposal(self, agreement_id: UUID, *, reason: str, actor: Actor) -> UUID:
        agreement = self.get(CooperationAgreement, agreement_id)
        agreement.withdraw_proposal(reason=reason, actor=actor)
        self.save_changes(agreement)
        return agreement.id

    @once()
    def propose_amendment(
        self,
        agreement_id: UUID,
        *,
        modes: list[str],
        starts_on: date,
        ends_on: date,
        reason: str,
        actor: Actor,
        majors: list[str] | None = None,
    ) -> UUID:
        agreement = self.get(CooperationAgreement, agreement_id)
        agreement.propose_amendment(
            school=self.get(School, agreement.school_id),
            modes=modes,
            starts_on=starts_on,
            ends_on=ends_on,
            majors=majors or [],
            reason=reason,
            actor=actor,
        )
        self.save_changes(agreement)
        return agreement.id

    @once()
    def accept_amendment(self, agreement_id: UUID, *, actor: Actor) -> UUID:
        agreement = self.get(CooperationAgreement, agreement_id)
        agreement.accept_amendment(actor=actor)
        self.save_changes(agreement)
        return agreement.id

    @once()
    def decline_amendment(self, agreement_id: UUID, *, reason: str, actor: Actor) -> UUID:
        agreement = self.get(CooperationAgreement, agreement_id)
        agreement.decline_amendment(reason=reason, actor=actor)
        self.save_changes(agreement)
        return agreement.id

    @once()
    def withdraw_amendment(self, agreement_id: UUID, *, reason: str, actor: Actor) -> UUID:
        agreement = self.get(CooperationAgreement, agreement_id)
        agreement.withdraw_amendment(reason=reason, actor=actor)
        self.save_changes(agreement)
        return agreement.id

    @once()
    def suspend_agreement(
        self, agreement_id: UUID, *, reason: str, actor: Actor, on: date | None = None
    ) -> UUID:
        agreement = self.get(CooperationAgreement, agreement_id)
        agreement.suspend(on=self.day(on), reason=reason, actor=actor)
        self.save_changes(agreement)
        return agreement.id

    @once()
    def resume_agreement(self, agreement_id: UUID, *, actor: Actor, on: date | None = None) -> UUID:
        agreement = self.get(CooperationAgreement, agreement_id)
        agreement.resume(on=self.day(on), actor=actor)
        self.save_changes(agreement)
        return agreement.id

    @once()
    def terminate_agreement(
        self, agreement_id: UUID, *, reason: str, actor: Actor, on: date | None = None
    ) -> UUID:
        agreement = self.get(CooperationAgreement, agreement_id)
        agreement.terminate(on=self.day(on), reason=reason, actor=actor)
        self.save_changes(agreement)
        return agreement.id

    @once()
    def record_investment(
        self,
        agreement_id: UUID,
        *,
        kind: str,
        amount: Decimal,
        invested_on: date,
        actor: Actor,
        description: str = "",
    ) -> UUID:
        agreement = self.get(CooperationAgreement, agreement_id)
        agreement.record_investment(
            kind=kind,
            amount=amount,
            invested_on=invested_on,
            description=description,
            actor=actor,
        )
        self.save_changes(agreement)
        return agreement.id

    @once()
    def correct_investment(
        self,
        agreement_id: UUID,
        *,
        number: int,
        amount: Decimal,
        invested_on: date,
        reason: str,
        actor: Actor,
    ) -> UUID:
        agreement = self.get(CooperationAgreement, agreement_id)
        agreement.correct_investment(
            number=number, amount=amount, invested_on=invested_on, reason=reason, actor=actor
        )
        self.save_changes(agreement)
        return agreement.id

    @once()
    def correct_agreement(
        self, agreement_id: UUID, *, field: str, value: Any, reason: str, actor: Actor
    ) -> UUID:
        agreement = self.get(CooperationAgreement, agreement_id)
        agreement.correct(field=field, value=value, reason=reason, actor=actor)
        self.save_changes(agreement)
        return agreement.id
