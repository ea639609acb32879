"""Signed checkpoints checked by a verifier written here from the C2SP texts alone
(signed-note, tlog-checkpoint), never the project's own parsing."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from registry.ledger.merkle import leaf_hash
from registry.ledger.notes import Checkpoint, Signer


def c2sp_open(note: bytes, verifier_key: str) -> list[str]:
    """The checkpoint's lines if ``note`` is signed by the key; raises otherwise."""
    name, key_id_hex, encoded = verifier_key.split("+", 2)
    key = base64.b64decode(encoded)
    assert key[0] == 0x01 and len(key) == 33  # Ed25519
    key_id = hashlib.sha256(name.encode() + b"\x0a" + key).digest()[:4]
    assert key_id.hex() == key_id_hex
    text = note.decode("utf-8")
    assert not any(ord(c) < 0x20 and c != "\n" for c in text)
    body, blank, signatures = text.partition("\n\n")
    assert blank
    body += "\n"
    for line in signatures.split("\n")[:-1]:
        assert line.startswith("\u2014 ")
        line_name, signature = line[2:].split(" ")
        raw = base64.b64decode(signature)
        if line_name == name and raw[:4] == key_id:
            Ed25519PublicKey.from_public_bytes(key[1:]).verify(raw[4:], body.encode())
            lines = body.split("\n")[:-1]
            assert len(lines) >= 3 and all(lines)
            assert lines[1] == "0" or not lines[1].startswith("0")
            assert len(base64.b64decode(lines[2])) == 32
            return lines
    raise AssertionError("no signature by that key")


def test_a_signed_checkpoint_opens_with_the_c2sp_rules_alone() -> None:
    signer = Signer.generate("registry.example/ledger")
    digest = leaf_hash(b"one")
    note = signer.sign(Checkpoint("registry.example/ledger", 1, digest).text())
    lines = c2sp_open(note.encode(), signer.verifier.text())
    assert lines == ["registry.example/ledger", "1", base64.b64encode(digest).decode()]


def test_a_changed_checkpoint_fails_the_c2sp_verifier() -> None:
    signer = Signer.generate("registry.example/ledger")
    note = signer.sign(Checkpoint("registry.example/ledger", 10, leaf_hash(b"x")).text())
    with pytest.raises(InvalidSignature):
        c2sp_open(note.replace("\n10\n", "\n11\n").encode(), signer.verifier.text())


def test_the_private_key_reads_back_as_the_same_signer() -> None:
    signer = Signer.generate("registry.example/ledger")
    assert Signer.parse(signer.text()) == signer
    assert signer.text().startswith("PRIVATE+KEY+registry.example/ledger+")
