"""The benchmark's generated registry holds every kind of record, so the findings and
indicators measured on it have something to find."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bench.generate import generate
from projections import read_models
from projections.finding_queries import count_findings
from projections.indicators import indicators
from registry.config import Settings
from registry.facade import Registry
from registry.stats import log_stats


def test_a_generated_registry_has_people_placements_and_findings(tmp_path: Path) -> None:
    events = generate(tmp_path, events=6000, seed=7)
    app = Registry(Settings(data_dir=tmp_path))
    try:
        assert app.max_position() == events >= 6000
        records = log_stats(app).records
        for kind in (
            "AnnualReturn",
            "InsurancePolicy",
            "Organisation",
            "Placement",
            "Student",
            "TeacherPractice",
            "TrainingGroup",
        ):
            assert records.get(kind, 0) > 0, kind
        models = read_models(app)
        with models.reading(at_least=events) as db:
            found = count_findings(db, "rule", on=date(2026, 6, 30))
            progress = indicators(db, 2022)
    finally:
        app.close()
    for rule in ("teacher_short_of_practice", "post_internship_overrun", "return_late"):
        assert found.get(rule, 0) > 0, (rule, found)
    assert {i["key"]: i["value"] for i in progress["items"]}["students"] > 0
