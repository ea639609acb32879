"""Every refusal a page can show says what to do next, in both languages.

The codes are enumerated from the code: every ``DomainError`` class the domain and the
registry define, and every variant (``reason``/``problem``) ``web/messages.py`` words. A
sentence passes when one of its clauses begins with what the reader can do (an imperative
verb) — "the registry refused this change" alone leaves a person at a dead end.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from flask import Flask, session

import domain
import registry
from domain.errors import DomainError
from web.messages import SENTENCES, VARIANTS, sentence

# verbs a next step begins with, as the sentences use them
NEXT_STEP = re.compile(
    r"(?:^|[.;:,—(]\s*|\bthen\s+|\bor\s+|\band\s+)"
    r"(add|amend|answer|arrange|reactivate|approve|ask|change|charter|check|choose|compare|copy|correct|delete|"
    r"describe|enter|file|fill|give|hand|leave|look|open|propose|put|record|register|reload|"
    r"remove|shorten|start|take|tell|tick|type|use|wait|withdraw|write|go|let|see|pick|"
    r"find|set|renew|extend|log)\b",
    re.IGNORECASE,
)


def _refusals() -> set[type[DomainError]]:
    """Every refusal class the domain and the registry define."""
    for package in (domain, registry):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    found: set[type[DomainError]] = set()
    todo = [DomainError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return found


def _codes() -> list[tuple[str, str | None]]:
    found: set[tuple[str, str | None]] = {(cls.code, None) for cls in _refusals()}
    found |= {(code, variant) for code, variant in VARIANTS}
    # a code worded only through its variants has no plain sentence to check
    return sorted(
        (c for c in found if c[1] is not None or c[0] in SENTENCES),
        key=lambda c: (c[0], c[1] or ""),
    )


def _refusal(code: str, variant: str | None) -> DomainError:
    error = DomainError(**({"reason": variant, "problem": variant} if variant else {}))
    error.code = code  # type: ignore[misc]
    return error


@pytest.mark.parametrize("code", _codes(), ids=lambda c: f"{c[0]}:{c[1] or ''}")
def test_every_refusal_says_what_to_do_next_in_both_languages(
    app: Flask, code: tuple[str, str | None]
) -> None:
    error = _refusal(*code)
    with app.test_request_context("/"):
        session["language"] = "en"
        app.preprocess_request()
        english = sentence(error)
    with app.test_request_context("/"):
        app.preprocess_request()
        chinese = sentence(error)
    assert "(" + code[0] + ")" not in english, "no sentence: the fallback names the code"
    assert NEXT_STEP.search(english), f"no next step in: {english}"
    assert chinese != english and re.search(r"[\u4e00-\u9fff]", chinese), chinese
