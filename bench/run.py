"""Runs every benchmark in bench/ (files named bench_*.py, each with a main()) and prints
their figures. Later issues add the benchmarks; an empty bench/ prints that there are none."""

import importlib.util
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    found = sorted(here.glob("bench_*.py"))
    if not found:
        print("bench/: no benchmarks yet.")
        return 0
    for path in found:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"== {path.stem} ==", flush=True)
        module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
