"""Run every benchmark: ``python -m bench`` (``make bench``).

Each prints its measurements beside baselines measured in the same run. ``BENCH_N`` sets the
write path's size (default 2000); ``BENCH_EVENTS`` the read side's log sizes (default
100000,200000; the generated logs are kept under ``var/bench`` for the next run);
``BENCH_WEB_AGREEMENTS`` the web benchmark's registry (default 50000) and
``BENCH_WEB_SECONDS`` how long each load lasts (default 10).
"""

from __future__ import annotations

import os

from bench import decoding, findings, ledger, projection, web, write_path


def main() -> None:
    write_path.run(int(os.environ.get("BENCH_N", "2000"))).print()
    sizes = tuple(int(n) for n in os.environ.get("BENCH_EVENTS", "100000,200000").split(","))
    print("\n== Read side: catch-up, rebuild, peak memory, as-of queries ==")
    projection.run(sizes=sizes)
    decoding.run(size=min(sizes)).print()
    ledger.run(size=max(sizes), n=int(os.environ.get("BENCH_N", "2000")) // 2).print()
    print("\n== Findings and indicators ==")
    findings.run(size=max(sizes))
    print("\n== Web under load: pages beside a bare Flask page, proposals through the form ==")
    web.run(agreements=int(os.environ.get("BENCH_WEB_AGREEMENTS", str(web.AGREEMENTS))))


if __name__ == "__main__":
    main()
