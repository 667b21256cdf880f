"""How long `manage.py seed_demo` (size city) takes on a fresh SQLite database.

`make run` seeds the demo city on a fresh machine before the server starts, so this is time
a person waits. Each step runs in its own process with its own RENDA_VAR_DIR, so the figure
does not depend on what other benchmarks have set up.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="renda-bench-seed-") as var_dir:
        base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env = {**base, "DEBUG": "1", "RENDA_VAR_DIR": var_dir}
        _manage("migrate", "-v0", env=env)
        started = time.perf_counter()
        _manage("seed_demo", "--size", "city", env=env)
        elapsed = time.perf_counter() - started
    print(f"seed_demo --size city on fresh SQLite: {elapsed:.1f} s (process included)")


if __name__ == "__main__":
    main()
