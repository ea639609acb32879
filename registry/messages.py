"""Plain-English sentences for refusals at the command line.

The web edge has its own translated sentences; this is the fallback every error can use: the
refusal's one-line docstring followed by its parameters.
"""

from __future__ import annotations

from domain.errors import DomainError
from registry.printable import printable


def describe(error: DomainError) -> str:
    summary = (type(error).__doc__ or error.code).strip().splitlines()[0]
    details = ", ".join(f"{k}: {v}" for k, v in sorted(error.params.items()))
    return printable(f"{summary} ({error.code}{'; ' + details if details else ''})")
