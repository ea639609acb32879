"""Sealing personal data: AES-GCM round trip, bound to its subject, tamper-evident."""

from __future__ import annotations

import base64
from datetime import date
from uuid import uuid4

import pytest

from domain.sealed import Sealed
from registry.personal_data import PersonalData, Unreadable, appears_in, seal, unseal
from registry.stores.key_store import new_key


def test_a_sealed_value_round_trips_and_holds_no_plaintext() -> None:
    key, subject = new_key(), uuid4()
    sealed = seal(key, subject, "欧阳晓燕")
    assert sealed.ciphertext.startswith("v1:")
    assert "欧阳晓燕" not in sealed.ciphertext
    assert "欧阳晓燕".encode() not in base64.b64decode(sealed.ciphertext[3:])
    assert unseal(key, subject, sealed) == "欧阳晓燕"


def test_the_same_value_seals_differently_each_time() -> None:
    key, subject = new_key(), uuid4()
    assert seal(key, subject, "510104200703151233") != seal(key, subject, "510104200703151233")


def test_personal_data_round_trips_as_a_whole() -> None:
    key, subject = new_key(), uuid4()
    personal = PersonalData("张小明", "510104200703151233", date(2007, 3, 15))
    assert PersonalData.unseal(key, subject, **personal.seal(key, subject)) == personal


@pytest.mark.parametrize("change", ["other_key", "other_subject", "tampered", "unknown_format"])
def test_a_value_does_not_open_with_another_key_subject_or_after_tampering(change: str) -> None:
    key, subject = new_key(), uuid4()
    sealed = seal(key, subject, "张小明")
    problem = "authentication_failed"
    if change == "other_key":
        key = new_key()
    elif change == "other_subject":
        subject = uuid4()
    elif change == "tampered":
        raw = bytearray(base64.b64decode(sealed.ciphertext[3:]))
        raw[-1] ^= 1
        sealed = Sealed("v1:" + base64.b64encode(bytes(raw)).decode())
    else:
        sealed = Sealed("v0:" + sealed.ciphertext[3:])
        problem = "unknown_format"
    with pytest.raises(Unreadable) as refused:
        unseal(key, subject, sealed)
    assert refused.value.params == {"subject_id": str(subject), "problem": problem}


@pytest.mark.parametrize("payload", ["v1:not base64!", "v1:", "v1:" + "A" * 7])
def test_a_value_whose_text_is_damaged_is_unreadable_not_an_unexpected_error(
    payload: str,
) -> None:
    subject = uuid4()
    with pytest.raises(Unreadable) as refused:
        unseal(new_key(), subject, Sealed(payload))
    assert refused.value.code == "personal_data_damaged"
    assert refused.value.params["problem"] in {"malformed", "authentication_failed"}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("姓名录入错误", False),
        ("应为张小明", True),
        ("号码 510104200703151233", True),
        ("号码尾号x", False),
        ("生于20070315", True),
        ("生于2007年3月15日", True),
        ("born 2007-03-15", True),
        ("born 2007/3/15", True),
        ("2007.3.15出生", True),
        ("2007年入学", False),
    ],
)
def test_free_text_repeating_personal_data_is_recognised(text: str, found: bool) -> None:
    personal = PersonalData("张小明", "510104200703151233", date(2007, 3, 15))
    assert personal.appears_in(text) is found


def test_a_one_character_value_is_not_searched_for() -> None:
    assert not appears_in("王老师批准", name="王")
