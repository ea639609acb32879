"""Sichuan's 21 prefecture-level divisions by GB/T 2260 code (docs/domain.md#parties)."""

from __future__ import annotations

from domain.errors import UnknownPrefecture

PREFECTURES: dict[str, str] = {
    "510100": "成都市",
    "510300": "自贡市",
    "510400": "攀枝花市",
    "510500": "泸州市",
    "510600": "德阳市",
    "510700": "绵阳市",
    "510800": "广元市",
    "510900": "遂宁市",
    "511000": "内江市",
    "511100": "乐山市",
    "511300": "南充市",
    "511400": "眉山市",
    "511500": "宜宾市",
    "511600": "广安市",
    "511700": "达州市",
    "511800": "雅安市",
    "511900": "巴中市",
    "512000": "资阳市",
    "513200": "阿坝藏族羌族自治州",
    "513300": "甘孜藏族自治州",
    "513400": "凉山彝族自治州",
}

# 甘孜、阿坝、凉山: the "three prefectures" the plan singles out for support (§四(二)2).
THREE_PREFECTURES = frozenset({"513200", "513300", "513400"})


def validate_prefecture(code: str) -> str:
    if code not in PREFECTURES:
        raise UnknownPrefecture(prefecture=code)
    return code
