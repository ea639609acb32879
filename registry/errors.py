"""Errors the application raises at its boundary, in the same code-and-parameters shape as
the domain's refusals so every edge can phrase both the same way."""

from __future__ import annotations

from domain.errors import DomainError


class NotFound(DomainError):
    """No record of that kind has that id."""

    code = "not_found"


class AlreadyRegistered(DomainError):
    """A record with the same natural key (e.g. the USCC) is registered already."""

    code = "already_registered"


class ConflictingChange(DomainError):
    """Someone else changed the same record at the same time; reload and try again."""

    code = "conflicting_change"
