"""Views do not import other views: what two pages share lives in a module of its own."""

from __future__ import annotations

import ast
from pathlib import Path

VIEWS = Path(__file__).resolve().parents[2] / "web" / "views"


def imported(tree: ast.AST) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(["web", "views", *filter(None, [base])][: 2 + bool(base)])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_no_view_module_imports_another_view_module():
    crossings = []
    for path in sorted(VIEWS.glob("*.py")):
        for name in sorted(imported(ast.parse(path.read_text(), str(path)))):
            if name.startswith("web.views.") or name == "web.views":
                crossings.append(f"web/views/{path.name} imports {name}")
    assert crossings == []


def test_the_check_sees_an_import_of_a_view():
    tree = ast.parse("from web.views.auth import safe_next\nfrom . import findings\n")
    assert {"web.views.auth", "web.views.findings"} <= imported(tree)
