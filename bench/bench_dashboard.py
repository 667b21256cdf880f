"""Issue 6's dashboard benchmark: /dashboard/ (领导驾驶舱) over many generated cases, on SQLite
and on PostgreSQL, for the city's leader and for a county's.

For each database, in a child process with its own settings (DEBUG off, a temporary
RENDA_VAR_DIR; PostgreSQL in a database of its own, created and dropped here):

1. migrate, collectstatic, `seed_demo --size city`, then `bench.cases_data.generate` writes N
   cases (DASHBOARD_BENCH_CASES, default 1,000,000) with their assignments and events, and
   the tables are analyzed (what autovacuum / `PRAGMA optimize` would do). The generated rows
   bypass the case services, so the dashboard's counters are rebuilt from them
   (`renda.dashboard.counters.counts_rebuild`, as `manage.py rebuild_dashboard_counts`), timed.
2. Server time of /dashboard/ through the Django test client (full middleware, session and
   templates, no network), for the demo's city leader (`leader`) and a leader of the county
   with the most cases (made here):
   - cold: the per-scope cache emptied before every request, so each one computes every
     figure (the cost the first reader of a minute pays);
   - warm: the figures from the cache (every other reader of that minute).
   Median and p95 in milliseconds over up to REPEATS requests, the SQL queries of one
   request, this process's CPU time per request and the load average; for cold requests, the
   mean time of each part of the computation (nested parts overlap: `_grouped` includes the
   live part of `_monthly_from_counts`). Target: p95 <= 300 ms.

PostgreSQL: DASHBOARD_BENCH_PG (default postgres://postgres@127.0.0.1:5432/renda_bench_dashboard);
when no server answers, that half is skipped and says so.

DASHBOARD_BENCH_KEEP=DIR keeps the generated data for the next run instead of throwing it away
(as bench_cases' RENDA_BENCH_KEEP): the SQLite database under DIR/sqlite, the PostgreSQL
database left in place, each one's generation figures in DIR/<name>.json; a run that finds them
migrates and measures on them. DASHBOARD_BENCH_DATABASES=sqlite (or postgresql) runs one half.
"""

import contextlib
import dataclasses
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
KEEP = os.environ.get("DASHBOARD_BENCH_KEEP", "")
DATABASES = os.environ.get("DASHBOARD_BENCH_DATABASES", "sqlite,postgresql").split(",")


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

    from renda.accounts.models import User
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
    existing = User.objects.filter(username="bench_county_leader").first()
    if existing is not None:  # a kept run's
        return existing, congress.name, totals.get(path, 0)
    user = user_create(
        username="bench_county_leader", password="x" * 12, full_name="区县领导", validate=False
    )
    membership_grant(user=user, role=Role.LEADER, unit=congress)
    return user, congress.name, totals.get(path, 0)


def _rebuild_counts(kept: Path | None) -> dict:
    """The dashboard's counters rebuilt from the generated cases (which were written around
    the case services, so nothing counted them), timed. Kept data whose counters a run built
    already keeps them (the benchmark only reads cases), with the figures of that rebuild."""
    from django.db import connection

    from renda.dashboard.counters import counts_rebuild
    from renda.dashboard.models import CaseCount, RateAssignment

    done_before = kept.with_suffix(".rebuild.json") if kept is not None else None
    built = CaseCount.objects.exists() and RateAssignment.objects.exists()
    if done_before is not None and done_before.exists() and built:
        rebuild = json.loads(done_before.read_text())
        print(
            f"  counters kept from an earlier run, which rebuilt them from "
            f"{rebuild['cases']:,} cases in {rebuild['seconds']:.0f} s "
            f"(CPU {rebuild['cpu']:.0f} s; load {rebuild['load']})",
            flush=True,
        )
        return rebuild
    began, cpu = time.perf_counter(), time.process_time()
    done = counts_rebuild()
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    _analyze(connection.vendor)  # the new rows, as autovacuum / PRAGMA optimize would
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"  counters rebuilt from {done:,} cases in {seconds:.0f} s "
        f"(CPU {cpu:.0f} s in this process; load {load})",
        flush=True,
    )
    rebuild = {"cases": done, "seconds": seconds, "cpu": cpu, "load": load}
    if done_before is not None:
        done_before.write_text(json.dumps(rebuild))
    return rebuild


@contextlib.contextmanager
def _timed_parts(spent: dict[str, float]):
    """Time the dashboard's parts (renda.dashboard.selectors) while they run, into `spent`
    (milliseconds summed over the requests)."""
    from renda.dashboard import selectors

    def timed(name, fn, *, drain=False):
        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            out = fn(*args, **kwargs)
            if drain:
                out = list(out)
            spent[name] = spent.get(name, 0.0) + (time.perf_counter() - began) * 1000
            return out

        return wrapper

    # Looked up as module globals when called, so the wrappers see every call.
    parts = {
        "areas_for": {},
        "_monthly_from_counts": {"drain": True},
        "_grouped": {},
        "_rows": {},
        "_ranked_rates": {},
        "hot_words": {},
    }
    saved = {name: getattr(selectors, name) for name in parts}
    for name, options in parts.items():
        setattr(selectors, name, timed(name, saved[name], **options))
    try:
        yield
    finally:
        for name, fn in saved.items():
            setattr(selectors, name, fn)


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
        spent: dict[str, float] = {}
        began, cpu = time.perf_counter(), time.process_time()
        with _timed_parts(spent):
            while len(samples) < REPEATS and (
                len(samples) < 5 or time.perf_counter() - began < PAGE_SECONDS
            ):
                if mode == "cold":
                    cache.clear()
                started = time.perf_counter()
                client.get("/dashboard/")
                samples.append((time.perf_counter() - started) * 1000)
        cpu_ms = (time.process_time() - cpu) * 1000 / len(samples)
        p50 = statistics.median(samples)
        p95 = statistics.quantiles(samples, n=20, method="inclusive")[-1]
        if mode == "warm":
            with CaptureQueriesContext(connection) as queries:
                client.get("/dashboard/")
            query_count = len(queries.captured_queries)
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        row = {"who": label, "mode": mode, "n": len(samples), "p50": p50, "p95": p95}
        row.update(queries=query_count, cpu_ms=cpu_ms, load=load)
        rows.append(row)
        print(
            f"  {label:<24} {mode:<5} {row['n']:>3} {p50:>8.1f} {p95:>8.1f} {query_count:>7} "
            f"{cpu_ms:>7.1f}  {load}",
            flush=True,
        )
        if mode == "cold":  # where a computation's time goes, per request
            print(
                "    parts (mean ms): "
                + ", ".join(f"{k} {v / len(samples):.1f}" for k, v in spent.items()),
                flush=True,
            )
    return rows


