"""Which characters a text may hold, and how to show the ones it may not.

Control and format characters (NUL, BEL, backspace, the bidirectional overrides such as
U+202E, zero-width joiners, line and paragraph separators) are invisible or reorder what is
shown around them: in a name or a reason they would make a record read differently from what
was recorded. Texts refuse them; only a multi-line text keeps line breaks and tabs.
"""

from __future__ import annotations

import unicodedata

HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
LINE_BREAKS = frozenset({"\n", "\r", "\t"})


def hidden(char: str) -> bool:
    """A character that is invisible, reorders text or is not a character at all."""
    return unicodedata.category(char) in HIDDEN_CATEGORIES


def hidden_characters(text: str, multiline: bool = False) -> list[str]:
    """The characters of ``text`` a text field refuses, in order, each once."""
    allowed = LINE_BREAKS if multiline else frozenset()
    return list(dict.fromkeys(c for c in text if hidden(c) and c not in allowed))


def escaped(text: str, keep: str = "") -> str:
    """``text`` with every hidden character shown as a visible escape (``\\u202e``), except
    those in ``keep``; a backslash is doubled so an escape cannot be forged."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif hidden(char) and char not in keep:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def visible(char: str) -> str:
    """How a refused character is named in a message: its code point, U+202E."""
    return f"U+{ord(char):04X}"
