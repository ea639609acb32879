"""Who may see what is said once, in web/access.py: the pages' @requires and the menus read
the same table, and no view keeps a list of roles or a scope of its own."""

from __future__ import annotations

import ast
from pathlib import Path

from flask import Flask

from domain.actors import Role
from web.access import MENUS, STARTING_PAGES

VIEWS = Path(__file__).resolve().parents[2] / "web" / "pages"


def _is_roles(node: ast.expr) -> bool:
    """``(Role.A, Role.B)`` or ``(*OTHER, Role.C)``: a list of roles written out."""
    if not isinstance(node, ast.Tuple) or not node.elts:
        return False
    written = [e for e in node.elts if not isinstance(e, ast.Starred)]
    return bool(written) and all(
        isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and e.value.id == "Role"
        for e in written
    )


def _is_role_table(node: ast.expr) -> bool:
    return isinstance(node, ast.Dict) and any(
        isinstance(k, ast.Attribute) and getattr(k.value, "id", "") == "Role" for k in node.keys
    )


def test_no_view_keeps_its_own_roles_or_scope():
    found = []
    for path in sorted(VIEWS.glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if value is not None and (_is_roles(value) or _is_role_table(value)):
                found.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.FunctionDef) and node.name.endswith("scope"):
                found.append(f"{path.name}: def {node.name}")
    assert found == []


def test_every_menu_entry_and_start_page_opens_for_its_role(app: Flask):
    refused = []
    for role in Role:
        endpoints = [
            *MENUS.get(role, ()),
            *([STARTING_PAGES[role]] if role in STARTING_PAGES else []),
        ]
        for endpoint in endpoints:
            roles = getattr(app.view_functions[endpoint], "roles", None)
            if roles is None or (roles and role not in roles):
                refused.append(f"{role.value}: {endpoint}")
    assert refused == []
