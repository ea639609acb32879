"""The ledger: following the log, verifying it, proving an event, and its cost on the write path.

``python -m bench.ledger [SIZE]`` (or ``run(size, n)`` from the benchmark runner), on a log
generated once (bench/generate.py, cached under ``BENCH_DIR`` like the read side's):

- **baseline**: read every notification through the recorder in batches of 5,000 and hash
  its leaf bytes (registry/ledger/leaves.py) with bare ``hashlib``, as a leaf is hashed;
- **the ledger's catch-up**: a fresh ledger file follows the whole log (leaves, subtrees,
  one transaction per batch); goal ≥ 70% of the baseline;
- **verify**: ``registry verify``'s work on that ledger (every leaf recomputed and compared,
  every subtree checked); goal ≥ 70% of the baseline;
- **an inclusion proof** for 1,000 random events of the whole tree: goal under 5 ms each;
- **the write path with the ledger following** each command (as ``projections.attach``
  does) beside the same commands without it, interleaved: goal ≥ 90%.

Results: docs/benchmarks.md, "The ledger".
"""

from __future__ import annotations

import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.projection import log_at
from bench.report import Measurement, Report
from bench.write_path import RegistrySide, Side, interleaved
from projections.engine.followers import FollowerFile
from projections.engine.projector import ApplicationLog
from projections.ledger import LedgerFollower, Tree
from projections.ledger_verify import verify
from registry.config import Settings
from registry.facade import Registry
from registry.ledger.leaves import leaf_bytes
from registry.ledger.notes import Signer

BATCH = 5000
ROUNDS = 2
PROOFS = 1000


def bare(app: Registry) -> float:
    start, after = time.perf_counter(), 0
    sha256 = hashlib.sha256
    while True:
        batch: Any = app.recorder.select_notifications(
            start=after, limit=BATCH, inclusive_of_start=False
        )
        if not batch:
            return time.perf_counter() - start
        for n in batch:
            sha256(b"\x00" + leaf_bytes(n)).digest()
        after = batch[-1].id


def follow(app: Registry, directory: Path) -> tuple[float, FollowerFile]:
    ledger = FollowerFile(directory, LedgerFollower(), ApplicationLog(app))
    start = time.perf_counter()
    ledger.follow(batch=BATCH)
    return time.perf_counter() - start, ledger


class LedgerSide(RegistrySide):
    name = "registry commands, the ledger following"

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.ledger = FollowerFile(directory / "read", LedgerFollower(), ApplicationLog(self.app))
        self.app.on_saved(self.follow)

    def follow(self, position: int) -> None:
        self.ledger.follow(until=position)


def run(size: int = 200_000, n: int = 1000) -> Report:
    app = Registry(Settings(data_dir=log_at(size)))
    count = app.max_position()
    report = Report(f"The ledger, on a log of {count:,} events")
    baseline = caught = checked = float("inf")
    proofs: list[float] = []
    try:
        for _ in range(ROUNDS):
            baseline = min(baseline, bare(app))
            with tempfile.TemporaryDirectory() as tmp:
                seconds, ledger = follow(app, Path(tmp))
                caught = min(caught, seconds)
                with ledger.reading() as db:
                    tree = Tree(db)
                    start = time.perf_counter()
                    outcome = verify(
                        ApplicationLog(app), tree, [], Signer.generate("bench").verifier
                    )
                    checked = min(checked, time.perf_counter() - start)
                    assert outcome.ok and outcome.events == tree.size()
                    size_now = tree.size()
                    for index in random.Random(7).sample(range(size_now), PROOFS):
                        start = time.perf_counter()
                        tree.inclusion(index, size_now)
                        proofs.append(time.perf_counter() - start)
                ledger.close()
    finally:
        app.close()
    base = Measurement("bare hashlib over the leaf bytes", count, baseline)
    report.compare(Measurement("the ledger's catch-up", count, caught), base, goal=0.70)
    report.compare(Measurement("registry verify", count, checked), base, goal=0.70)
    proofs.sort()
    p99, median = proofs[len(proofs) * 99 // 100] * 1000, proofs[len(proofs) // 2] * 1000
    report.note(
        f"inclusion proof in a tree of {count:,}: median {median:.2f} ms, p99 {p99:.2f} ms"
        f" (goal < 5 ms) {'goal met' if p99 < 5 else 'BELOW GOAL'}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "plain").mkdir()
        (root / "ledger").mkdir()
        sides: list[Side] = [RegistrySide(root / "plain"), LedgerSide(root / "ledger")]
        for side in sides:
            for i in range(n, n + 20):
                side.step(i)
        plain, with_ledger = interleaved(sides, n)
        for side in sides:
            side.close()
    report.compare(with_ledger, plain, goal=0.90)
    return report


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000).print()
