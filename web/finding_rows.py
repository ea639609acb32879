"""A finding as a row of a list shows it, on the findings page and on an enterprise's home."""

from __future__ import annotations

from typing import Any

from projections.finding_rules import FindingState
from web import labels
from web.addresses import subject_url


def shown(finding: dict[str, Any], names: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A finding as its row shows it, words and addresses worked out once, here."""
    parties = (finding.get("school_id"), finding.get("enterprise_id"))
    return {
        "rule": finding["rule"],
        "title": labels.label(labels.RULES, finding["rule"]),
        "severity": finding["severity"],
        "severity_name": labels.label(labels.FINDING_SEVERITIES, finding["severity"]),
        "source": finding["source"],
        "link": subject_url(finding),
        "detail": " · ".join(
            f"{labels.label(labels.DETAILS, key)}: {labels.detail_value(key, value)}"
            for key, value in finding["detail"].items()
        ),
        "concerns": [names[p]["name"] for p in parties if p and p in names],
        "opened_on": finding["opened_on"],
        "open": finding["state"] == FindingState.OPEN,
        "closed_on": finding["closed_on"],
    }
