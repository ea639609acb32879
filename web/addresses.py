"""Addresses on this site: the page that shows a record, and which paths are safe to go
to next."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, g, url_for
from flask_login import current_user

from domain.characters import hidden_characters
from projections.finding_rules import RuleId

# the page of a record, by the aggregate's class name: (endpoint, its id parameter)
RECORD_PAGES = {
    "School": ("schools.show", "record_id"),
    "Enterprise": ("enterprises.show", "record_id"),
    "Organisation": ("organisations.show", "record_id"),
    "CooperationAgreement": ("agreements.show", "agreement_id"),
    "TrainingGroup": ("groups.show", "record_id"),
    "Student": ("students.show", "record_id"),
    "Placement": ("placements.show", "record_id"),
    "InsurancePolicy": ("policies.show", "record_id"),
    "TeacherPractice": ("teachers.show", "record_id"),
    "Account": ("accounts.show", "account_id"),
}


def record_url(aggregate_type: str, aggregate_id: str) -> str | None:
    """The page of a record named in the trail, if the registry has one for its kind."""
    found = RECORD_PAGES.get(aggregate_type)
    if found is None or found[0] not in current_app.view_functions:
        return None
    endpoint, parameter = found
    values: dict[str, Any] = {parameter: aggregate_id}
    return url_for(endpoint, **values)


def safe_next(target: str | None) -> str | None:
    """Only paths on this site, written plainly: never another host, nor a character that
    could end the header the path goes into (a line break) or hide part of it."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if "\\" in target or hidden_characters(target) or any(c.isspace() for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def may_open(endpoint: str) -> bool:
    """Whether the signed-in user's role may open the page at ``endpoint``."""
    view = current_app.view_functions.get(endpoint)
    if view is None or not current_user.is_authenticated:
        return False
    roles: tuple[Any, ...] = getattr(view, "roles", ())
    return not roles or current_user.role in roles


SUBJECT_PAGES = {
    "placement": "placements.show",
    "teacher": "teachers.show",
    "agreement": "agreements.show",
    "school": "schools.show",
    "return": "returns.show",
}


def subject_url(finding: dict[str, Any]) -> str | None:
    """The page of what a finding is about, where the registry has one and the reader's
    role may open it (a finding in the reader's scope is about a record in it)."""
    found = _subject_url(finding)
    if found is None:
        return None
    kind = found[0]
    return found[1] if may_open(SUBJECT_PAGES[kind]) else None


def _subject_url(finding: dict[str, Any]) -> tuple[str, str] | None:
    kind, subject = finding["subject_type"], finding["subject_id"]
    pages = _pages()
    if kind in ("placement", "teacher", "agreement"):
        return kind, f"{pages[kind]}{subject}"
    if kind == "school" and finding["rule"] != RuleId.RETURN_MISSING:
        return "school", f"{pages['school']}{subject}"
    if kind == "return" and finding.get("school_id") and finding["detail"].get("year"):
        return "return", f"{pages['return']}{finding['school_id']}/{finding['detail']['year']}"
    if finding.get("agreement_id"):
        return "agreement", f"{pages['agreement']}{finding['agreement_id']}"
    return None


def _pages() -> dict[str, str]:
    """Where each kind of record's pages live (their addresses are the prefix and its id)."""
    found: dict[str, str] | None = g.get("record_pages")
    if found is None:
        found = g.record_pages = {
            "placement": url_for("placements.index"),
            "teacher": url_for("teachers.index"),
            "agreement": url_for("agreements.index"),
            "school": url_for("schools.index"),
            "return": url_for("returns.index"),
        }
    return found
