"""Tests share helpers through helper modules and fixtures, never through other test modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]


def is_test_module(dotted: str) -> bool:
    parts = dotted.split(".")
    return parts[0] == "tests" and any(part.startswith("test_") for part in parts)


def imported_modules(source: str, package: str) -> list[str]:
    """Every module (or name in a module) that ``source``, in ``package``, imports."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parents = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parents, base] if base else parents)
            found.append(base)
            found += [f"{base}.{alias.name}" for alias in node.names]
    return found


def test_no_module_under_tests_imports_a_test_module() -> None:
    offending = {}
    for path in sorted(TESTS.rglob("*.py")):
        package = ".".join(path.relative_to(TESTS.parent).parts[:-1])
        names = imported_modules(path.read_text(encoding="utf-8"), package)
        if bad := sorted({name for name in names if is_test_module(name)}):
            offending[str(path.relative_to(TESTS.parent))] = bad
    assert offending == {}


@pytest.mark.parametrize(
    "source",
    [
        "from tests.integration.test_placements import setting",
        "from tests.integration import test_placements",
        "import tests.web.test_party_pages",
        "from .test_party_pages import errors",
        "from ..integration.test_students import add_student",
    ],
)
def test_every_way_of_importing_a_test_module_is_seen(source: str) -> None:
    assert any(is_test_module(name) for name in imported_modules(source, "tests.web"))


def test_importing_a_helper_module_is_allowed() -> None:
    source = "from tests.web.pages import errors\nfrom .conftest import post\nimport pytest"
    assert not any(is_test_module(name) for name in imported_modules(source, "tests.web"))
