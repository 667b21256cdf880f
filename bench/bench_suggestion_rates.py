"""Issue 6's suggestion rates benchmark: /suggestions/rates/ (建议办理统计) and its Excel
(年度建议办理情况表) over many generated cases, activities and suggestions, on SQLite and on
PostgreSQL. Target: the rates table's p95 <= 200 ms.

For each database, in a child process with its own settings (DEBUG off, a temporary
RENDA_VAR_DIR; PostgreSQL in a database of its own, created and dropped here):

1. migrate, collectstatic, `seed_demo --size city`, then `bench.cases_data.generate` writes
   SUGRATES_BENCH_CASES cases (default 1,000,000) with their assignments and events,
   SUGRATES_BENCH_ACTIVITIES activities (default a tenth of the cases), and
   SUGRATES_BENCH_SUGGESTIONS suggestions (default 20,000) over three years: three sessions
   of every congress (one a year) and the time between them, each suggestion with its case,
   its first-round lead assignment (some with a returned one before it, some with a co-unit,
   some extended to six months), the answer (A/B/C), the deputy's rating and re-handling
   after 不满意. Then the tables are analyzed (what autovacuum / `PRAGMA optimize` would do)
   and the copies the rates read are written (`renda.suggestions.copies.refresh`, one UPDATE,
   as migration 0002 fills them).
2. Server time through the Django test client (full middleware, session and templates, no
   network) of the rates page (all years; one year; one session) and of the Excel export, for
   the city's congress clerk (everything), a county's clerk and the handler of the unit that
   leads most suggestions. Median and p95 in milliseconds over REPEATS requests, the SQL
   queries of one request, and the load average beside them (the machine is shared).

Sizes: SUGRATES_BENCH_CASES, SUGRATES_BENCH_SUGGESTIONS, SUGRATES_BENCH_ACTIVITIES.
PostgreSQL: SUGRATES_BENCH_PG (default postgres://postgres@127.0.0.1:5432/renda_bench_sugrates);
when no server answers, that half is skipped and says so.
"""

