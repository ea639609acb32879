"""Compliance findings (rules in projections/finding_rules.py, docs/findings.md).

The findings view keeps the findings events open and close. It is declared with its tables
in projections/finding_book.py; its handlers join it as every view's do (``@view.handles``)
in projections/finding_placements.py and projections/finding_majors.py, imported here so
that the view the engine is given has them all. Findings about states that arrive without
an event are computed for the day asked (projections/computed_findings.py); the queries in
projections/finding_queries.py answer both kinds together.
"""

from __future__ import annotations

from projections import finding_majors, finding_placements  # noqa: F401  (their handlers)
from projections.finding_book import view

__all__ = ["view"]
