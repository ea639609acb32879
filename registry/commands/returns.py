"""Annual statistics returns and their filing deadlines.

Whether a return is late is decided here: the Asia/Shanghai day the registry records it,
compared with the year's deadline as it stands; the domain event records both and the mark.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from uuid import UUID

from domain.actors import Actor
from domain.annual_return import AnnualReturn, ReturnAlreadyFiled, ReturnDeadline
from domain.school import School
from registry.application import RegistryApplication
from registry.clock import today
from registry.submissions import once


class ReturnCommands(RegistryApplication):
    @once(lambda _app, kw: ReturnDeadline.create_id(kw["year"]))
    def set_return_deadline(self, *, year: int, due_on: date, actor: Actor) -> UUID:
        deadline = ReturnDeadline.set(year=year, due_on=due_on, actor=actor)
        self.save_changes(deadline)
        return deadline.id

    @once(lambda _app, kw: ReturnDeadline.create_id(kw["year"]))
    def move_return_deadline(self, *, year: int, due_on: date, reason: str, actor: Actor) -> UUID:
        deadline = self.get(ReturnDeadline, ReturnDeadline.create_id(year))
        deadline.move(due_on=due_on, reason=reason, actor=actor)
        self.save_changes(deadline)
        return deadline.id

    def return_deadline(self, year: int) -> date | None:
        deadline_id = ReturnDeadline.create_id(year)
        if not self.exists(deadline_id):
            return None
        return self.get(ReturnDeadline, deadline_id).due_on

    @once(lambda _app, kw: AnnualReturn.create_id(kw["school_id"], kw["year"]))
    def file_annual_return(
        self, *, school_id: UUID, year: int, figures: Mapping[str, object], actor: Actor
    ) -> UUID:
        return_id = AnnualReturn.create_id(school_id, year)
        if self.exists(return_id):
            raise ReturnAlreadyFiled(school_id=str(school_id), year=year)
        annual_return = AnnualReturn.file(
            school=self.get(School, school_id),
            year=year,
            figures=figures,
            recorded_on=today(),
            deadline=self.return_deadline(year),
            actor=actor,
        )
        self.save_changes(annual_return)
        return annual_return.id

    @once(lambda _app, kw: AnnualReturn.create_id(kw["school_id"], kw["year"]))
    def correct_annual_return(
        self,
        *,
        school_id: UUID,
        year: int,
        figures: Mapping[str, object],
        reason: str,
        actor: Actor,
    ) -> UUID:
        annual_return = self.get(AnnualReturn, AnnualReturn.create_id(school_id, year))
        annual_return.correct(figures=figures, reason=reason, recorded_on=today(), actor=actor)
        self.save_changes(annual_return)
        return annual_return.id