import calendar
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CASES = int(os.environ.get("SUGRATES_BENCH_CASES", "1000000"))
SUGGESTIONS = int(os.environ.get("SUGRATES_BENCH_SUGGESTIONS", "20000"))
ACTIVITIES = int(os.environ.get("SUGRATES_BENCH_ACTIVITIES", str(max(CASES // 10, 1000))))
PG_URL = os.environ.get(
    "SUGRATES_BENCH_PG", "postgres://postgres@127.0.0.1:5432/renda_bench_sugrates"
)
REPEATS = 20
TARGET_MS = 200.0
YEARS = 3
BATCH = 5000


def _progress(done: int, seconds: float, note: str = "") -> None:
    if note or done % 200_000 == 0 or done == CASES:
        print(f"  … {done:,} cases, {seconds:.0f} s {note}".rstrip(), flush=True)


def _load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def _analyze(vendor: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")


# --- generation -----------------------------------------------------------------------------


def _months_later(start: dt.date, months: int) -> dt.date:
    """As `suggestions.services.months_later`, with weekends as the only rest days."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    due = dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    while due.weekday() >= 5:
        due += dt.timedelta(days=1)
    return due


def _activities(rng: random.Random, n: int) -> None:
    from renda.activities.models import Activity, ActivityKind
    from renda.org.models import Level, OrgUnit

    kinds = list(ActivityKind.objects.values_list("pk", flat=True))
    organisers = list(
        OrgUnit.objects.filter(kind__in=OrgUnit.CONGRESS_KINDS, region__level=Level.TOWN)
        .values_list("pk", "region_id")
        .order_by("pk")
    ) or list(
        OrgUnit.objects.filter(kind__in=OrgUnit.CONGRESS_KINDS).values_list("pk", "region_id")
    )
    today = dt.date.today()
    rows = []
    for _ in range(n):
        unit, region = rng.choice(organisers)
        rows.append(
            Activity(
                kind_id=rng.choice(kinds),
                title="代表活动",
                date=today - dt.timedelta(days=rng.randrange(YEARS * 365)),
                region_id=region,
                organiser_id=unit,
                status="held" if rng.random() < 0.95 else "cancelled",
            )
        )
    Activity.objects.bulk_create(rows, batch_size=BATCH)


class _Plan:
    """The congresses with their handling units, deputies and sessions."""

    def __init__(self, rng: random.Random) -> None:
        from django.db.models import Q

        from renda.deputies.models import Seat, Term
        from renda.org.models import OrgUnit
        from renda.suggestions.models import CongressSession

        units = list(OrgUnit.objects.values("pk", "kind", "region_id", "region__path", "is_active"))
        handling = [u for u in units if u["kind"] == OrgUnit.Kind.HANDLING_UNIT and u["is_active"]]
        seats: dict[int, list[int]] = {}
        for congress, deputy in Seat.objects.values_list("term__congress_id", "deputy_id"):
            seats.setdefault(congress, []).append(deputy)
        self.congresses = []
        this_year = dt.date.today().year
        self.first_year = this_year - YEARS + 1
        sessions = []
        today = dt.date.today()
        current = Term.objects.filter(start_date__lte=today).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today)
        )
        for term in current.select_related("congress__region"):
            congress = term.congress
            path = congress.region.path
            own = [u["pk"] for u in handling if u["region__path"].startswith(path)]
            if not own or not seats.get(congress.pk):
                continue
            # Counties and the city file most; a town's congress a few.
            weight = 1 + 8 * (len(path) <= 3 * 4)
            self.congresses.append(
                (congress.pk, congress.region_id, own, seats[congress.pk], weight)
            )
            for i, year in enumerate(range(self.first_year, this_year + 1), start=1):
                opens = dt.date(year, 1, 10) + dt.timedelta(days=rng.randrange(40))
                sessions.append(
                    CongressSession(
                        term=term,
                        number=i,
                        opens_on=opens,
                        closes_on=opens + dt.timedelta(days=4),
                        status=CongressSession.Status.CLOSED
                        if year < this_year
                        else CongressSession.Status.OPEN,
                    )
                )
        if not self.congresses:
            raise RuntimeError("no congress with a current term, deputies and handling units")
        CongressSession.objects.bulk_create(sessions, batch_size=BATCH)
        self.sessions: dict[tuple[int, int], tuple[int, dt.date]] = {
            (s.term.congress_id, s.opens_on.year): (s.pk, s.opens_on)
            for s in CongressSession.objects.select_related("term")
        }
        self.weights = [c[4] for c in self.congresses]


def _suggestions(rng: random.Random, n: int) -> dict:
    """`n` suggestions with their cases, assignments and ratings, written in bulk."""
    from django.db import transaction

    from renda.accounts.models import User
    from renda.cases.models import Assignment, Case, Category
    from renda.suggestions.models import Suggestion

    plan = _Plan(rng)
    categories = list(Category.objects.values_list("pk", flat=True))
    clerk = User.objects.order_by("pk").values_list("pk", flat=True).first()
    today = dt.date.today()
    for field in ("created_at",):
        Case._meta.get_field(field).auto_now_add = False
    numbers: dict[tuple, int] = {}
    code_numbers: dict[int, int] = {}
    results = [("solved", 55), ("planned", 30), ("explained", 15)]
    ratings = [("satisfied", 74), ("basically_satisfied", 21), ("unsatisfied", 5)]
    counts = {"suggestions": 0, "assignments": 0, "answered": 0, "rated": 0}

    def pick(pairs):
        return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]

    cases, suggestions, assignments = [], [], []

    def flush() -> None:
        with transaction.atomic():
            saved = Case.objects.bulk_create(cases)
            for case, s in zip(saved, suggestions, strict=True):
                s.case_id = case.pk
            Suggestion.objects.bulk_create(suggestions)
            for index, a in assignments:
                a.case_id = saved[index].pk
            Assignment.objects.bulk_create([a for _, a in assignments])
        counts["assignments"] += len(assignments)
        cases.clear()
        suggestions.clear()
        assignments.clear()

    for _ in range(n):
        congress, region, units, deputies, _w = rng.choices(plan.congresses, plan.weights)[0]
        year = plan.first_year + rng.randrange(YEARS)
        session = plan.sessions.get((congress, year)) if rng.random() < 0.7 else None
        if session is not None:
            filed = session[1] + dt.timedelta(days=rng.randrange(4))
            key = ("s", session[0])
        else:
            filed = dt.date(year, 3, 1) + dt.timedelta(days=rng.randrange(300))
            key = ("y", congress, year)
        if filed > today:
            filed = today - dt.timedelta(days=rng.randrange(30))
            year = filed.year
            session = None
            key = ("y", congress, year)
        numbers[key] = numbers.get(key, 0) + 1
        code_numbers[year] = code_numbers.get(year, 0) + 1
        created = dt.datetime.combine(filed, dt.time(9), dt.UTC)
        assigned_on = filed + dt.timedelta(days=rng.randint(7, 30))
        assigned = assigned_on < today
        complex_ = assigned and rng.random() < 0.08
        deadline = _months_later(assigned_on, 6 if complex_ else 3)
        replied_on = None
        if assigned:
            # Most answer in two or three months; a few late; recent ones not yet.
            replied_on = assigned_on + dt.timedelta(days=int(rng.triangular(20, 120, 75)))
            if rng.random() < 0.08:
                replied_on = deadline + dt.timedelta(days=rng.randint(1, 40))
            if replied_on >= today:
                replied_on = None
        result = pick(results) if replied_on else ""
        rating = pick(ratings) if replied_on and rng.random() < 0.8 else None
        state = Case.State.SUBMITTED
        if assigned:
            state = Case.State.HANDLING
        if replied_on:
            state = Case.State.REPLIED if rating is None else Case.State.CLOSED
            if rating == "unsatisfied":
                state = Case.State.HANDLING
        index = len(cases)
        deputy = rng.choice(deputies)
        replied_at = dt.datetime.combine(replied_on, dt.time(7), dt.UTC) if replied_on else None
        cases.append(
            Case(
                code=f"JY{year}-{code_numbers[year]:06d}",
                kind=Case.Kind.SUGGESTION,
                title="关于改善农村道路交通条件的建议",
                content="建议加大农村公路养护投入，完善交通安全设施。",
                category_id=rng.choice(categories),
                region_id=region,
                channel=Case.Channel.DEPUTY,
                collected_by_id=deputy,
                state=state,
                congress_id=congress,
                deadline=deadline if assigned else None,
                result_class=result,
                reply="答复如下。" if result else "",
                rating=rating,
                unsatisfied_count=1 if rating == "unsatisfied" else 0,
                created_at=created,
                replied_at=replied_at,
                closed_at=replied_at + dt.timedelta(days=5) if state == Case.State.CLOSED else None,
            )
        )
        suggestions.append(
            Suggestion(
                kind=Case.Kind.SUGGESTION,
                congress_id=congress,
                session_id=session[0] if session else None,
                year=year,
                number=numbers[key],
                lead_deputy_id=deputy,
                review=Suggestion.Review.ACCEPTED,
                reviewed_at=created,
                assigned_on=assigned_on if assigned else None,
                is_complex=complex_,
            )
        )
        counts["suggestions"] += 1
        if assigned:
            at = dt.datetime.combine(assigned_on, dt.time(2), dt.UTC)
            lead = rng.choice(units)
            if rng.random() < 0.03:  # returned by another unit first
                other = rng.choice(units)
                assignments.append(
                    (
                        index,
                        Assignment(
                            unit_id=other,
                            role="lead",
                            state="returned",
                            deadline=deadline,
                            assigned_by_id=clerk,
                            assigned_at=at,
                            returned_at=at,
                            returned_reason="不属于本单位职责。",
                        ),
                    )
                )
            done = "replied" if replied_on else "signed"
            assignments.append(
                (
                    index,
                    Assignment(
                        unit_id=lead,
                        role="lead",
                        state=done,
                        deadline=deadline,
                        assigned_by_id=clerk,
                        assigned_at=at,
                        signed_at=at,
                        replied_at=replied_at,
                    ),
                )
            )
            if rng.random() < 0.3:
                co = rng.choice(units)
                if co != lead:
                    assignments.append(
                        (
                            index,
                            Assignment(
                                unit_id=co,
                                role="co",
                                state="replied" if replied_on else "signed",
                                deadline=deadline,
                                assigned_by_id=clerk,
                                assigned_at=at,
                                signed_at=at,
                                replied_at=replied_at,
                            ),
                        )
                    )
            if rating == "unsatisfied":  # 重办: the lead unit again, a month to answer
                assignments.append(
                    (
                        index,
                        Assignment(
                            unit_id=lead,
                            role="lead",
                            state="signed",
                            deadline=_months_later(replied_on, 1),
                            assigned_at=replied_at,
                            signed_at=replied_at,
                            round=2,
                        ),
                    )
                )
            counts["answered"] += bool(replied_on)
            counts["rated"] += rating is not None
        if len(cases) >= BATCH:
            flush()
    if cases:
        flush()
    return counts


def _copies(vendor: str) -> float:
    """The copies the rates read (`renda.suggestions.copies.refresh`: one UPDATE over every
    suggestion, as migration 0002 fills them), once the tables have statistics, then the
    suggestions analyzed again (and vacuumed on PostgreSQL, for index-only scans)."""
    from django.db import connection

    from renda.suggestions.copies import refresh
    from renda.suggestions.models import Suggestion

    began = time.perf_counter()
    refresh(Suggestion.objects.all())
    seconds = time.perf_counter() - began
    with connection.cursor() as cursor:
        table = Suggestion._meta.db_table
        cursor.execute(f"VACUUM ANALYZE {table}" if vendor == "postgresql" else f"ANALYZE {table}")
    return seconds


# --- measuring ------------------------------------------------------------------------------


def _readers():
    """The city's congress clerk, a county's clerk and the busiest lead unit's handler."""
    from django.db.models import Count

    from renda.accounts.services import user_create
    from renda.cases.models import Assignment
    from renda.org.models import Level, OrgUnit
    from renda.org.roles import Role
    from renda.org.services import membership_grant
    from renda.suggestions.models import Suggestion

    def reader(username: str, role: str, unit: OrgUnit):
        user = user_create(username=username, password="x" * 12, full_name=username, validate=False)
        membership_grant(user=user, role=role, unit=unit)
        return user

    city = OrgUnit.objects.filter(kind__in=OrgUnit.CONGRESS_KINDS, region__level=Level.CITY).first()
    busiest_county = (
        Suggestion.objects.filter(congress__region__level=Level.COUNTY)
        .values("congress")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    county = OrgUnit.objects.get(pk=busiest_county["congress"])
    busiest_unit = (
        Assignment.objects.filter(role="lead", case__kind="suggestion")
        .values("unit")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    unit = OrgUnit.objects.get(pk=busiest_unit["unit"])
    return [
        ("city clerk", reader("bench_city_clerk", Role.CONGRESS_CLERK, city)),
        ("county clerk", reader("bench_county_clerk", Role.CONGRESS_CLERK, county)),
        ("unit handler", reader("bench_unit_handler", Role.HANDLER, unit)),
    ]


def _time(client, url: str, params: dict) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)  # warm-up
    # Counted now: the next request clears the log the capture reads from.
    query_count = len(queries.captured_queries)
    if response.status_code != 200:
        raise RuntimeError(f"{url} {params}: HTTP {response.status_code}")
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        client.get(url, params)
        samples.append((time.perf_counter() - started) * 1000)
    return samples, query_count, len(response.content)


def _measure(label: str, user) -> list[dict]:
    from django.test import Client

    from renda.suggestions import rates

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    years = rates.year_choices(user)
    sessions = rates.session_choices(user)
    pages = [
        ("rates, all years", "/suggestions/rates/", {}),
        (
            f"rates, {years[0] if years else '-'}",
            "/suggestions/rates/",
            {"year": years[0]} if years else {},
        ),
    ]
    if sessions:
        pages.append(("rates, one session", "/suggestions/rates/", {"session": sessions[0].pk}))
    pages.append(("Excel, all years", "/suggestions/rates/export/", {}))
    rows = []
    for page, url, params in pages:
        samples, queries, _size = _time(client, url, params)
        p50 = statistics.median(samples)
        p95 = statistics.quantiles(samples, n=20, method="inclusive")[-1]
        row = {
            "who": label,
            "page": page,
            "p50": p50,
            "p95": p95,
            "queries": queries,
            "load": _load(),
        }
        rows.append(row)
        print(
            f"  {label:<13} {page:<20} {p50:>8.1f} {p95:>8.1f} {queries:>7}  {row['load']}",
            flush=True,
        )
    return rows


def _inner(out_path: str) -> None:
    import django

    django.setup()
    from django.db import connection

    from bench import cases_data
    from bench.demo_city import city_prepare

    vendor = connection.vendor
    rng = random.Random(11)
    city_prepare()
    timings = {}
    stats = cases_data.generate(CASES, progress=_progress)
    timings["cases"] = stats.seconds
    print(
        f"  generated {stats.cases:,} cases, {stats.events:,} events, "
        f"{stats.assignments:,} assignments in {stats.seconds:.0f} s  ({_load()})",
        flush=True,
    )
    began = time.perf_counter()
    _activities(rng, ACTIVITIES)
    timings["activities"] = time.perf_counter() - began
    print(f"  {ACTIVITIES:,} activities in {timings['activities']:.0f} s", flush=True)
    began = time.perf_counter()
    counts = _suggestions(rng, SUGGESTIONS)
    timings["suggestions"] = time.perf_counter() - began
    print(
        f"  {counts['suggestions']:,} suggestions ({counts['answered']:,} answered, "
        f"{counts['rated']:,} rated, {counts['assignments']:,} assignments) "
        f"in {timings['suggestions']:.0f} s",
        flush=True,
    )
    began = time.perf_counter()
    _analyze(vendor)
    print(f"  analyze: {time.perf_counter() - began:.0f} s", flush=True)
    print(f"  copies for the rates: {_copies(vendor):.1f} s  ({_load()})", flush=True)
    print(f"  {'who':<13} {'page':<20} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7}")
    rows = []
    for label, user in _readers():
        rows += _measure(label, user)
    with open(out_path, "w") as out:
        json.dump({"cases": stats.cases, "timings": timings, "rows": rows}, out)


@contextmanager
def _pg_database():
    """A fresh, empty PostgreSQL database for the run, dropped after it; None (with the
    reason printed) when no server answers."""
    import psycopg

    name = urlsplit(PG_URL).path.lstrip("/")
    admin = urlsplit(PG_URL)._replace(path="/postgres").geturl()

    def admin_sql(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql)

    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    try:
        admin_sql(drop)
        admin_sql(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        print(f"-- PostgreSQL skipped: {error}")
        yield None
        return
    try:
        yield PG_URL
    finally:
        admin_sql(drop)


def _child(name: str, database_url: str | None) -> dict:
    """One database's run in a child process with its own settings (those of the dashboard
    bench: DEBUG off, a temporary RENDA_VAR_DIR)."""
    if str(ROOT) not in sys.path:  # run as bench/run.py or as a file
        sys.path.insert(0, str(ROOT))
    from bench.bench_dashboard import _env as child_env

    print(f"-- {name} ({CASES:,} cases, {SUGGESTIONS:,} suggestions) --", flush=True)
    with tempfile.TemporaryDirectory(prefix="renda-bench-sugrates-") as var_dir:
        result = Path(var_dir) / "result.json"
        command = [sys.executable, "-m", "bench.bench_suggestion_rates", "--inner", str(result)]
        subprocess.run(command, cwd=ROOT, env=child_env(var_dir, database_url), check=True)
        return json.loads(result.read_text())


def main() -> None:
    started = time.perf_counter()
    results: dict[str, dict | None] = {"SQLite": _child("SQLite", None)}
    with _pg_database() as url:
        results["PostgreSQL"] = _child("PostgreSQL", url) if url else None
    print(
        f"\nSummary: suggestion rates with {CASES:,} cases, {ACTIVITIES:,} activities, "
        f"{SUGGESTIONS:,} suggestions (server time, target p95 <= {TARGET_MS:.0f} ms for the "
        "rates table)"
    )
    print(f"{'database':<11} {'who':<13} {'page':<20} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7}")
    for db, result in results.items():
        if result is None:
            print(f"{db:<11} skipped")
            continue
        for r in result["rows"]:
            verdict = ""
            if r["page"].startswith("rates"):
                verdict = "ok" if r["p95"] <= TARGET_MS else "MISS"
            print(
                f"{db:<11} {r['who']:<13} {r['page']:<20} {r['p50']:>8.1f} {r['p95']:>8.1f} "
                f"{r['queries']:>7} {verdict}  {r['load']}"
            )
        t = result["timings"]
        print(
            f"{db:<11} generation: cases {t['cases']:.0f} s, activities {t['activities']:.0f} s, "
            f"suggestions {t['suggestions']:.0f} s"
        )
    print(f"bench_suggestion_rates: {time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    if "--inner" in sys.argv:
        _inner(sys.argv[sys.argv.index("--inner") + 1])
    else:
        main()
