"""What the command line prints of recorded text: every invisible or reordering character
(domain/characters.py) as a visible escape, so a terminal shows what was recorded and a
U+202E in a name cannot turn the rest of the line around."""

from __future__ import annotations

import json
from typing import Any

from domain.characters import escaped, hidden


def printable(text: str) -> str:
    """``text`` for a table or a message: hidden characters as ``\\u202e``, backslashes
    doubled."""
    return escaped(text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def json_text(value: Any, indent: int | None = None) -> str:
    """``value`` as JSON (one line unless ``indent``), readable Chinese kept, hidden
    characters escaped (still valid JSON: they occur only inside strings)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=indent)
    # json.dumps escapes control characters inside strings: a line break is indentation
    return "".join(_json_escape(c) if hidden(c) and c != "\n" else c for c in text)
