"""Run every benchmark: ``python -m bench`` (``make bench``).

Each prints its measurements beside baselines measured in the same run. ``BENCH_N`` sets the
write path's size (default 2000); ``BENCH_EVENTS`` the read side's log sizes (default
100000,200000; the generated logs are kept under ``var/bench`` for the next run).
"""

from __future__ import annotations

import os

from bench import findings, projection, write_path


def main() -> None:
    write_path.run(int(os.environ.get("BENCH_N", "2000"))).print()
    sizes = tuple(int(n) for n in os.environ.get("BENCH_EVENTS", "100000,200000").split(","))
    print("\n== Read side: catch-up, rebuild, peak memory, as-of queries ==")
    projection.run(sizes=sizes)
    print("\n== Findings and indicators ==")
    findings.run(size=max(sizes))


if __name__ == "__main__":
    main()
