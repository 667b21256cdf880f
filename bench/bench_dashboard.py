"""Issue 6's dashboard benchmark: /dashboard/ (领导驾驶舱) over many generated cases, on SQLite
and on PostgreSQL, for the city's leader and for a county's.

For each database, in a child process with its own settings (DEBUG off, a temporary
RENDA_VAR_DIR; PostgreSQL in a database of its own, created and dropped here):

1. migrate, collectstatic, `seed_demo --size city`, then `bench.cases_data.generate` writes N
   cases (DASHBOARD_BENCH_CASES, default 1,000,000) with their assignments and events, and
   the tables are analyzed (what autovacuum / `PRAGMA optimize` would do).
2. Server time of /dashboard/ through the Django test client (full middleware, session and
   templates, no network), for the demo's city leader (`leader`) and a leader of the county
   with the most cases (made here):
   - cold: the per-scope cache emptied before every request, so each one computes every
     figure (the cost the first reader of a minute pays);
   - warm: the figures from the cache (every other reader of that minute).
   Median and p95 in milliseconds over up to REPEATS requests, and the SQL queries of one
   request. Target: p95 <= 300 ms.

PostgreSQL: DASHBOARD_BENCH_PG (default postgres://postgres@127.0.0.1:5432/renda_bench_dashboard);
when no server answers, that half is skipped and says so.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CASES = int(os.environ.get("DASHBOARD_BENCH_CASES", "1000000"))
PG_URL = os.environ.get(
    "DASHBOARD_BENCH_PG", "postgres://postgres@127.0.0.1:5432/renda_bench_dashboard"
)
REPEATS = 20
PAGE_SECONDS = 30.0
TARGET_MS = 300.0


def _progress(done: int, seconds: float, note: str = "") -> None:
    if note or done % 200_000 == 0 or done == CASES:
        print(f"  … {done:,} cases, {seconds:.0f} s {note}".rstrip(), flush=True)


def _analyze(vendor: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")


def _county_leader():
    """A leader of the county congress whose region holds the most cases."""
    from django.db.models import Count

    from renda.accounts.services import user_create
    from renda.cases.models import Case
    from renda.org.models import Level, OrgUnit, Region
    from renda.org.roles import Role
    from renda.org.services import membership_grant

    counties = list(Region.objects.filter(level=Level.COUNTY).values_list("path", flat=True))
    step = Region.steplen
    depth = len(counties[0]) if counties else step
    totals: dict[str, int] = {}
    for row in Case.objects.values("region__path").annotate(n=Count("pk")).order_by():
        prefix = row["region__path"][:depth]
        totals[prefix] = totals.get(prefix, 0) + row["n"]
    path = max(counties, key=lambda p: totals.get(p, 0))
    congress = OrgUnit.objects.get(region__path=path, kind__in=OrgUnit.CONGRESS_KINDS)
    user = user_create(
        username="bench_county_leader", password="x" * 12, full_name="区县领导", validate=False
    )
    membership_grant(user=user, role=Role.LEADER, unit=congress)
    return user, congress.name, totals.get(path, 0)


def _measure(user, label: str) -> list[dict]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    rows = []
    for mode in ("cold", "warm"):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/dashboard/")  # warm-up (and the cache filled)
        if response.status_code != 200:
            raise RuntimeError(f"{label}: HTTP {response.status_code}")
        query_count = len(queries.captured_queries)
        samples: list[float] = []
        began = time.perf_counter()
        while len(samples) < REPEATS and (
            len(samples) < 5 or time.perf_counter() - began < PAGE_SECONDS
        ):
            if mode == "cold":
                cache.clear()
            started = time.perf_counter()
            client.get("/dashboard/")
            samples.append((time.perf_counter() - started) * 1000)
        p50 = statistics.median(samples)
        p95 = statistics.quantiles(samples, n=20, method="inclusive")[-1]
        if mode == "warm":
            with CaptureQueriesContext(connection) as queries:
                client.get("/dashboard/")
            query_count = len(queries.captured_queries)
        row = {"who": label, "mode": mode, "n": len(samples), "p50": p50, "p95": p95}
        row["queries"] = query_count
        rows.append(row)
        print(
            f"  {label:<24} {mode:<5} {row['n']:>3} {p50:>8.1f} {p95:>8.1f} {query_count:>7}",
            flush=True,
        )
    return rows


def _inner(out_path: str) -> None:
    import django

    django.setup()
    from django.db import connection

    from bench import cases_data
    from bench.demo_city import city_prepare
    from renda.accounts.models import User

    vendor = connection.vendor
    city_prepare()
    stats = cases_data.generate(CASES, progress=_progress)
    print(
        f"  generated {stats.cases:,} cases, {stats.events:,} events, "
        f"{stats.assignments:,} assignments in {stats.seconds:.0f} s",
        flush=True,
    )
    began = time.perf_counter()
    _analyze(vendor)
    print(f"  analyze: {time.perf_counter() - began:.0f} s", flush=True)
    county_user, county_name, county_cases = _county_leader()
    print(f"  county leader: {county_name} ({county_cases:,} cases)")
    print(f"  {'who':<24} {'mode':<5} {'n':>3} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7}")
    rows = _measure(User.objects.get(username="leader"), "city leader")
    rows += _measure(county_user, "county leader")
    with open(out_path, "w") as out:
        json.dump({"cases": stats.cases, "rows": rows}, out)


def _env(var_dir: str, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="renda.settings.base",
        DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="testserver,127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        RENDA_VAR_DIR=var_dir,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _pg_admin(sql: str) -> None:
    import psycopg

    admin_url = urlsplit(PG_URL)._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def _run_database(name: str, database_url: str | None) -> dict:
    print(f"-- {name} ({CASES:,} cases) --", flush=True)
    with tempfile.TemporaryDirectory(prefix="renda-bench-dashboard-") as var_dir:
        out = Path(var_dir) / "result.json"
        subprocess.run(
            [sys.executable, "-m", "bench.bench_dashboard", "--inner", str(out)],
            cwd=ROOT,
            env=_env(var_dir, database_url),
            check=True,
        )
        return json.loads(out.read_text())


def main() -> None:
    started = time.perf_counter()
    results: dict[str, dict | None] = {"SQLite": _run_database("SQLite", None)}
    name = urlsplit(PG_URL).path.lstrip("/")
    try:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg_admin(f'CREATE DATABASE "{name}"')
    except Exception as error:  # no server: say so and go on
        print(f"-- PostgreSQL skipped: {error}")
        results["PostgreSQL"] = None
    else:
        try:
            results["PostgreSQL"] = _run_database("PostgreSQL", PG_URL)
        finally:
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(
        f"\nSummary: /dashboard/ with {CASES:,} cases "
        f"(server time, target p95 <= {TARGET_MS:.0f} ms)"
    )
    print(f"{'database':<11} {'who':<15} {'mode':<5} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7}")
    for db, result in results.items():
        if result is None:
            print(f"{db:<11} skipped")
            continue
        for r in result["rows"]:
            verdict = "ok" if r["p95"] <= TARGET_MS else "MISS"
            print(
                f"{db:<11} {r['who']:<15} {r['mode']:<5} {r['p50']:>8.1f} {r['p95']:>8.1f} "
                f"{r['queries']:>7} {verdict}"
            )
    print(f"bench_dashboard: {time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    if "--inner" in sys.argv:
        _inner(sys.argv[sys.argv.index("--inner") + 1])
    else:
        main()
