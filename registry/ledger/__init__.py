"""The ledger: a Merkle tree over the event log, checkpoints signed over it, and proofs.

``merkle``: RFC 9162 §2 hashing, roots, inclusion and consistency proofs and their
verification; ``leaves``: the canonical bytes of one stored event; ``notes``: C2SP signed
notes and tlog checkpoints with Ed25519 keys; ``checkpoints``: where signed checkpoints are
kept (docs/ledger.md). The ledger's own file, which follows the log, is kept by the read
side (projections/ledger.py).
"""