def _generate(kept: Path | None):
    """Seed the city and generate the cases, or take those a kept run made."""
    from bench import cases_data
    from bench.demo_city import city_prepare

    if kept is not None and kept.exists():
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)  # the code may have moved on since
        with connection.cursor() as cursor:  # a table a migration filled (PlaceCount)
            cursor.execute("ANALYZE dashboard_placecount")
        call_command("collectstatic", interactive=False, verbosity=0)
        stats = cases_data.Stats(**json.loads(kept.read_text()))
        print(f"  kept data from {kept}: generated earlier in {stats.seconds:.0f} s", flush=True)
        return stats
    city_prepare()
    stats = cases_data.generate(CASES, progress=_progress)
    if kept is not None:
        kept.write_text(json.dumps(dataclasses.asdict(stats)))
    return stats


def _inner(out_path: str, kept: str) -> None:
    import django

    django.setup()
    from django.db import connection

    from renda.accounts.models import User

    vendor = connection.vendor
    stats = _generate(Path(kept) if kept else None)
    print(
        f"  generated {stats.cases:,} cases, {stats.events:,} events, "
        f"{stats.assignments:,} assignments in {stats.seconds:.0f} s",
        flush=True,
    )
    began = time.perf_counter()
    _analyze(vendor)
    print(f"  analyze: {time.perf_counter() - began:.0f} s", flush=True)
    rebuild = _rebuild_counts(Path(kept) if kept else None)
    county_user, county_name, county_cases = _county_leader()
    print(f"  county leader: {county_name} ({county_cases:,} cases)")
    print(
        f"  {'who':<24} {'mode':<5} {'n':>3} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7} "
        f"{'CPU ms':>7}  load"
    )
    rows = _measure(User.objects.get(username="leader"), "city leader")
    rows += _measure(county_user, "county leader")
    with open(out_path, "w") as out:
        json.dump({"cases": stats.cases, "rows": rows, "rebuild": rebuild}, out)


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
    with contextlib.ExitStack() as stack:
        if KEEP:
            var_dir = str(Path(KEEP) / "sqlite")
            Path(var_dir).mkdir(parents=True, exist_ok=True)
            kept = str(Path(KEEP) / f"{name}.json")
        else:
            var_dir = stack.enter_context(
                tempfile.TemporaryDirectory(prefix="renda-bench-dashboard-")
            )
            kept = ""
        out = Path(var_dir) / "result.json"
        subprocess.run(
            [sys.executable, "-m", "bench.bench_dashboard", "--inner", str(out), kept],
            cwd=ROOT,
            env=_env(var_dir, database_url),
            check=True,
        )
        return json.loads(out.read_text())


def main() -> None:
    started = time.perf_counter()
    results: dict[str, dict | None] = {}
    if "sqlite" in DATABASES:
        results["SQLite"] = _run_database("SQLite", None)
    name = urlsplit(PG_URL).path.lstrip("/")
    reuse = bool(KEEP) and (Path(KEEP) / "PostgreSQL.json").exists()
    try:
        if "postgresql" not in DATABASES:
            raise RuntimeError("not asked for (DASHBOARD_BENCH_DATABASES)")
        if not reuse:
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            _pg_admin(f'CREATE DATABASE "{name}"')
    except Exception as error:  # no server: say so and go on
        print(f"-- PostgreSQL skipped: {error}")
        results["PostgreSQL"] = None
    else:
        try:
            results["PostgreSQL"] = _run_database("PostgreSQL", PG_URL)
        finally:
            if not KEEP:
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
        rebuild = result["rebuild"]
        print(
            f"{db:<11} counters rebuilt from {rebuild['cases']:,} cases in "
            f"{rebuild['seconds']:.0f} s (CPU {rebuild['cpu']:.0f} s, load {rebuild['load']})"
        )
        for r in result["rows"]:
            verdict = "ok" if r["p95"] <= TARGET_MS else "MISS"
            print(
                f"{db:<11} {r['who']:<15} {r['mode']:<5} {r['p50']:>8.1f} {r['p95']:>8.1f} "
                f"{r['queries']:>7} {verdict} (load {r['load']})"
            )
    print(f"bench_dashboard: {time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    if "--inner" in sys.argv:
        at = sys.argv.index("--inner")
        _inner(sys.argv[at + 1], sys.argv[at + 2] if len(sys.argv) > at + 2 else "")
    else:
        main()
