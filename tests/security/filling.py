"""Plausible answers to a form, so that a submission passes the form's own checks and what
refuses it (or not) is the rule under test: who may act, on whose records.

A form's fields come from its declared schema where the route declares one (an ``Action``
or a ``Creation``); otherwise from the form as the page renders it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from html.parser import HTMLParser
from typing import Any
from uuid import UUID

from flask import Flask
from marshmallow import Schema, fields

from web.schemas import fields as ours

Answers = dict[str, Any]
# a field that names a record: the kind of record it names, by the field's name
NAMING = {
    "placements": "placement",
    "placement": "placement",
    "student": "student",
    "agreement": "agreement",
    "school": "school",
    "enterprise": "enterprise",
    "member": "school",
    "party": "enterprise",
    "new_lead": "school",
    "to": "school",
    "policy": "policy",
}
# fields naming a record that belongs to parties: naming another party's is a cross-party link
LINKING = ("placements", "placement", "student", "agreement", "policy")
VALID_USCC = "91510100MA61R0XR3T"


def plausible(
    schema: Schema, version: int, ids: Mapping[str, str], texts: str = "测试内容"
) -> Answers:
    """An answer for every field of ``schema``: a record-naming field gets ``ids`` of the
    kind its name says (other parties' records, in the isolation matrix). A record's page
    puts its ``version`` in every command's form; a page that creates a record ignores it."""
    answers: Answers = {"version": str(version)}
    for name, declared in schema.fields.items():
        key = declared.data_key or name
        answers[key] = _value(key, declared, version, ids, texts)
    return {k: v for k, v in answers.items() if v is not None}


def _value(
    key: str, declared: fields.Field, version: int, ids: Mapping[str, str], texts: str
) -> Any:  # type: ignore[type-arg]
    if key == "version":
        return str(version)
    choices = getattr(declared, "choices", None)
    if isinstance(declared, ours.Choices):
        return [choices[0]] if choices else [ids.get(NAMING.get(key, ""), str(UUID(int=1)))]
    if isinstance(declared, ours.Choice):
        return choices[0] if choices else None
    if isinstance(declared, ours.RecordId | ours.PartyRef):
        return ids.get(NAMING.get(key, ""), str(UUID(int=1)))
    if isinstance(declared, ours.Day):
        return date.today().isoformat()
    if isinstance(declared, ours.Yuan):
        return "1000"
    if isinstance(declared, ours.Whole):
        return str(max(declared.minimum, min(declared.maximum, date.today().year)))
    if isinstance(declared, ours.Flag):
        return "yes"
    if isinstance(declared, ours.USCC):
        return VALID_USCC
    if isinstance(declared, ours.Username):
        return "someone.new"
    if isinstance(declared, ours.Password):
        return "a long enough password 1"
    return texts


GENERIC: Answers = {
    "reason": "测试原因",
    "on": date.today().isoformat(),
    "role": "auditor",
    "language": "en",
    "next": "/",
}


class FormParser(HTMLParser):
    """The forms of a page: each one's action and its fields' names, kinds and values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str, str]]]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form" and found.get("method", "get").lower() == "post":
            self.forms.append((found.get("action", ""), []))
        elif not self.forms or self.forms[-1] is None:
            return
        elif tag in ("input", "textarea") and found.get("name"):
            kind = found.get("type", "text") if tag == "input" else "textarea"
            self.forms[-1][1].append((found["name"], kind, found.get("value", "")))
        elif tag == "select" and found.get("name"):
            self._select = found["name"]
            self.forms[-1][1].append((self._select, "select", ""))
        elif tag == "option" and self._select and found.get("value"):
            fields_ = self.forms[-1][1]
            if fields_ and fields_[-1][0] == self._select and not fields_[-1][2]:
                fields_[-1] = (self._select, "select", found["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def page_forms(html: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def current(app: Flask, path: str, answers: Answers) -> Answers:
    """``answers`` with the version the record at ``path`` has now, as its page would show
    after the changes earlier cases made."""
    found = re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", path)
    if "version" not in answers or found is None:
        return answers
    return {**answers, "version": str(version_of(app, found.group(0)))}


def version_of(app: Flask, record_id: str) -> int:
    """The record's current version (0 for a record that has no events of its own)."""
    try:
        found = app.extensions["registry"].recorder.select_events(
            UUID(record_id), desc=True, limit=1
        )
    except ValueError:
        return 0
    return int(found[0].originator_version) if found else 0
