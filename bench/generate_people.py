"""The rest of a benchmark registry: groups, returns, teachers, students, placements, policies.

Built through the domain's own commands like bench/generate.py, on top of its schools,
enterprises and a first batch of agreements, in a mix a province's registry would hold:
per placement a student (personal data sealed with a key of the student's own), cohort
policies each school renews year by year (now and then a year is missed, so cover lapses
and some placements wait for cover), apprentices insured by their enterprise, tripartite agreements,
working arrangements (a few with overtime, night shifts, holiday work or low pay), fees,
incidents, early ends and suspensions, placements left running past their end, refused
intermediary attempts; teachers' practice at practice-station agreements; annual returns
for 2020–2024 with deadlines, late filings, corrections and a few missing; training groups
with parks and associations in every stage.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from domain.actors import Actor, Role
from domain.agreement import CooperationAgreement, Mode, Status
from domain.annual_return import AnnualReturn, ReturnDeadline
from domain.errors import DomainError
from domain.insurance import InsurancePolicy
from domain.organisation import Organisation
from domain.placement import (
    DEFAULT_REQUIRED_COVER,
    PLACEMENT_MODES,
    IntermediaryAttempt,
    Placement,
    last_day_within_six_months,
)
from domain.prefectures import PREFECTURES
from domain.student import Student, StudentFacts, age_on, school_year_on
from domain.teacher_practice import TeacherPractice, active_spans
from domain.training_group import TrainingGroup
from domain.uscc import with_check_character
from registry.personal_data import seal
from registry.stores.key_store import new_key

if TYPE_CHECKING:
    from bench.generate import Generator

NOW = date(2026, 11, 1)
YEARS = range(2019, 2027)
RETURN_YEARS = range(2020, 2025)
KINDS = ["post_internship"] * 6 + ["cognitive_internship"] * 3 + ["apprenticeship"]
SCHOOL_COVER = ("internship_liability", "personal_accident")


def acting(party_id: UUID | None) -> Actor:
    return Actor("bench", Role.SYSTEM, party_id)


class People:
    """Adds the records that follow from parties and agreements, saving in chunks."""

    def __init__(self, base: Generator, agreements: list[CooperationAgreement]) -> None:
        self.base, self.rng, self.agreements = base, base.rng, agreements
        self.policies: dict[tuple[UUID, str], InsurancePolicy] = {}
        self.system = acting(None)

    # --- annual returns -----------------------------------------------------------------------

    def returns(self) -> None:
        rng, created = self.rng, list[Any]()
        for year in RETURN_YEARS:
            due_on = date(year + 1, 3, 31)
            created.append(ReturnDeadline.set(year=year, due_on=due_on, actor=self.system))
            for school in self.base.schools:
                if school.established_on.year > year or rng.random() < 0.02:
                    continue  # not yet established, or a return never filed
                students = rng.randint(800, 4000)
                graduates = rng.randint(200, students // 3)
                figures = {
                    "enrollment": rng.randint(students // 4, students // 2),
                    "students": students,
                    "senior_students": rng.randint(0, students // 2),
                    "graduates": graduates,
                    "employed": graduates - rng.randint(0, graduates // 20),
                    "training_person_times": rng.randint(300, 3000),
                }
                recorded_on = due_on + timedelta(days=rng.randint(-60, 10))
                filed = AnnualReturn.file(
                    school=school,
                    year=year,
                    figures=figures,
                    recorded_on=recorded_on,
                    deadline=due_on,
                    actor=acting(school.id),
                )
                if rng.random() < 0.06:
                    filed.correct(
                        figures={**figures, "employed": figures["employed"] - 1},
                        reason="就业人数按派遣口径核定",
                        recorded_on=recorded_on + timedelta(days=rng.randint(5, 90)),
                        actor=acting(school.id),
                    )
                created.append(filed)
        self.base.save(created)

    # --- training groups --------------------------------------------------------------------

    def groups(self, count: int) -> None:
        rng, base = self.rng, self.base
        organisations = [
            Organisation.register(
                uscc=with_check_character(f"{prefix}{prefecture}MC{serial:07d}"),
                name=f"{PREFECTURES[prefecture]}产业园区{serial}",
                kind="industry_park" if prefix == "11" else "association",
                prefecture=prefecture,
                actor=self.system,
            )
            for serial, prefecture in enumerate(list(PREFECTURES) * 2, start=1)
            for prefix in ("11" if serial % 3 else "51",)
        ]
        base.save(organisations)
        colleges = [s for s in base.schools if s.kind.value == "technician_college"]
        created: list[Any] = []
        for _ in range(min(count, len(colleges))):
            lead = rng.choice(colleges)
            proposed_on = date(2021, 10, 1) + timedelta(days=rng.randint(0, 1200))
            group = TrainingGroup.propose(
                lead=lead,
                name=f"{PREFECTURES[lead.prefecture]}技师学院集团{len(created) + 1}",
                prefectures=[lead.prefecture],
                industry_focus=rng.choice(["装备制造", "电子信息", "现代服务业"]),
                proposed_on=proposed_on,
                actor=acting(lead.id),
            )
            secretariat = acting(group.id)
            parties: list[Any] = [
                *rng.sample([s for s in base.schools if s.id != lead.id], rng.randint(0, 3)),
                *rng.sample(base.enterprises, rng.randint(0, 3)),
                *rng.sample(organisations, rng.randint(0, 2)),
            ]
            day = proposed_on
            for party in parties:
                day += timedelta(days=rng.randint(1, 60))
                group.admit(party=party, on=day, actor=secretariat, lead=lead)
            if rng.random() < 0.75 and not any(group.charter_shortfall(day).values()):
                group.charter(on=day + timedelta(days=30), actor=secretariat, lead=lead)
                if rng.random() < 0.6:
                    group.declare_operating(
                        on=day + timedelta(days=120), actor=secretariat, lead=lead
                    )
                if rng.random() < 0.1:
                    group.dissolve(
                        on=day + timedelta(days=500), reason="整合", actor=secretariat, lead=lead
                    )
            created.append(group)
        base.save(created)

    # --- teachers' practice -------------------------------------------------------------------

    def teachers(self) -> None:
        rng, created = self.rng, list[TeacherPractice]()
        stations = [
            a
            for a in self.agreements
            if Mode.TEACHER_PRACTICE_STATION in a.terms.modes and active_spans(a)
        ]
        schools = {s.id: s for s in self.base.schools}
        for number, agreement in enumerate(stations):
            school = schools[agreement.school_id]
            for k in range(rng.randint(1, 3)):
                teacher = TeacherPractice.register(
                    school=school, staff_number=f"T{number:06d}{k}", actor=acting(school.id)
                )
                start, end = active_spans(agreement)[0]
                day = start
                for _ in range(rng.randint(1, 3)):
                    day += timedelta(days=rng.randint(0, 120))
                    last = day + timedelta(days=rng.randint(30, 200))
                    if last > end:
                        break
                    teacher.log_period(
                        agreement=agreement, starts_on=day, ends_on=last, actor=acting(school.id)
                    )
                    day = last + timedelta(days=1)
                if not teacher.periods:
                    continue
                if rng.random() < 0.03:
                    teacher.cancel_period(number=1, reason="误录", actor=acting(school.id))
                created.append(teacher)
        for i in range(0, len(created), 400):
            self.base.save(created[i : i + 400])

    # --- students, placements and their insurance --------------------------------------------

    def policy(self, holder_id: UUID, kind: str) -> InsurancePolicy:
        """The holder's policy of ``kind``, registered for 2019 and renewed year by year
        (about one year in twenty missed, so cover lapses)."""
        found = self.policies.get((holder_id, kind))
        if found is None:
            found = InsurancePolicy.register(
                holder_id=holder_id,
                kind=kind,
                insurer="中国人民财产保险股份有限公司四川省分公司",
                policy_number=str(uuid4())[:18],
                covers_from=date(YEARS[0], 1, 1),
                covers_until=date(YEARS[0], 12, 31),
                actor=acting(holder_id),
            )
            for year in YEARS[1:]:
                if self.rng.random() >= 0.05:
                    found.renew(
                        covers_from=date(year, 1, 1),
                        covers_until=date(year, 12, 31),
                        actor=acting(holder_id),
                    )
            self.policies[(holder_id, kind)] = found
        return found

    def placements(self, count: int) -> None:
        rng = self.rng
        usable = [
            a
            for a in self.agreements
            if PLACEMENT_MODES.intersection(a.terms.modes) and a.status is not Status.DECLINED
        ]
        usable = [a for a in usable if any((b - a_).days >= 60 for a_, b in active_spans(a))]
        schools = {s.id: s for s in self.base.schools}
        made = 0
        while made < count and usable:
            chunk: list[Any] = []
            cohorts: dict[tuple[UUID, str], list[Placement]] = defaultdict(list)
            batch = []
            for _ in range(min(200, count - made)):
                agreement = rng.choice(usable)
                found = self._placement(agreement, schools[agreement.school_id], chunk)
                if found is not None:
                    batch.append(found)
                    placement = found[0]
                    for kind in placement.required_cover:
                        work_injury = kind == "work_injury"
                        holder = placement.enterprise_id if work_injury else placement.school_id
                        cohorts[(holder, kind)].append(placement)
                made += 1
            covering: dict[UUID, list[InsurancePolicy]] = defaultdict(list)
            for (holder, kind), placed in cohorts.items():
                policy = self.policy(holder, kind)
                # cover begins within a period of the policy: a cohort starting in a year
                # the policy missed is added from its next period, or not at all
                first = min(p.starts_on for p in placed)
                on = next(
                    (max(first, p.starts_on) for p in policy.periods if p.ends_on >= first),
                    None,
                )
                if on is None:
                    continue
                policy.add_placements(placements=placed, on=on, actor=acting(holder))
                for placement in placed:
                    placement.link_policy(policy=policy, actor=acting(holder))
                    covering[placement.id].append(policy)
                chunk.append(policy)
            for placement, agreement, facts in batch:
                self._run(placement, agreement, facts, covering[placement.id])
            self.base.save(chunk)

    def _placement(
        self, agreement: CooperationAgreement, school: Any, chunk: list[Any]
    ) -> tuple[Placement, CooperationAgreement, StudentFacts] | None:
        rng = self.rng
        span_start, span_end = rng.choice(
            [(a, b) for a, b in active_spans(agreement) if (b - a).days >= 60]
        )
        starts_on = span_start + timedelta(days=rng.randint(0, (span_end - span_start).days - 60))
        kind = rng.choice(KINDS)
        if kind == "apprenticeship" and Mode.APPRENTICESHIP not in agreement.terms.modes:
            kind = "post_internship"
        limit = {
            "post_internship": last_day_within_six_months(starts_on),
            "cognitive_internship": starts_on + timedelta(days=rng.randint(14, 60)),
            "apprenticeship": starts_on + timedelta(days=rng.randint(180, 540)),
        }[kind]
        ends_on = min(limit, span_end, starts_on + timedelta(days=rng.randint(59, 200)))
        entry_year = starts_on.year - 2
        born = date(entry_year - 16, rng.randint(1, 12), rng.randint(1, 28))
        student_id = uuid4()
        key = new_key()
        student = Student.register(
            student_id=student_id,
            school=school,
            name=seal(key, student_id, f"学生{student_id.hex[:6]}"),
            id_number=seal(key, student_id, f"510104{born:%Y%m%d}1234"),
            birth_date=seal(key, student_id, born.isoformat()),
            gender=rng.choice(["female", "male"]),
            entry_year=entry_year,
            major=rng.choice(school.open_majors()),
            actor=acting(school.id),
        )
        chunk.append(student)
        facts = StudentFacts(
            student_id, school.id, age_on(born, starts_on), school_year_on(entry_year, starts_on)
        )
        if rng.random() < 0.005:
            chunk.append(
                IntermediaryAttempt.record(
                    student=facts,
                    agreement=agreement,
                    kind=kind,
                    intermediary="某人力资源服务公司",
                    actor=acting(school.id),
                )
            )
            return None
        placement = Placement.register(
            student=facts,
            agreement=agreement,
            kind=kind,
            position="数控车床操作",
            workplace_prefecture=school.prefecture,
            starts_on=starts_on,
            ends_on=ends_on,
            pay=Decimal(rng.randrange(2000, 5000)),
            mentor="E-0101",
            supervising_teacher="T-0201",
            required_cover=DEFAULT_REQUIRED_COVER[kind],
            actor=acting(school.id),
        )
        student.assign_placement(
            placement_id=placement.id,
            enterprise_id=agreement.enterprise_id,
            actor=acting(school.id),
        )
        if rng.random() < 0.01:
            student.forget(basis="PIPL art. 47(1)", requested_by="student", actor=self.system)
        chunk.append(placement)
        return placement, agreement, facts

    def _run(
        self,
        placement: Placement,
        agreement: CooperationAgreement,
        facts: StudentFacts,
        policies: list[InsurancePolicy],
    ) -> None:
        """Start, work and end a placement the way placements go."""
        rng, school = self.rng, acting(placement.school_id)
        host = acting(placement.enterprise_id)
        if rng.random() < 0.05 or placement.starts_on > NOW:
            return  # registered, not started yet
        if placement.kind.value == "post_internship":
            placement.record_tripartite_agreement(signed_on=placement.starts_on, actor=school)
        try:
            placement.start(
                on=placement.starts_on,
                agreement=agreement,
                student=facts,
                policies=policies,
                actor=school,
            )
        except DomainError:
            return  # cover missing that year: it waits
        wage = Decimal(rng.randrange(3000, 6000))
        placement.record_working_arrangement(
            effective_on=placement.starts_on,
            pay=wage * Decimal("0.7") if rng.random() < 0.05 else wage,
            post_wage=wage,
            night_shifts=rng.random() < 0.02,
            overtime=rng.random() < 0.03,
            holiday_work=rng.random() < 0.01,
            actor=host,
        )
        if rng.random() < 0.01:
            placement.report_fee(
                amount=Decimal(rng.randrange(100, 2000)),
                purpose="实习管理费",
                reported_by="学生反映",
                charged_on=placement.starts_on + timedelta(days=10),
                actor=self.system,
            )
        if rng.random() < 0.02:
            placement.record_incident(
                occurred_on=placement.starts_on + timedelta(days=20),
                severity="minor",
                description="轻微划伤",
                actor=host,
            )
        fate = rng.random()
        if fate < 0.05:
            placement.suspend(
                on=placement.starts_on + timedelta(days=15), reason="停工", actor=host
            )
            if rng.random() < 0.7:
                placement.resume(on=placement.starts_on + timedelta(days=30), actor=host)
            return
        if placement.ends_on >= NOW or fate < 0.1:
            return  # still running (some well past their planned end)
        if fate < 0.2:
            placement.end_early(
                on=placement.starts_on + timedelta(days=rng.randint(1, 50)),
                reason="学生因病休学",
                actor=school,
            )
        else:
            placement.complete(on=placement.ends_on, actor=school)
