"""Province indicators answered from the log on demand (专栏1 items 3–8).

The annual review's projection keeps these in a read model; these one-pass folds over the
relevant event topics serve the command line and tests. They use effective dates for groups
and the recorded day of each filing or correction for returns.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.annual_return import FIGURES, AnnualReturn
from domain.training_group import TrainingGroup
from registry.application import RegistryApplication


def events_of(
    app: RegistryApplication, aggregate: type, *names: str, batch: int = 1000
) -> Iterator[Any]:
    """The aggregate's events of the given names (e.g. ``"Filed"``), in log order."""
    topics = [f"{get_topic(aggregate)}.{name}" for name in names]
    start = 0
    while True:
        notifications = app.recorder.select_notifications(
            start=start, limit=batch, topics=topics, inclusive_of_start=False
        )
        if not notifications:
            return
        for notification in notifications:
            yield app.mapper.to_domain_event(notification)
        start = notifications[-1].id


@dataclass(frozen=True)
class GroupProgress:
    group_id: UUID
    name: str
    lead_id: UUID
    stage: str
    proposed_on: date
    chartered_on: date | None
    operating_from: date | None
    dissolved_on: date | None
    formed: bool
    members: int
    lacks: dict[str, int]


def _by(day: date | None, on: date) -> date | None:
    return day if day is not None and day <= on else None


def group_progress(app: RegistryApplication, on: date) -> list[GroupProgress]:
    """Every group proposed by ``on``: its stage, whether it counts as formed, what it lacks."""
    progress = []
    for proposed in events_of(app, TrainingGroup, "Proposed"):
        group = app.get(TrainingGroup, proposed.originator_id)
        if group.proposed_on > on:
            continue
        chartered_on = _by(group.chartered_on, on)
        dissolved_on = _by(group.dissolved_on, on)
        progress.append(
            GroupProgress(
                group_id=group.id,
                name=group.name,
                lead_id=group.lead_on(on),
                stage=group.stage_on(on).value,
                proposed_on=group.proposed_on,
                chartered_on=chartered_on,
                operating_from=_by(group.operating_from, on),
                dissolved_on=dissolved_on,
                formed=group.is_formed_on(on),
                members=len(group.members_on(on)),
                lacks={} if chartered_on or dissolved_on else group.charter_shortfall(on),
            )
        )
    return sorted(progress, key=lambda p: (p.proposed_on, p.name))


@dataclass
class ReturnTotals:
    """Province sums of one year's returns; shares and rates are ratios of these sums."""

    year: int
    returns: int = 0
    late: int = 0
    corrected: int = 0
    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))

    @staticmethod
    def _percent(part: int, whole: int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def senior_share(self) -> Decimal | None:
        """高级工班以上在校生比例, % of students, one decimal."""
        return self._percent(self.sums["senior_students"], self.sums["students"])

    @property
    def employment_rate(self) -> Decimal | None:
        """毕业生初次就业率, % of graduates, one decimal."""
        return self._percent(self.sums["employed"], self.sums["graduates"])


def return_totals(app: RegistryApplication, year: int, by: date | None = None) -> ReturnTotals:
    """Sums of the year's returns as corrected since, or as recorded by the end of ``by``
    (the year's deadline gives "as filed by the deadline")."""
    figures: dict[UUID, dict[str, int]] = {}
    late: set[UUID] = set()
    corrected: set[UUID] = set()
    for domain_event in events_of(app, AnnualReturn, "Filed", "Corrected"):
        return_id = domain_event.originator_id
        if by is not None and domain_event.recorded_on > by:
            continue
        if type(domain_event).__name__ == "Filed":
            if domain_event.year != year:
                continue
            if domain_event.late:
                late.add(return_id)
        elif return_id not in figures:
            continue
        else:
            corrected.add(return_id)
        figures[return_id] = dict(domain_event.figures)
    totals = ReturnTotals(year, returns=len(figures), late=len(late), corrected=len(corrected))
    for values in figures.values():
        for name in FIGURES:
            totals.sums[name] += values[name]
    return totals
