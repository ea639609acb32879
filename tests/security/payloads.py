"""Hostile input, by class: what a form field may be sent instead of an answer, and how a
submission is put on the wire (so bytes that are not UTF-8, a field sent twice, a JSON or
multipart body can be sent at all)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from flask.testing import FlaskClient
from hypothesis import strategies as st
from werkzeug.test import TestResponse

MARKUP = "<script>alert('registry')</script>"
INVALID_UTF8 = b"\xff\xfe\xc3\x28 \xed\xa0\x80"

# each class: a value put in place of every field's answer (bytes go on the wire as they are)
VALUES: dict[str, list[str | bytes]] = {
    "overlong": ["长" * 20_000, "x" * 201, "x" * 200_000],
    "control": ["/\r\nSet-Cookie: x=1", "a\x00b\x07\x08\x1b[31m\u202eevil"],
    "invalid_utf8": [INVALID_UTF8],
    "markup": [MARKUP, '"><img src=x onerror=alert(1)>'],
    "sql": ["' OR 1=1; DROP TABLE stored_events; --", '1" UNION SELECT * FROM accounts --'],
    "dates": ["0001-01-01", "9999-12-31", "2026-02-30", "-1-01-01", "2026-13-01"],
    "numbers": ["1e400", "9" * 40, "-1", "NaN", "-Infinity", "0x10", "1_000"],
    "uuids": ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "{" + "f" * 32 + "}"],
}
# classes that change the shape of the submission rather than a field's value
SHAPES = ("missing", "duplicated", "json", "multipart")
CLASSES = (*VALUES, *SHAPES)

Pairs = list[tuple[str, str | bytes]]


def _pairs(answers: dict[str, Any]) -> Pairs:
    return [
        (k, v)
        for k, value in answers.items()
        for v in (value if isinstance(value, list) else [value])
    ]


def _encode(pairs: Pairs) -> bytes:
    def part(v: str | bytes) -> str:
        return quote(v, safe="") if isinstance(v, bytes) else quote(v.encode(), safe="")

    return "&".join(f"{part(k)}={part(v)}" for k, v in pairs).encode("ascii")


def send(client: FlaskClient, path: str, shape: str, pairs: Pairs, token: str) -> TestResponse:
    """Post ``pairs`` (and the CSRF token) to ``path``, as a form or in the ``shape`` given."""
    pairs = [("csrf_token", token), *pairs]
    if shape == "json":
        body = {k: v.decode("latin-1") if isinstance(v, bytes) else v for k, v in pairs}
        return client.post(
            path,
            data=json.dumps(body),
            content_type="application/json",
            headers={"X-CSRFToken": token},
        )
    if shape == "multipart":
        data = {k: v.decode("latin-1") if isinstance(v, bytes) else v for k, v in pairs}
        return client.post(path, data=data, content_type="multipart/form-data")
    return client.post(path, data=_encode(pairs), content_type="application/x-www-form-urlencoded")


def hostile(answers: dict[str, Any], payload: str, value: str | bytes | None) -> tuple[str, Pairs]:
    """A submission of ``answers`` with every field's value replaced by ``value`` (a value
    class), or reshaped (a shape class): the wire shape and the fields."""
    pairs = _pairs(answers)
    if payload == "missing":
        return "form", pairs[1:] if pairs else []
    if payload == "duplicated":
        return "form", [*pairs, *[(k, "重复") for k, _ in pairs]]
    if payload in ("json", "multipart"):
        return payload, pairs
    assert value is not None
    return "form", [(k, value) for k, _ in pairs]


def one_field(answers: dict[str, Any], field: str, value: str | bytes) -> Pairs:
    """``answers`` with only ``field`` replaced by ``value``."""
    return [(k, value if k == field else v) for k, v in _pairs(answers)]


def values() -> st.SearchStrategy[str | bytes]:
    """Any hostile value: the classes' own, or drawn text with control and odd characters,
    huge and odd numbers, dates at the calendar's edges."""
    listed: list[str | bytes] = [v for found in VALUES.values() for v in found]
    drawn: list[st.SearchStrategy[Any]] = [
        st.sampled_from(listed),
        st.text(st.characters(codec="utf-8"), max_size=300),
        st.text(
            st.characters(max_codepoint=0x20) | st.sampled_from("<>&'\"\u202e\u200b"), max_size=50
        ),
        st.integers(min_value=-(10**50), max_value=10**50).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.dates().map(lambda d: d.isoformat()),
        st.binary(max_size=40),
    ]
    return st.one_of(*drawn)
