"""Unified social credit codes (统一社会信用代码, GB 32100-2015)."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import InvalidUSCC

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18
_NAMESPACE = uuid5(NAMESPACE_URL, "urn:sichuan-coop-registry:uscc")


def check_character(first17: str) -> str:
    """The check character GB 32100 prescribes for the first 17 characters."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(code: str) -> str:
    """Return ``code`` if it is a valid USCC; otherwise raise ``InvalidUSCC`` saying why.

    The reasons are distinct so a form can tell a user exactly what to fix: ``length``,
    ``lowercase``, ``character`` (with the position and the character that is never used),
    ``check_character`` (with the character found and the one expected: a typo somewhere).
    """
    if len(code) != LENGTH:
        raise InvalidUSCC(reason="length", length=len(code), expected=LENGTH)
    for position, char in enumerate(code, start=1):
        if char in ALPHABET:
            continue
        if char.upper() in ALPHABET:
            raise InvalidUSCC(reason="lowercase", position=position, character=char)
        raise InvalidUSCC(reason="character", position=position, character=char)
    expected = check_character(code[:17])
    if code[17] != expected:
        raise InvalidUSCC(reason="check_character", found=code[17], expected=expected)
    return code


def party_id_for(uscc: str) -> UUID:
    """The natural-key id of the party holding ``uscc``: one registration per code."""
    return uuid5(_NAMESPACE, uscc)


def with_check_character(first17: str) -> str:
    """Complete 17 characters into a valid code (used to generate demo and test data)."""
    return first17 + check_character(first17)
