"""ID numbers 身份证号: the GB 11643 check character and every way a number can be mistyped."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.id_number import (
    CHECK_CHARACTERS,
    InvalidIdNumber,
    birth_date_of,
    check_character,
    validate_id_number,
    with_check_character,
)

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        # the worked example printed in GB 11643-1999
        ("11010519491231002X", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),
        ("  510104200703151233 ", "510104200703151233"),
    ],
)
def test_valid_numbers_are_accepted_and_normalised(number: str, expected: str) -> None:
    assert validate_id_number(number, TODAY) == expected


def test_the_standards_examples_have_the_printed_check_characters() -> None:
    assert check_character("11010519491231002") == "X"
    assert check_character("44052418800101001") == "4"


def test_a_leap_day_birth_date_is_accepted() -> None:
    number = with_check_character("51340120080229002")
    assert validate_id_number(number, TODAY) == number
    assert birth_date_of(number) == date(2008, 2, 29)


@pytest.mark.parametrize(
    ("number", "reason", "params"),
    [
        ("51010420070315123", "length", {"length": 17, "expected": 18}),
        ("5101042007031512333", "length", {"length": 19}),
        ("", "length", {"length": 0}),
        ("51010420070315123 3", "length", {"length": 19}),
        ("5101042007O3151233", "character", {"position": 11, "character": "O"}),
        ("51010420070315X233", "character", {"position": 15, "character": "X"}),
        ("510104-00703151233", "character", {"position": 7, "character": "-"}),
        (with_check_character("51010420070230123"), "birth_date", {"digits": "20070230"}),
        (with_check_character("51010420071301123"), "birth_date", {"digits": "20071301"}),
        (with_check_character("51010420070001123"), "birth_date", {"digits": "20070001"}),
        (with_check_character("51010420090229123"), "birth_date", {"digits": "20090229"}),
        (with_check_character("51010418991231123"), "birth_date", {"digits": "18991231"}),
        # the standard's other example is valid, but born before 1900: no student
        ("440524188001010014", "birth_date", {"digits": "18800101"}),
        (
            with_check_character("51010420250602123"),
            "birth_date_in_future",
            {"birth_date": "2025-06-02"},
        ),
    ],
)
def test_malformed_numbers_are_refused_with_the_reason(
    number: str, reason: str, params: dict[str, object]
) -> None:
    with pytest.raises(InvalidIdNumber) as refused:
        validate_id_number(number, TODAY)
    assert refused.value.params["reason"] == reason
    for key, value in params.items():
        assert refused.value.params[key] == value


@pytest.mark.parametrize(
    ("typed", "found", "expected"),
    [
        ("510104200703151234", "4", "3"),  # last character mistyped
        ("510104200703151323", "3", "1"),  # two digits swapped
        ("510105200703151233", "3", "X"),  # one digit of the address code mistyped
    ],
)
def test_a_typo_is_reported_as_a_check_character_mismatch(
    typed: str, found: str, expected: str
) -> None:
    assert check_character("51010420070315123") == "3"
    with pytest.raises(InvalidIdNumber) as refused:
        validate_id_number(typed, TODAY)
    assert refused.value.params == {
        "reason": "check_character",
        "found": found,
        "expected": expected,
    }


def test_today_is_not_in_the_future() -> None:
    number = with_check_character("51010420250601123")
    assert validate_id_number(number, TODAY) == number


def test_refusal_is_a_domain_error_with_a_stable_code() -> None:
    with pytest.raises(DomainError) as refused:
        validate_id_number("123", TODAY)
    assert refused.value.code == "id_number_invalid"


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.text("0123456789", min_size=6, max_size=6),
    st.text("0123456789", min_size=3, max_size=3),
)
def test_any_number_completed_with_its_check_character_is_valid(
    born: date, address: str, sequence: str
) -> None:
    number = with_check_character(f"{address}{born:%Y%m%d}{sequence}")
    assert validate_id_number(number, TODAY) == number
    assert birth_date_of(number) == born
    assert number[-1] in CHECK_CHARACTERS


@given(st.text("0123456789", min_size=17, max_size=17), st.integers(0, 16), st.integers(1, 9))
def test_changing_any_one_digit_changes_the_check_character(
    first17: str, position: int, delta: int
) -> None:
    changed = (
        first17[:position] + str((int(first17[position]) + delta) % 10) + first17[position + 1 :]
    )
    assert check_character(changed) != check_character(first17)
