"""Unified social credit codes: the check character and every way a code can be mistyped."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidUSCC
from domain.uscc import ALPHABET, check_character, party_id_for, validate_uscc


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",
        "12510100MB0000001" + check_character("12510100MB0000001"),
        "52510100MJ0000007" + check_character("52510100MJ0000007"),
    ],
)
def test_valid_codes_are_accepted(code: str) -> None:
    assert validate_uscc(code) == code


def test_known_public_code_has_expected_check_character() -> None:
    # 91350100M000100Y43 is the worked example quoted with GB 32100-2015.
    assert check_character("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "reason", "params"),
    [
        ("91510100MA61R2L6X", "length", {"length": 17}),
        ("91510100MA61R2L6XNN", "length", {"length": 19}),
        ("", "length", {"length": 0}),
        ("91510100ma61r2l6xn", "lowercase", {"position": 9, "character": "m"}),
        ("91510100MI61R2L6XN", "character", {"position": 10, "character": "I"}),
        ("91510100MO61R2L6XN", "character", {"position": 10, "character": "O"}),
        ("91510100MS61R2L6XN", "character", {"position": 10, "character": "S"}),
        ("91510100MV61R2L6XN", "character", {"position": 10, "character": "V"}),
        ("91510100MZ61R2L6XN", "character", {"position": 10, "character": "Z"}),
        ("915101-0MA61R2L6XN", "character", {"position": 7, "character": "-"}),
    ],
)
def test_malformed_codes_are_refused_with_the_reason(
    code: str, reason: str, params: dict[str, object]
) -> None:
    with pytest.raises(InvalidUSCC) as refused:
        validate_uscc(code)
    assert refused.value.params["reason"] == reason
    for key, value in params.items():
        assert refused.value.params[key] == value


def test_wrong_check_character_names_found_and_expected() -> None:
    first17 = "91510100MA61R2L6X"
    right = check_character(first17)
    wrong = next(c for c in ALPHABET if c != right)
    with pytest.raises(InvalidUSCC) as refused:
        validate_uscc(first17 + wrong)
    assert refused.value.params == {"reason": "check_character", "found": wrong, "expected": right}


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_every_completed_code_validates_and_any_single_change_of_check_is_caught(
    first17: str,
) -> None:
    code = first17 + check_character(first17)
    assert validate_uscc(code) == code
    for other in ALPHABET:
        if other != code[17]:
            with pytest.raises(InvalidUSCC):
                validate_uscc(first17 + other)


def test_party_id_is_stable_per_code() -> None:
    code = "12510100MB0000001" + check_character("12510100MB0000001")
    assert party_id_for(code) == party_id_for(code)
    other = "12510100MB0000002" + check_character("12510100MB0000002")
    assert party_id_for(code) != party_id_for(other)
