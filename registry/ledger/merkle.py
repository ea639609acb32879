"""RFC 9162 §2 Merkle trees: hashes, roots, inclusion and consistency proofs.

A leaf's hash is SHA-256(0x00 ‖ leaf bytes) and a node's SHA-256(0x01 ‖ left ‖ right); the
tree over n leaves splits at the largest power of two below n (§2.1.1). The functions below
read the tree through ``Subtrees``: the hash of a *perfect* subtree, 2^level leaves starting
at leaf ``index × 2^level`` (level 0: the leaves' own hashes). Every range the proofs need
decomposes into such subtrees, so a store that keeps them answers any root or proof with
O(log n) reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

Subtrees = Callable[[int, int], bytes]
"""``subtree(level, index)``: the hash of leaves [index·2^level, (index+1)·2^level)."""

EMPTY_ROOT = hashlib.sha256(b"").digest()


class ProofError(ValueError):
    """A proof asked for sizes or an index the tree does not have."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(size: int) -> int:
    """The largest power of two smaller than ``size`` (size > 1)."""
    return 1 << ((size - 1).bit_length() - 1)


def range_hash(subtree: Subtrees, start: int, end: int) -> bytes:
    """MTH of leaves [start, end); ``start`` is a multiple of the range's split, as in every
    range a proof or root needs."""
    size = end - start
    if size <= 0:
        return EMPTY_ROOT
    if size & (size - 1) == 0:
        level = size.bit_length() - 1
        return subtree(level, start >> level)
    k = split(size)
    return node_hash(range_hash(subtree, start, start + k), range_hash(subtree, start + k, end))


def root(subtree: Subtrees, size: int) -> bytes:
    return range_hash(subtree, 0, size)


def inclusion_proof(subtree: Subtrees, index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 9162 §2.1.3.1, nearest the leaf first."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size} leaves")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = split(end - start)
        if index < start + k:
            path.append(range_hash(subtree, start + k, end))
            end = start + k
        else:
            path.append(range_hash(subtree, start, start + k))
            start += k
    path.reverse()
    return path


def consistency_proof(subtree: Subtrees, old: int, new: int) -> list[bytes]:
    """PROOF(old, D[0:new]) of RFC 9162 §2.1.4.1."""
    if not 0 < old <= new:
        raise ProofError(f"no consistency proof from {old} to {new} leaves")
    proof: list[bytes] = []
    start, end, m, complete = 0, new, old, True
    while m != end - start:
        k = split(end - start)
        if m <= k:
            proof.append(range_hash(subtree, start + k, end))
            end = start + k
        else:
            proof.append(range_hash(subtree, start, start + k))
            start, m, complete = start + k, m - k, False
    if not complete:
        proof.append(range_hash(subtree, start, end))
    proof.reverse()
    return proof


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], expected_root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` place the leaf hash at ``index`` under the root?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def verify_consistency(
    old: int, new: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: is the tree of ``new`` leaves an extension of that of ``old``?"""
    if not 0 < old <= new:
        return False
    if old == new:
        return not proof and old_root == new_root
    if not proof:
        return False
    path = list(proof)
    if old & (old - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


class Frontier:
    """The right edge of a growing tree: append leaves, get the root at any size on the way.

    Holds one hash per set bit of the size (at most 64), so streaming a whole log through it
    takes constant memory. ``append`` returns the perfect subtrees each leaf completes, as
    (level, index, hash), for a store that keeps them.
    """

    def __init__(self, size: int = 0, edge: Sequence[bytes] = ()) -> None:
        """``edge``: the perfect subtrees of a tree of ``size`` leaves, largest first."""
        self.size = size
        self._edge: list[tuple[int, bytes]] = [
            (level, digest) for level, digest in zip(edge_levels(size), edge, strict=True)
        ]

    def copy(self) -> Frontier:
        copied = Frontier()
        copied.size, copied._edge = self.size, list(self._edge)
        return copied

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        completed = [(0, self.size, leaf)]
        level, digest = 0, leaf
        while self._edge and self._edge[-1][0] == level:
            _, left = self._edge.pop()
            digest = node_hash(left, digest)
            level += 1
            completed.append((level, self.size >> level, digest))
        self._edge.append((level, digest))
        self.size += 1
        return completed

    def root(self) -> bytes:
        if not self._edge:
            return EMPTY_ROOT
        digest = self._edge[-1][1]
        for _, left in reversed(self._edge[:-1]):
            digest = node_hash(left, digest)
        return digest


def edge_levels(size: int) -> list[int]:
    """The levels of the perfect subtrees along a tree's right edge, largest first."""
    return [level for level in range(size.bit_length() - 1, -1, -1) if size >> level & 1]


def edge_indexes(size: int) -> list[tuple[int, int]]:
    """(level, index) of those subtrees."""
    found, start = [], 0
    for level in edge_levels(size):
        found.append((level, start >> level))
        start += 1 << level
    return found
