"""Every vocabulary's members have a name in both languages, keyed by the vocabulary itself;
a key without a name is an error, never shown raw; every finding rule is documented."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.domain import DomainEvent
from flask import Flask
from flask_babel import force_locale

import domain
from domain.account import AccountStatus
from domain.actors import Role
from domain.agreement import InvestmentKind, Mode, Side, StatusOn
from domain.annual_return import FIGURES
from domain.enterprise import Ownership
from domain.group_rules import PartyType, Stage
from domain.insurance import PolicyKind
from domain.organisation import OrganisationKind
from domain.placement import ClaimOutcome, IncidentSeverity, PlacementKind, PlacementStatus
from domain.school import SchoolKind
from domain.student import Gender, RequestedBy
from projections import VIEWS
from projections.computed_findings import COMPUTED
from projections.finding_rules import (
    DATE_RULES,
    RULES,
    FindingState,
    Notice,
    OpenedBy,
    RuleId,
    Severity,
)
from registry.stores.access_log import Outcome, Purpose
from web import labels

ROOT = Path(__file__).resolve().parents[2]

# each table of names with the vocabulary it names
NAMED: list[tuple[str, Iterable[str]]] = [
    ("MODES", Mode),
    ("STATUSES", StatusOn),
    ("ROLES", Role),
    ("ACCOUNT_STATUSES", AccountStatus),
    ("SCHOOL_KINDS", SchoolKind),
    ("SIDES", Side),
    ("INVESTMENT_KINDS", InvestmentKind),
    ("OWNERSHIPS", Ownership),
    ("ORGANISATION_KINDS", OrganisationKind),
    ("PARTY_TYPES", PartyType),
    ("STAGES", Stage),
    ("PLACEMENT_KINDS", PlacementKind),
    ("PLACEMENT_STATUSES", PlacementStatus),
    ("POLICY_KINDS", PolicyKind),
    ("SEVERITIES", IncidentSeverity),
    ("CLAIM_OUTCOMES", ClaimOutcome),
    ("GENDERS", Gender),
    ("REQUESTED_BY", RequestedBy),
    ("FIGURES", FIGURES),
    ("PURPOSES", Purpose),
    ("OUTCOMES", Outcome),
    ("RULES", RuleId),
    ("FINDING_SEVERITIES", Severity),
    ("FINDING_STATES", FindingState),
    ("NOTICES", Notice),
    ("READ_MODELS", [view.name for view in VIEWS]),
]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def domain_event_names() -> set[str]:
    """The names of every event the domain's aggregates record (what the audit trail shows)."""
    found = set()
    for info in pkgutil.iter_modules(domain.__path__):
        module = importlib.import_module(f"domain.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            for name, member in vars(cls).items():
                if (
                    inspect.isclass(member)
                    and issubclass(member, DomainEvent)
                    and name not in ("Event", "Created", "Snapshot")
                ):
                    found.add(name)
    return found


def names(app: Flask, table: Mapping[Any, Any], locale: str) -> dict[str, str]:
    with app.test_request_context(), force_locale(locale):
        return {str(key): str(value) for key, value in table.items()}


@pytest.mark.parametrize(("table", "vocabulary"), NAMED, ids=[name for name, _ in NAMED])
def test_every_member_has_a_label_and_every_label_a_member(
    table: str, vocabulary: Iterable[str]
) -> None:
    named = getattr(labels, table)
    assert set(named) == {str(member) for member in vocabulary}


@pytest.mark.parametrize(("table", "vocabulary"), NAMED, ids=[name for name, _ in NAMED])
def test_every_label_reads_in_english_and_in_chinese(
    app: Flask, table: str, vocabulary: Iterable[str]
) -> None:
    named = getattr(labels, table)
    english, chinese = names(app, named, "en"), names(app, named, "zh_Hans")
    assert all(english.values()), english
    untranslated = [key for key, name in chinese.items() if not CHINESE.search(name)]
    assert not untranslated, f"{table}: no Chinese name in the compiled catalog for {untranslated}"


def test_every_mode_has_the_plans_chinese_term() -> None:
    assert set(labels.MODES_ZH) == set(Mode)
    assert all(CHINESE.search(term) for term in labels.MODES_ZH.values())


def test_every_event_the_domain_records_has_a_label(app: Flask) -> None:
    assert domain_event_names() - set(labels.EVENTS) == set()
    chinese = names(app, labels.EVENTS, "zh_Hans")
    assert [key for key, name in chinese.items() if not CHINESE.search(name)] == []


def test_a_key_without_a_label_is_an_error_not_shown_raw(app: Flask) -> None:
    with app.test_request_context():
        assert labels.label(labels.STATUSES, "active")
        assert labels.label(labels.STATUSES, None) == ""
        with pytest.raises(labels.Unlabelled):
            labels.label(labels.STATUSES, "countersigned")
        with pytest.raises(labels.Unlabelled):
            labels.label(labels.RULES, "a_rule_nobody_defined")


# --- finding rules: one definition, one label, one documented row ----------------------------


def in_docs(ids: Iterable[StrEnum]) -> set[str]:
    text = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    first_cells = " ".join(
        line.split("|")[1] for line in text.splitlines() if line.startswith("| `")
    )
    return {str(i) for i in ids if f"`{i}`" in first_cells}


def test_every_finding_rule_is_defined_once() -> None:
    assert set(RULES) == set(RuleId)
    assert all(rule.id is key for key, rule in RULES.items())


def test_every_rule_dates_open_is_computed() -> None:
    assert set(COMPUTED) == set(DATE_RULES)
    assert set(DATE_RULES) == {r for r in RuleId if RULES[r].opened_by is OpenedBy.DATE}


@pytest.mark.parametrize("rule", list(RuleId))
def test_every_finding_rule_has_a_label_in_both_languages_and_a_doc_entry(
    app: Flask, rule: RuleId
) -> None:
    english, chinese = names(app, labels.RULES, "en"), names(app, labels.RULES, "zh_Hans")
    assert english.get(rule), f"no label for {rule} in web/labels.py RULES"
    assert CHINESE.search(chinese[rule]), f"no Chinese name for {rule}"
    assert in_docs([rule]) == {rule}, f"no row for `{rule}` in docs/findings.md"


@pytest.mark.parametrize("notice", list(Notice))
def test_every_notice_has_a_doc_entry(notice: Notice) -> None:
    assert in_docs([notice]) == {notice}
