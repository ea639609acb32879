"""Registering schools, their upgrades, withdrawal and majors."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.actors import Actor
from domain.school import School
from registry.application import RegistryApplication
from registry.submissions import once


class SchoolCommands(RegistryApplication):
    @once(lambda _app, kw: School.create_id(kw["uscc"]))
    def register_school(
        self,
        *,
        uscc: str,
        name: str,
        kind: str,
        prefecture: str,
        established_on: date,
        actor: Actor,
    ) -> UUID:
        school = School.register(
            uscc=uscc,
            name=name,
            kind=kind,
            prefecture=prefecture,
            established_on=established_on,
            actor=actor,
        )
        self.save_changes(school)
        return school.id

    @once()
    def upgrade_school(
        self, school_id: UUID, *, to_kind: str, actor: Actor, on: date | None = None
    ) -> UUID:
        school = self.get(School, school_id)
        school.upgrade(to_kind=to_kind, on=self.day(on), actor=actor)
        self.save_changes(school)
        return school.id

    @once()
    def withdraw_school(
        self, school_id: UUID, *, reason: str, actor: Actor, on: date | None = None
    ) -> UUID:
        school = self.get(School, school_id)
        school.withdraw(on=self.day(on), reason=reason, actor=actor)
        self.save_changes(school)
        return school.id

    @once()
    def open_major(self, school_id: UUID, *, name: str, year: int, actor: Actor) -> UUID:
        school = self.get(School, school_id)
        school.open_major(name=name, year=year, actor=actor)
        self.save_changes(school)
        return school.id

    @once()
    def close_major(self, school_id: UUID, *, name: str, year: int, actor: Actor) -> UUID:
        school = self.get(School, school_id)
        school.close_major(name=name, year=year, actor=actor)
        self.save_changes(school)
        return school.id

    @once()
    def correct_school(
        self, school_id: UUID, *, field: str, value: Any, reason: str, actor: Actor
    ) -> UUID:
        school = self.get(School, school_id)
        school.correct(field=field, value=value, reason=reason, actor=actor)
        self.save_changes(school)
        return school.id
