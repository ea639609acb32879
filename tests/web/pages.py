"""Reading a rendered page's form errors."""

from __future__ import annotations

import re


def errors(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-testid="error-([a-z_]+)">([^<]*)<', page))


def problems(page: str) -> str:
    found = re.search(r'data-testid="form-problems">(.*?)</div>', page, re.S)
    return found.group(1) if found else ""
