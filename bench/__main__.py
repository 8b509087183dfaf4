"""`python -m bench [NAME ...]`: run every benchmark (or the named ones) and print their numbers.

Each `bench/bench_<name>.py` has `async def main() -> None` (or a plain `def main() -> None`) that prints
its results as lines of `<what>: <median> / <p95> ...`. Budgets are printed beside the numbers; nothing is
asserted, because these machines are shared and noisy.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil
import sys
import time
from pathlib import Path


def main(names: list[str]) -> int:
    """Run the benchmarks; returns the exit code."""
    found = sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_")
    )
    chosen = [n for n in found if not names or n.removeprefix("bench_") in names]
    for name in chosen:
        module = importlib.import_module(f"bench.{name}")
        print(
            f"== {name.removeprefix('bench_')}: {(module.__doc__ or '').strip().splitlines()[0]}", flush=True
        )
        started = time.perf_counter()
        result = module.main()
        if inspect.isawaitable(result):
            asyncio.run(result)  # type: ignore[arg-type]
        print(f"   ({time.perf_counter() - started:.1f} s)\n", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
