"""Scoped list pages on the demo city (size city: ~2,000 deputies, ~200 units, ~120 stations).

Every list goes through `scope_for(user)`; this measures the pages a clerk opens most, for a
city clerk (the widest scope that still filters) and a town clerk (the narrowest), through the
full Django stack (middleware, session, templates) with the test client. Figures: median and
p95 over repeated requests after one warm-up, in milliseconds.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 30
PAGES = ["/", "/org/", "/org/stations/", "/org/grids/", "/deputies/", "/deputies/?level=town"]
USERS = ["city_clerk", "town_clerk"]


def _measure() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from renda.accounts.models import User

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", size="city", cases=0, verbosity=0, stdout=quiet)
    print(f"{'user':<12} {'page':<24} {'median ms':>10} {'p95 ms':>8}")
    for username in USERS:
        client = Client()
        client.force_login(
            User.objects.get(username=username),
            backend="django.contrib.auth.backends.ModelBackend",
        )
        for page in PAGES:
            assert client.get(page).status_code == 200, page
            samples = []
            for _ in range(REPEATS):
                started = time.perf_counter()
                client.get(page)
                samples.append((time.perf_counter() - started) * 1000)
            p95 = statistics.quantiles(samples, n=20)[-1]
            print(f"{username:<12} {page:<24} {statistics.median(samples):>10.1f} {p95:>8.1f}")


def main() -> None:
    # A child process, so the benchmark's settings never leak into the runner.
    with tempfile.TemporaryDirectory(prefix="renda-bench-scope-") as var_dir:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(
            DJANGO_SETTINGS_MODULE="renda.settings.base",
            DEBUG="0",
            SECRET_KEY="bench-only-" + "x" * 50,
            ALLOWED_HOSTS="testserver",
            SECURE_SSL_REDIRECT="0",
            RENDA_VAR_DIR=var_dir,
        )
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        subprocess.run([sys.executable, __file__, "--inner"], cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    if "--inner" in sys.argv:
        sys.path.insert(0, str(ROOT))
        _measure()
    else:
        main()
