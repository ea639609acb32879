"""Dependencies point inward: domain ← registry ← projections ← web.

The domain imports only the standard library and ``eventsourcing.domain``; the registry
never imports the read side or the web, except its entry point ``registry/cli.py``, the
composition root that wires every layer; the read side never imports the web.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPOSITION_ROOT = ROOT / "registry" / "cli.py"


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("path", modules("domain"), ids=lambda p: p.name)
def test_the_domain_imports_only_the_standard_library_and_eventsourcing_domain(
    path: Path,
) -> None:
    outside = {
        name
        for name in imported(path)
        if top(name) not in sys.stdlib_module_names
        and top(name) != "domain"
        and name != "eventsourcing.domain"
    }
    assert not outside, f"{path.relative_to(ROOT)} imports {sorted(outside)}"


@pytest.mark.parametrize("path", modules("registry"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_registry_imports_no_outer_layer_but_in_its_entry_point(path: Path) -> None:
    if path == COMPOSITION_ROOT:
        return
    outer = {name for name in imported(path) if top(name) in {"projections", "web"}}
    assert not outer, f"{path.relative_to(ROOT)} imports {sorted(outer)}"


@pytest.mark.parametrize("path", modules("projections"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_read_side_imports_no_web(path: Path) -> None:
    assert not {n for n in imported(path) if top(n) == "web"}


def test_the_check_sees_an_outward_import() -> None:
    tree = ast.parse("import web.pages\nfrom projections import VIEWS\n")
    found = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    found |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert {top(n) for n in found} == {"web", "projections"}
