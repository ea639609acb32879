"""Compliance findings (rules in projections/finding_rules.py, docs/findings.md).

The findings view keeps the findings events open and close (projections/finding_book.py
for its tables; the handlers in projections/finding_placements.py and
projections/finding_majors.py). Findings about states that arrive without an event are
computed for the day asked (projections/computed_findings.py); the queries in
projections/finding_queries.py answer both kinds together.
"""

from __future__ import annotations

from sqlite_utils import Database

from projections import finding_majors, finding_placements
from projections.engine import View
from projections.finding_book import create_tables

# the handlers' working notes on schools, enterprises, co-builders, placements and policies:
# no query reads them, so they keep no versions (finding_agreements is read by the computed
# findings)
view = View(
    "findings",
    version=2,
    internal={
        "finding_policies",
        "finding_schools",
        "finding_enterprises",
        "finding_co_builders",
        "finding_placements",
    },
)


@view.migrations()
def m001_findings(db: Database) -> None:
    create_tables(db)


@view.migrations()
def m002_finding_policies(db: Database) -> None:
    db.table("finding_policies").create(
        {"id": str, "holder_id": str, "insurer": str, "policy_number": str}, pk="id"
    )


for topics, handler in (*finding_placements.HANDLERS, *finding_majors.HANDLERS):
    view.handles(*topics)(handler)
