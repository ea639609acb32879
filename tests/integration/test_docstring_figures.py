"""Benchmark figures live in docs/benchmarks.md: the read side's, the registry's, the web's and
the benchmarks' own docstrings and comments say why a setting is what it is, never how fast
something measured, because such a figure goes stale without anything failing."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("projections", "registry", "web", "bench")

MEASURED = re.compile(
    r"\d[\d,.]*\s*(rows|events|requests|pages)/s\b"
    r"|\d[\d,.]*\s*µs\b"
    r"|\d+%\s+(faster|slower)"
    r"|\d[\d.–-]*\s+times\s+(as fast|that|faster|slower)"
    r"|\b(some|about)\s+\d[\d,.]*\s*(MiB|GiB|KiB|ms|s)\b"
    r"|\babout half a second\b"
)


def prose(source: str) -> list[tuple[int, str]]:
    """The docstrings (and attribute docstrings) and comments of a module, with line numbers."""
    found = [
        (node.lineno, node.value.value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ]
    found += [
        (token.start[0], token.string)
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    ]
    return found


def test_docstrings_and_comments_carry_no_measured_figures() -> None:
    offending = [
        f"{path.relative_to(ROOT)}:{line}: {match.group(0)}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, text in prose(path.read_text(encoding="utf-8"))
        for match in MEASURED.finditer(text)
    ]
    assert offending == []


def test_the_pattern_recognises_a_measured_figure() -> None:
    assert MEASURED.search("upsert manages about 10,000 rows/s, executemany 20–35 times that")
    assert MEASURED.search("25% faster than batches of 5,000, for some 60 MiB")
    assert not MEASURED.search("checkpoint every 256 MiB of WAL; goal: under 500 ms")
