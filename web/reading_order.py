"""The order people read lists of Chinese names in: by their pinyin (tones as digits, so
同音 names keep a stable order), then by the characters themselves; prefectures in the
province's own order (their codes, as ``domain.prefectures.PREFECTURES`` lists them)."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from domain.prefectures import PREFECTURES

PREFECTURE_ORDER = {code: number for number, code in enumerate(PREFECTURES)}


@lru_cache(maxsize=4096)
def name_key(name: str) -> tuple[tuple[str, ...], str]:
    """A sort key for a name as people read it: 阿坝 before 成都 before 自贡."""
    return tuple(lazy_pinyin(name, style=Style.TONE3)), name


def prefecture_then_name(
    prefecture: str | None, name: str
) -> tuple[int, tuple[tuple[str, ...], str]]:
    """A sort key: the prefecture in the province's order, then the name as read."""
    return PREFECTURE_ORDER.get(prefecture or "", len(PREFECTURE_ORDER)), name_key(name)
