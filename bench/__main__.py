"""`make bench` runs every benchmark module; `make bench BENCH_ARGS=onboarding` runs one."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import bench


def main(argv: list[str]) -> None:
    names = argv or sorted(m.name for m in pkgutil.iter_modules(bench.__path__)
                           if not m.name.startswith("_"))
    environment = dict(os.environ)
    for name in names:
        print(f"\n=== bench.{name} ===", flush=True)
        importlib.import_module(f"bench.{name}").main()
        # Each benchmark points DATABASE_URL at its own scratch database: the next one
        # starts from the server's URL again.
        os.environ.clear()
        os.environ.update(environment)


if __name__ == "__main__":
    main(sys.argv[1:])
