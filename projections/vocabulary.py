"""The domain's vocabularies written into SQL: one spelling, the enum's, in every statement.

Members' values are fixed identifiers of the code, never user input, so they are safe to
inline (a value that is not a plain identifier fails at import).
"""

from __future__ import annotations

import re
from enum import StrEnum

_IDENTIFIER = re.compile(r"[a-z_]+")


def sql_text(member: StrEnum) -> str:
    """A member as an SQL string literal: ``'active'``."""
    if not _IDENTIFIER.fullmatch(member.value):
        raise ValueError(f"{member!r} is not a plain identifier")
    return f"'{member.value}'"


def sql_list(*members: StrEnum) -> str:
    """Members as an SQL list for ``IN``: ``('countersigned', 'suspended')``."""
    return f"({', '.join(sql_text(member) for member in members)})"
