"""Pages do not import other pages: what two pages share lives in a module of its own."""

from __future__ import annotations

import ast
from pathlib import Path

PAGES = Path(__file__).resolve().parents[2] / "web" / "pages"


def imported(tree: ast.AST) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(["web", "pages", *filter(None, [base])][: 2 + bool(base)])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_no_view_module_imports_another_view_module():
    crossings = []
    for path in sorted(PAGES.glob("*.py")):
        for name in sorted(imported(ast.parse(path.read_text(), str(path)))):
            if name.startswith("web.pages.") or name == "web.pages":
                crossings.append(f"web/pages/{path.name} imports {name}")
    assert crossings == []


def test_the_check_sees_an_import_of_a_view():
    tree = ast.parse("from web.pages.auth import safe_next\nfrom . import findings\n")
    assert {"web.pages.auth", "web.pages.findings"} <= imported(tree)
