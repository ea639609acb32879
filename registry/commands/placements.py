"""Registering and running internships and apprenticeships, with their insurance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from domain.actors import Actor
from domain.agreement import CooperationAgreement
from domain.cover_requirements import COVER_REQUIREMENTS_ID, CoverRequirements
from domain.coverage import Lapse, lapses, missing_kinds
from domain.enterprise import Enterprise
from domain.insurance import InsurancePolicy, PlacementOfAnotherParty
from domain.placement import (
    DEFAULT_REQUIRED_COVER,
    IntermediaryAttempt,
    IntermediaryRefused,
    Placement,
)
from domain.school import School
from domain.student import Student
from registry.commands.student_reads import StudentReads
from registry.errors import NotFound
from registry.submissions import creates, once


class PlacementCommands(StudentReads):
    """Placements need students' derived facts, so they build on the students' reads."""

    def _enterprise_hosts_student(self, enterprise_id: UUID, student_id: UUID, on: date) -> bool:
        """An enterprise hosts a student while a placement of theirs with it runs."""
        student = self.get(Student, student_id)
        return any(
            host == enterprise_id and self.get(Placement, placement_id).is_running_on(on)
            for placement_id, host in student.placements.items()
        )

    # --- cover requirements ---------------------------------------------------------------

    def required_cover_for(self, placement_kind: str) -> list[str]:
        if not self.exists(COVER_REQUIREMENTS_ID):
            return list(DEFAULT_REQUIRED_COVER.get(placement_kind, []))
        return self.get(CoverRequirements, COVER_REQUIREMENTS_ID).required_for(placement_kind)

    @once(lambda _app, _kw: COVER_REQUIREMENTS_ID)
    def set_cover_requirement(
        self, *, placement_kind: str, policy_kinds: list[str], reason: str, actor: Actor
    ) -> UUID:
        if self.exists(COVER_REQUIREMENTS_ID):
            requirements = self.get(CoverRequirements, COVER_REQUIREMENTS_ID)
        else:
            requirements = CoverRequirements.establish(actor=actor)
        requirements.set_required(
            placement_kind=placement_kind, policy_kinds=policy_kinds, reason=reason, actor=actor
        )
        self.save_changes(requirements)
        return requirements.id

    # --- placements -------------------------------------------------------------------------

    @creates("placement_id")
    def register_placement(
        self,
        *,
        student_id: UUID,
        agreement_id: UUID,
        kind: str,
        position: str,
        workplace_prefecture: str,
        starts_on: date,
        ends_on: date,
        mentor: str,
        supervising_teacher: str,
        actor: Actor,
        pay: Decimal | None = None,
        duration_exception: str = "",
        intermediary: str = "",
        placement_id: UUID | None = None,
    ) -> UUID:
        """Register a placement; one arranged through an intermediary is recorded, then refused."""
        agreement = self.get(CooperationAgreement, agreement_id)
        facts = self.student_facts(
            student_id, on=starts_on, actor=actor, purpose="实习登记：年龄与学年核验"
        )
        if intermediary.strip():
            attempt = IntermediaryAttempt.record(
                student=facts,
                agreement=agreement,
                kind=kind,
                intermediary=intermediary,
                actor=actor,
                attempt_id=placement_id,
            )
            self.save_changes(attempt)
            raise IntermediaryRefused(attempt_id=str(attempt.id), intermediary=intermediary)
        placement = Placement.register(
            student=facts,
            agreement=agreement,
            kind=kind,
            position=position,
            workplace_prefecture=workplace_prefecture,
            starts_on=starts_on,
            ends_on=ends_on,
            pay=pay,
            mentor=mentor,
            supervising_teacher=supervising_teacher,
            required_cover=self.required_cover_for(kind),
            actor=actor,
            duration_exception=duration_exception,
            placement_id=placement_id,
        )
        student = self.get(Student, student_id)
        student.assign_placement(
            placement_id=placement.id, enterprise_id=placement.enterprise_id, actor=actor
        )
        self.save_changes(placement, student)
        return placement.id

    @once()
    def record_tripartite_agreement(
        self, placement_id: UUID, *, signed_on: date, actor: Actor
    ) -> UUID:
        placement = self.get(Placement, placement_id)
        placement.record_tripartite_agreement(signed_on=signed_on, actor=actor)
        self.save_changes(placement)
        return placement.id

    @once()
    def record_duration_exception(self, placement_id: UUID, *, reason: str, actor: Actor) -> UUID:
        placement = self.get(Placement, placement_id)
        placement.record_duration_exception(reason=reason, actor=actor)
        self.save_changes(placement)
        return placement.id

    def policies_of(self, placement: Placement) -> list[InsurancePolicy]:
        """The policies whose cover counts for the placement (held by one of its parties)."""
        linked = [self.get(InsurancePolicy, policy_id) for policy_id in placement.policy_ids]
        return placement.countable_policies(linked)

    @once()
    def start_placement(self, placement_id: UUID, *, actor: Actor, on: date | None = None) -> UUID:
        placement = self.get(Placement, placement_id)
        day = self.day(on)
        placement.start(
            on=day,
            agreement=self.get(CooperationAgreement, placement.agreement_id),
            student=self.student_facts(
                placement.student_id, on=day, actor=actor, purpose="实习开始：年龄与学年核验"
            ),
            policies=self.policies_of(placement),
            actor=actor,
        )
        self.save_changes(placement)
        return placement.id

    def missing_cover(self, placement_id: UUID, on: date) -> list[str]:
        """The required kinds of cover not in force on ``on`` (the check shown before start)."""
        placement = self.get(Placement, placement_id)
        return missing_kinds(
            placement.required_cover, self.policies_of(placement), placement.id, on
        )

    def cover_lapses(self, placement_id: UUID, until: date) -> list[Lapse]:
        """Each required kind's first day without cover while the placement runs."""
        placement = self.get(Placement, placement_id)
        if placement.started_on is None:
            return []
        end = min(until, placement.ended_on or until)
        return lapses(
            placement.required_cover,
            self.policies_of(placement),
            placement.id,
            placement.started_on,
            end,
        )

    @once()
    def suspend_placement(
        self, placement_id: UUID, *, reason: str, actor: Actor, on: date | None = None
    ) -> UUID:
        placement = self.get(Placement, placement_id)
        placement.suspend(on=self.day(on), reason=reason, actor=actor)
        self.save_changes(placement)
        return placement.id

    @once()
    def resume_placement(self, placement_id: UUID, *, actor: Actor, on: date | None = None) -> UUID:
        placement = self.get(Placement, placement_id)
        placement.resume(on=self.day(on), actor=actor)
        self.save_changes(placement)
        return placement.id

    @once()
    def complete_placement(
        self, placement_id: UUID, *, actor: Actor, on: date | None = None
    ) -> UUID:
        placement = self.get(Placement, placement_id)
        placement.complete(on=self.day(on), actor=actor)
        self.save_changes(placement)
        return placement.id

    @once()
    def end_placement_early(
        self, placement_id: UUID, *, reason: str, actor: Actor, on: date | None = None
    ) -> UUID:
        placement = self.get(Placement, placement_id)
        placement.end_early(on=self.day(on), reason=reason, actor=actor)
        self.save_changes(placement)
        return placement.id

    @once()
    def record_working_arrangement(
        self,
        placement_id: UUID,
        *,
        effective_on: date,
        pay: Decimal,
        actor: Actor,
        post_wage: Decimal | None = None,
        night_shifts: bool = False,
        overtime: bool = False,
        holiday_work: bool = False,
    ) -> UUID:
        placement = self.get(Placement, placement_id)
        placement.record_working_arrangement(
            effective_on=effective_on,
            pay=pay,
            post_wage=post_wage,
            night_shifts=night_shifts,
            overtime=overtime,
            holiday_work=holiday_work,
            actor=actor,
        )
        self.save_changes(placement)
        return placement.id

    @once()
    def report_fee(
        self,
        placement_id: UUID,
        *,
        amount: Decimal,
        purpose: str,
        reported_by: str,
        charged_on: date,
        actor: Actor,
    ) -> UUID:
        placement = self.get(Placement, placement_id)
        placement.report_fee(
            amount=amount,
            purpose=purpose,
            reported_by=reported_by,
            charged_on=charged_on,
            actor=actor,
        )
        self.save_changes(placement)
        return placement.id

    @once()
    def record_incident(
        self,
        placement_id: UUID,
        *,
        occurred_on: date,
        severity: str,
        description: str,
        actor: Actor,
    ) -> UUID:
        placement = self.get(Placement, placement_id)
        placement.record_incident(
            occurred_on=occurred_on, severity=severity, description=description, actor=actor
        )
        self.save_changes(placement)
        return placement.id

    @once()
    def file_claim(
        self, placement_id: UUID, *, policy_id: UUID, filed_on: date, amount: Decimal, actor: Actor
    ) -> int:
        placement = self.get(Placement, placement_id)
        if policy_id in placement.policy_ids:
            policy = self.get(InsurancePolicy, policy_id)
            if not policy.holder_is_party_of(placement):
                raise PlacementOfAnotherParty(
                    placement_id=str(placement.id), holder_id=str(policy.holder_id)
                )
        number = placement.file_claim(
            policy_id=policy_id, filed_on=filed_on, amount=amount, actor=actor
        )
        self.save_changes(placement)
        return number

    @once()
    def settle_claim(
        self,
        placement_id: UUID,
        *,
        number: int,
        outcome: str,
        amount_paid: Decimal,
        actor: Actor,
    ) -> UUID:
        placement = self.get(Placement, placement_id)
        placement.settle_claim(number=number, outcome=outcome, amount_paid=amount_paid, actor=actor)
        self.save_changes(placement)
        return placement.id

    # --- insurance policies -----------------------------------------------------------------

    @once(lambda _app, kw: InsurancePolicy.create_id(kw["insurer"], kw["policy_number"]))
    def register_policy(
        self,
        *,
        holder_id: UUID,
        kind: str,
        insurer: str,
        policy_number: str,
        covers_from: date,
        covers_until: date,
        actor: Actor,
    ) -> UUID:
        """Register a policy held by a school or an enterprise."""
        try:
            self.require_exists(School, holder_id)
        except NotFound:
            self.require_exists(Enterprise, holder_id)
        policy = InsurancePolicy.register(
            holder_id=holder_id,
            kind=kind,
            insurer=insurer,
            policy_number=policy_number,
            covers_from=covers_from,
            covers_until=covers_until,
            actor=actor,
        )
        self.save_changes(policy)
        return policy.id

    @once()
    def cover_placements(
        self, policy_id: UUID, *, placement_ids: list[UUID], actor: Actor, on: date | None = None
    ) -> UUID:
        """Put placements (a whole cohort at once) on a policy; one atomic save. Each must be
        a placement of the policy's holder (its school or enterprise), whoever acts."""
        policy = self.get(InsurancePolicy, policy_id)
        placements = [self.get(Placement, placement_id) for placement_id in placement_ids]
        policy.add_placements(placements=placements, on=self.day(on), actor=actor)
        for placement in placements:
            placement.link_policy(policy=policy, actor=actor)
        self.save_changes(policy, *placements)
        return policy.id

    @once()
    def remove_cross_party_placements(
        self, policy_id: UUID, *, placement_ids: list[UUID], reason: str, actor: Actor
    ) -> UUID:
        """Correct links recorded before the party rule: the placements come off the policy
        and forget it, in one save (closes their ``cross_party_cover`` findings)."""
        policy = self.get(InsurancePolicy, policy_id)
        placements = [self.get(Placement, placement_id) for placement_id in placement_ids]
        policy.remove_cross_party_placements(placements=placements, reason=reason, actor=actor)
        for placement in placements:
            placement.unlink_cross_party_policy(policy=policy, reason=reason, actor=actor)
        self.save_changes(policy, *placements)
        return policy.id

    @once()
    def uncover_placements(
        self, policy_id: UUID, *, placement_ids: list[UUID], actor: Actor, on: date | None = None
    ) -> UUID:
        policy = self.get(InsurancePolicy, policy_id)
        policy.remove_placements(placement_ids=placement_ids, on=self.day(on), actor=actor)
        self.save_changes(policy)
        return policy.id

    @once()
    def renew_policy(
        self, policy_id: UUID, *, covers_from: date, covers_until: date, actor: Actor
    ) -> UUID:
        policy = self.get(InsurancePolicy, policy_id)
        policy.renew(covers_from=covers_from, covers_until=covers_until, actor=actor)
        self.save_changes(policy)
        return policy.id

    @once()
    def extend_policy(self, policy_id: UUID, *, covers_until: date, actor: Actor) -> UUID:
        policy = self.get(InsurancePolicy, policy_id)
        policy.extend(covers_until=covers_until, actor=actor)
        self.save_changes(policy)
        return policy.id

    @once()
    def cancel_policy(
        self, policy_id: UUID, *, reason: str, actor: Actor, on: date | None = None
    ) -> UUID:
        policy = self.get(InsurancePolicy, policy_id)
        policy.cancel(on=self.day(on), reason=reason, actor=actor)
        self.save_changes(policy)
        return policy.id
