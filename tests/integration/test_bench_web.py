"""The web benchmark, tiny: real servers under load from a second process, on a registry of
a few hundred agreements; it measures what it says and leaves the read models current.

Only outcomes are asserted here, never speeds (those are recorded in docs/benchmarks.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import web


@pytest.mark.xfail(
    strict=True,
    reason="known regression since agreements gained second steps and renewals: under load, "
    "proposals posted and then followed to their page are saved but the read models are left "
    "behind (issue 18 stays open until it is found)",
)
def test_the_web_benchmark_loads_pages_and_forms_with_the_read_models_kept_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BENCH_DIR", str(tmp_path / "bench"))
    lines: list[str] = []
    pages = (web.PAGES[0], web.PAGES[-1])
    # evolve: a list page and the dashboard beside their bare pages, then proposals
    result = web.run(lines.append, agreements=200, seconds=1, pages=pages)
    # query: every page answered without errors, beside a bare page that answered too
    assert [r["page"] for r in result["pages"]] == [path for path, _, _ in pages]
    for measured in result["pages"]:
        assert measured["rate"] > 0 and measured["bare_rate"] > 0
        assert measured["errors"] == 0
    # query: every proposal saved was answered with its agreement already in the read models
    for name in ("submissions", "with the page"):
        form = result["form"][name]
        assert form["saved"] > 0 and form["errors"] == 0
        assert form["behind"] == 0
        assert form["projected"] == form["saved"]
    assert len(lines) == 1 + len(pages) + 2
