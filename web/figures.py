"""How the dashboard writes the plan's figures (专栏1): counts as whole numbers, 万人 to two
decimals, shares to one, the baseline and target as the plan prints them ("≥40"), and a
blank "as filed" cell with the reason it is blank."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import gettext

COUNTS = frozenset({"schools", "groups"})
TEN_THOUSANDS = frozenset({"10k", "10k person-times"})
FROM_THE_REGISTER = frozenset({"schools", "technician_colleges", "training_groups"})
HUNDREDTH, TENTH = Decimal("0.01"), Decimal("0.1")


def figure(unit: str, value: Any) -> str:
    """A value in its unit's precision: 7, 3.46, 0.05, <0.01 (万人), 41.3 (%)."""
    if value is None:
        return "—"
    number = Decimal(value)
    if unit in COUNTS:
        return f"{int(number):,}"
    if unit in TEN_THOUSANDS:
        if 0 < number < HUNDREDTH / 2:
            return "<0.01"
        return f"{number.quantize(HUNDREDTH, ROUND_HALF_UP):,}"
    return str(number.quantize(TENTH, ROUND_HALF_UP))


def planned(value: Any, at_least: bool = False) -> str:
    """A baseline or target as the plan prints it: 14.84, 120, ≥40."""
    if value is None:
        return ""
    shown = format(Decimal(value).normalize(), "f")
    return f"≥{shown}" if at_least else shown


def as_filed_note(item: dict[str, Any], year: int, deadline: str | None) -> str | None:
    """Why an indicator has no figure "as filed", or None when it has one."""
    if item["as_filed"] is not None:
        return None
    if item["key"] in FROM_THE_REGISTER:
        return str(gettext("Not filed: counted from the register"))
    if item["value"] is None:
        return str(gettext("No return for %(year)s yet", year=year))
    if deadline is not None:
        return str(gettext("None filed by the deadline, %(day)s", day=deadline))
    return str(gettext("No return filed"))
