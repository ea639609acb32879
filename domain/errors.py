"""Domain refusals: each carries a stable ``code`` and the parameters a sentence needs.

The domain does not phrase messages for users; the edges (CLI, web) turn a code and its
parameters into a sentence in the user's language.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A command was refused because it would break a rule of the registry."""

    code: ClassVar[str] = "domain_error"

    def __init__(self, **params: Any) -> None:
        self.params = params
        details = ", ".join(f"{k}={v!r}" for k, v in sorted(params.items()))
        super().__init__(f"{self.code}({details})" if details else self.code)


class InvalidValue(DomainError):
    """A value given for a field is not acceptable."""

    code = "invalid_value"


class InvalidUSCC(DomainError):
    """A unified social credit code is malformed or has a wrong check character."""

    code = "uscc_invalid"


class UnknownPrefecture(DomainError):
    """A prefecture code is not one of Sichuan's 21."""

    code = "prefecture_unknown"


class EndBeforeStart(DomainError):
    """A period ends before it starts."""

    code = "end_before_start"


class NegativeAmount(DomainError):
    """A sum of money is negative or zero where a positive one is required."""

    code = "amount_not_positive"


class NotPermitted(DomainError):
    """The acting user's role or party may not issue this command."""

    code = "not_permitted"


class InvalidTransition(DomainError):
    """The command does not apply in the record's current state."""

    code = "invalid_transition"


class NotCorrectable(DomainError):
    """A correction names a field that cannot be corrected this way."""

    code = "field_not_correctable"
