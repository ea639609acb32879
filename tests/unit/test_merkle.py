"""The ledger's Merkle tree against an independent implementation and the RFC's own verifiers.

Roots and inclusion proofs are compared with ``pymerkle`` (RFC 9162 hashing by default; it
counts leaves from 1 and its inclusion path starts with the leaf itself). Consistency proofs
are checked by a verifier written here from RFC 9162 §2.1.4.2, not the project's own.
"""

from __future__ import annotations

import hashlib

import pytest
from pymerkle import InmemoryTree

from registry.ledger.merkle import (
    Frontier,
    consistency_proof,
    edge_indexes,
    inclusion_proof,
    leaf_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

SIZES = [*range(1, 301), 511, 512, 513, 1000, 1025]
ENTRIES = [f"event {i}".encode() for i in range(max(SIZES))]


class Stored:
    """The perfect subtrees a Frontier completes, as the ledger's file keeps them."""

    def __init__(self, entries: list[bytes]) -> None:
        self.frontier = Frontier()
        self.nodes: dict[tuple[int, int], bytes] = {}
        self.roots: list[bytes] = []
        for entry in entries:
            for level, index, digest in self.frontier.append(leaf_hash(entry)):
                self.nodes[level, index] = digest
            self.roots.append(self.frontier.root())

    def subtree(self, level: int, index: int) -> bytes:
        return self.nodes[level, index]


@pytest.fixture(scope="module")
def reference() -> InmemoryTree:
    tree = InmemoryTree()
    for entry in ENTRIES:
        tree.append_entry(entry)
    return tree


@pytest.fixture(scope="module")
def stored() -> Stored:
    return Stored(ENTRIES)


def test_roots_equal_pymerkles_for_every_size(reference: InmemoryTree, stored: Stored) -> None:
    for size in SIZES:
        expected = reference.get_root(size)
        assert root(stored.subtree, size) == expected, size
        assert stored.roots[size - 1] == expected, size


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 8, 13, 64, 100, 255, 300, 1025])
def test_inclusion_proofs_equal_pymerkles(
    reference: InmemoryTree, stored: Stored, size: int
) -> None:
    for index in range(size):
        theirs = [
            bytes.fromhex(h) for h in reference.prove_inclusion(index + 1, size).serialize()["path"]
        ]
        assert theirs[0] == leaf_hash(ENTRIES[index])
        assert inclusion_proof(stored.subtree, index, size) == theirs[1:], (index, size)


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def rfc_verify_consistency(
    first: int, second: int, first_hash: bytes, second_hash: bytes, path: list[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2, step by step."""
    if first == second:
        return not path and first_hash == second_hash
    if not path:
        return False
    if first & (first - 1) == 0:
        path = [first_hash, *path]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_hash and sr == second_hash and sn == 0


def test_consistency_proofs_pass_the_rfcs_verifier(reference: InmemoryTree, stored: Stored) -> None:
    for new in [*range(1, 70), 255, 256, 257, 1000]:
        for old in range(1, new + 1):
            proof = consistency_proof(stored.subtree, old, new)
            assert rfc_verify_consistency(
                old, new, reference.get_root(old), reference.get_root(new), proof
            ), (old, new)


def test_a_consistency_proof_fails_against_another_history(stored: Stored) -> None:
    other = Stored([b"rewritten", *ENTRIES[1:100]])
    proof = consistency_proof(stored.subtree, 10, 100)
    assert not rfc_verify_consistency(10, 100, other.roots[9], stored.roots[99], proof)
    assert not rfc_verify_consistency(10, 100, stored.roots[9], other.roots[99], proof)


def test_a_frontier_resumed_from_stored_subtrees_goes_on_as_one_never_stopped(
    stored: Stored,
) -> None:
    for size in (1, 6, 64, 100):
        resumed = Frontier(size, [stored.subtree(level, i) for level, i in edge_indexes(size)])
        for entry in ENTRIES[size:300]:
            resumed.append(leaf_hash(entry))
        assert resumed.root() == stored.roots[299]


def test_the_projects_own_verifiers_accept_these_proofs_and_refuse_altered_ones(
    reference: InmemoryTree, stored: Stored
) -> None:
    for size in (1, 7, 100, 300):
        for index in range(0, size, 7):
            proof = inclusion_proof(stored.subtree, index, size)
            digest = leaf_hash(ENTRIES[index])
            assert verify_inclusion(digest, index, size, proof, reference.get_root(size))
            assert not verify_inclusion(digest, index + 1, size, proof, reference.get_root(size))
        for old in range(1, size + 1, 9):
            proof = consistency_proof(stored.subtree, old, size)
            roots = reference.get_root(old), reference.get_root(size)
            assert verify_consistency(old, size, *roots, proof)
            if proof:
                assert not verify_consistency(old, size, *roots, [b"\0" * 32, *proof[1:]])
