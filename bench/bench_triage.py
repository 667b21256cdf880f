"""Triage on the demo city: unit suggestion top-3 accuracy with a time split, the category
classifier trained from the city's own cases, and the duplicate index rebuild.

Seeds the demo city (`seed_demo --size city`) into a fresh SQLite database in a temporary
RENDA_VAR_DIR, then runs the same management commands an operator would, in their own
processes, and prints their figures.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=check,
        capture_output=True,
        text=True,
    )


def _lines(result: subprocess.CompletedProcess) -> list[str]:
    text = result.stdout + result.stderr
    # django-axes announces itself on stderr in every process: not a figure.
    return [line for line in text.splitlines() if line.strip() and not line.startswith("AXES:")]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="renda-bench-triage-") as var_dir:
        base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env = {**base, "DEBUG": "1", "RENDA_VAR_DIR": var_dir}
        _manage("migrate", "-v0", env=env)
        _manage("seed_demo", "--size", "city", env=env)

        started = time.perf_counter()
        result = _manage("rebuild_duplicate_index", env=env)
        seconds = time.perf_counter() - started
        print(f"rebuild_duplicate_index: {seconds:.1f} s ({_lines(result)[-1]})")

        result = _manage("evaluate_unit_suggestion", env=env, check=False)
        if result.returncode != 0:
            print(f"unit top-3 accuracy: n/a ({' '.join(_lines(result))})")
        else:
            for line in _lines(result):
                print(line)

        started = time.perf_counter()
        result = _manage("train_classifier", env=env, check=False)
        seconds = time.perf_counter() - started
        print(f"train_classifier on the demo city: {seconds:.1f} s (process included)")
        for line in _lines(result):
            print(f"  {line}")


if __name__ == "__main__":
    main()
