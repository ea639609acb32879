"""Run the benchmarks: ``python -m bench`` (``make bench``); BENCH_N sets the size."""

from __future__ import annotations

import os

from bench import write_path


def main() -> None:
    n = int(os.environ.get("BENCH_N", "2000"))
    write_path.run(n).print()


if __name__ == "__main__":
    main()
