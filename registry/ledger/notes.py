"""Signed checkpoints: C2SP ``tlog-checkpoint`` text in a C2SP ``signed-note``, Ed25519.

A checkpoint's text is three lines: the origin (the log's name), the tree size in decimal,
the root hash in base64, each ending in a newline. The note adds a blank line and one
signature line: an em dash, a space, the key name, a space, and base64 of the key ID (4
bytes) followed by the Ed25519 signature of the text. The key ID is the first four bytes of
SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key). Keys are written as Go's ``note`` package
writes them: ``PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 ‖ seed)>`` for the signer and
``<name>+<hex key id>+<base64(0x01 ‖ public key)>`` for verifiers.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from registry.private_files import private_file

ED25519 = b"\x01"
DASH = "\u2014"


class NoteError(ValueError):
    """A note, key or checkpoint that is malformed or whose signature does not verify."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public).digest()[:4]


def check_name(name: str) -> str:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError(f"a key name has no spaces and no '+': {name!r}")
    return name


@dataclass(frozen=True)
class Verifier:
    name: str
    public: bytes

    @property
    def id(self) -> bytes:
        return key_id(self.name, self.public)

    def text(self) -> str:
        return f"{self.name}+{self.id.hex()}+{b64(ED25519 + self.public)}"

    @classmethod
    def parse(cls, text: str) -> Verifier:
        try:
            name, hex_id, encoded = text.strip().split("+", 2)
            raw = base64.b64decode(encoded, validate=True)
        except ValueError as error:
            raise NoteError(f"not a verifier key: {text.strip()!r}") from error
        if raw[:1] != ED25519 or len(raw) != 33:
            raise NoteError("the verifier key is not an Ed25519 key")
        verifier = cls(check_name(name), raw[1:])
        if verifier.id.hex() != hex_id.lower():
            raise NoteError("the verifier key's id does not match its name and key")
        return verifier


@dataclass(frozen=True)
class Signer:
    name: str
    seed: bytes

    @property
    def key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    @property
    def verifier(self) -> Verifier:
        public = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return Verifier(self.name, public)

    def text(self) -> str:
        return f"PRIVATE+KEY+{self.name}+{self.verifier.id.hex()}+{b64(ED25519 + self.seed)}"

    def sign(self, text: str) -> str:
        """The signed note of ``text`` (which ends in a newline)."""
        if not text.endswith("\n"):
            raise NoteError("a note's text ends in a newline")
        signature = self.key.sign(text.encode())
        return f"{text}\n{DASH} {self.name} {b64(self.verifier.id + signature)}\n"

    @classmethod
    def generate(cls, name: str) -> Signer:
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
        return cls(check_name(name), seed)

    @classmethod
    def parse(cls, text: str) -> Signer:
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("not a signing key (PRIVATE+KEY+name+id+key)")
        raw = base64.b64decode(parts[4])
        if raw[:1] != ED25519 or len(raw) != 33:
            raise NoteError("the signing key is not an Ed25519 key")
        signer = cls(check_name(parts[2]), raw[1:])
        if signer.verifier.id.hex() != parts[3].lower():
            raise NoteError("the signing key's id does not match its name and key")
        return signer


def signer_from_file(path: Path, name: str) -> Signer:
    """The signing key in ``path``; made there (0600) with ``name`` when the file is absent."""
    if path.exists():
        return Signer.parse(path.read_text())
    signer = Signer.generate(name)
    # made whole beside it, then linked in place: two processes starting together never
    # sign with two keys; the one that loses reads the winner's
    draft = private_file(path.with_name(f"{path.name}.{os.getpid()}.{id(signer)}"))
    draft.write_text(signer.text() + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        return Signer.parse(path.read_text())
    finally:
        draft.unlink()
    return signer


def open_note(note: str, verifier: Verifier) -> str:
    """The text of a note signed by ``verifier``; ``NoteError`` when it is not."""
    text, sep, signatures = note.partition("\n\n")
    lines = signatures.splitlines()
    if not sep or not lines:
        raise NoteError("a signed note has its text, a blank line, then signature lines")
    text += "\n"
    for line in lines:
        try:
            dash, name, encoded = line.split(" ")
            raw = base64.b64decode(encoded, validate=True)
        except ValueError as error:
            raise NoteError(f"malformed signature line: {line!r}") from error
        if dash != DASH or name != verifier.name or raw[:4] != verifier.id:
            continue
        try:
            Ed25519PublicKey.from_public_bytes(verifier.public).verify(raw[4:], text.encode())
        except InvalidSignature as error:
            raise NoteError(f"the signature of {name} does not verify") from error
        return text
    raise NoteError(f"the note is not signed by {verifier.name}")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{b64(self.root)}\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        lines = text.split("\n")
        if len(lines) < 4 or lines[-1] != "" or not all(lines[:-1]):
            raise NoteError("a checkpoint is at least three non-empty lines")
        origin, size, root = lines[:3]
        if not size.isdigit() or (size != "0" and size.startswith("0")):
            raise NoteError(f"a checkpoint's tree size is a decimal number, not {size!r}")
        try:
            digest = base64.b64decode(root, validate=True)
        except ValueError as error:
            raise NoteError("a checkpoint's root hash is base64") from error
        if len(digest) != 32:
            raise NoteError("a checkpoint's root hash is 32 bytes")
        return cls(origin, int(size), digest)


def open_checkpoint(note: str, verifier: Verifier) -> Checkpoint:
    checkpoint = Checkpoint.parse(open_note(note, verifier))
    if checkpoint.origin != verifier.name:
        raise NoteError(f"the checkpoint is of {checkpoint.origin}, not {verifier.name}")
    return checkpoint
