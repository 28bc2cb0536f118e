"""``python -m benchmarks [--quick] [--out PATH]``: run, print the table, write JSON."""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.harness import run

_DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "latest.json"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small iteration counts (< 60 s)")
    parser.add_argument("--out", type=Path, default=_DEFAULT_OUT, help="where to write JSON")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also cProfile Heel Coach's in-process requests and print the top",
    )
    args = parser.parse_args()
    return run(quick=args.quick, out=args.out, profile=args.profile)


if __name__ == "__main__":
    raise SystemExit(main())
