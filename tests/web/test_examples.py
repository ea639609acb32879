"""Every example a page shows passes the check that will be applied to what is typed.

The examples are found in the catalog (every user-visible string, and its Chinese): the
words after "for example", "e.g.", "例如" and "如：". Each is recognised by its shape (a
unified social credit code, an ID number, a date, an amount, a username, a staff number)
and given to the check its field applies; text of no checked shape is free text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from domain.account import validate_username
from domain.id_number import validate_id_number
from domain.teacher_practice import validate_staff_number
from domain.uscc import validate_uscc
from web.schemas.fields import Day, Yuan

CATALOG = Path(__file__).parents[2] / "web/translations/zh_Hans/LC_MESSAGES/messages.po"
INTRO = re.compile(
    r"(?:for example|e\.g\.|例如|如：)[:：]?\s*(.+?)(?:[)）。；;]|\.(?:\s|$)|$)", re.S | re.I
)
# an example is a token with a digit or a separator in it; plain words are the sentence's own
TOKEN = re.compile(r"[0-9A-Za-z]+(?:[._-]?[0-9A-Za-z]+)*")
EXAMPLE = re.compile(r".*[0-9._-].*")


def amount(value: str) -> Any:
    return Yuan().deserialize(value)


# shape → the check the field applies to what is typed there
CHECKS: list[tuple[re.Pattern[str], Callable[[str], Any]]] = [
    (re.compile(r"[0-9A-Z]{2}\d{6}[0-9A-Z]{10}"), validate_uscc),
    (re.compile(r"\d{17}[0-9X]"), lambda v: validate_id_number(v, date.today())),
    (re.compile(r"\d{4}-\d{2}-\d{2}"), Day().deserialize),
    (re.compile(r"\d+(?:\.\d{1,2})?"), amount),
    (re.compile(r"[a-z][a-z0-9._-]{2,31}"), validate_username),
    (re.compile(r"[A-Z][A-Za-z0-9._-]*\d[A-Za-z0-9._-]*"), validate_staff_number),
]


def examples() -> list[tuple[str, str]]:
    with CATALOG.open("rb") as f:
        catalog = read_po(f)
    found: list[tuple[str, str]] = []
    for message in catalog:
        for text in (message.id, message.string):
            if not isinstance(text, str):
                continue
            for intro in INTRO.finditer(text):
                tokens = TOKEN.findall(intro.group(1))
                found += [(token, text) for token in tokens if EXAMPLE.fullmatch(token)]
    return found


def test_the_catalog_has_examples_of_each_checked_shape() -> None:
    shapes = {
        pattern.pattern
        for token, _ in examples()
        for pattern, _c in CHECKS
        if pattern.fullmatch(token)
    }
    assert len(shapes) >= 5, shapes


@pytest.mark.parametrize(("token", "text"), examples())
def test_every_example_passes_its_fields_check(token: str, text: str) -> None:
    for pattern, check in CHECKS:
        if pattern.fullmatch(token):
            check(token)  # raises, naming the example, if the example fails its own check
            return
