"""Issue 4, duty points: rankings, a deputy's /me/, a campaign's four lists and a rule change
on the demo city with many activities and ledger entries, on SQLite and on PostgreSQL.

Issue 4's budget: with 2,000 deputies, 100,000 activities and 1,000,000 ledger entries, p95 of
a congress ranking, a deputy's `/me/` and a campaign's four lists ≤ 100 ms; recomputing the
ledger after a rule change ≤ 30 s.

    .venv/bin/python bench/bench_duty.py
    DUTY_BENCH_ACTIVITIES=10000 DUTY_BENCH_ENTRIES=100000 DUTY_BENCH_DB=sqlite \
        .venv/bin/python bench/bench_duty.py

Each database is a fresh one, in a child process (a temporary SQLite file under its own
RENDA_VAR_DIR; on PostgreSQL the database named by DUTY_BENCH_PG_URL, default
postgres://postgres@127.0.0.1:5432/renda_bench_duty, dropped and created here). The org and
the ~2,000 deputies are `seed_demo --size city --cases 0`; then, bypassing the signals:
DUTY_BENCH_ACTIVITIES held activities over the last two years (a tenth in one themed campaign,
with a few hundred cases raised in them for its problem, suggestion and results lists), their
attendance (出席 / 请假 / 缺席, about DUTY_BENCH_ENTRIES of them earning or losing points; the
`deputy` persona attends one activity in twenty), the ledger entries the default rules give
(matched with the service's own `best_rule` / `reason_for`), and the monthly tallies rebuilt
with the service's `tally_refresh`. Pages are fetched with the Django test client (full
middleware, session, templates): median and p95 over DUTY_BENCH_RUNS requests after a warm-up,
with the number of SQL queries of one request. Last, `rule_save` changes the points of
"参加履职活动" (the rule for attending any activity), which revisits every attendance.

DUTY_BENCH_KEEP=DIR keeps the generated data for the next run: the SQLite database under
DIR/sqlite, the PostgreSQL database left in place, and each one's generation figures in
DIR/<name>.json. A run that finds them migrates them (new migrations fill their new columns)
and measures on them. The rule change adds 0.5 point to the rule each run and leaves a
superseded copy of every entry it reprices, so a kept database grows by that much per run;
DUTY_BENCH_RULE=0 measures the pages only.
"""

import contextlib
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
ACTIVITIES = int(os.environ.get("DUTY_BENCH_ACTIVITIES", "100000"))
ENTRIES = int(os.environ.get("DUTY_BENCH_ENTRIES", "1000000"))
RUNS = int(os.environ.get("DUTY_BENCH_RUNS", "30"))
PG_URL = os.environ.get("DUTY_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/renda_bench_duty")
KEEP = os.environ.get("DUTY_BENCH_KEEP", "")
RULE_CHANGE = os.environ.get("DUTY_BENCH_RULE", "1") != "0"
PAGE_TARGET_MS = 100.0
RECOMPUTE_TARGET_S = 30.0
DAYS = 730
BATCH = 20000
PERSONA_SHARE = 0.05


# --- inside a configured Django process --------------------------------------------------


class _Writer:
    """Plain INSERTs (SQLite) or COPY (PostgreSQL) of tuples: no model objects, no signals."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.pg = connection.vendor == "postgresql"

    def write(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        names = ", ".join(f'"{c}"' for c in columns)
        with self.connection.cursor() as cursor:
            if self.pg:
                with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

    def reset_sequence(self, table: str) -> None:
        if not self.pg:
            return
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"), false)'
            )


# fmt: off
_ACTIVITY_COLUMNS = [
    "id", "kind_id", "title", "campaign_id", "direction_id", "date", "start_time", "end_time",
    "place", "station_id", "region_id", "organiser_id", "status", "summary", "officials_count",
    "officials_names", "citizens_count", "citizens_names", "created_by_id", "created_at",
    "updated_at",
]
_ENTRY_COLUMNS = [
    "deputy_id", "rule_id", "source", "content_type_id", "object_id", "date", "points",
    "reason", "record_label", "status", "replaced_by_id", "ended_at", "ended_note",
    "created_at",
]
# fmt: on


def _campaign(city_congress, today: dt.date):
    from renda.activities.models import Campaign, CampaignDirection

    campaign = Campaign.objects.create(
        name="六访六促（基准）",
        organiser=city_congress,
        region=city_congress.region,
        start_date=today - dt.timedelta(days=DAYS),
        end_date=today + dt.timedelta(days=30),
    )
    directions = [
        CampaignDirection.objects.create(campaign=campaign, name=f"方向{i}", sort_order=i)
        for i in range(1, 7)
    ]
    return campaign, directions


def _generate(seed: int = 4) -> dict:
    """Activities, attendance, cases raised in the campaign, ledger entries and tallies."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from renda.activities.models import Activity, ActivityCase, ActivityKind, Attendance
    from renda.cases.models import Case, Category
    from renda.deputies.models import Deputy
    from renda.duty import services
    from renda.duty.models import PointEntry, PointRule
    from renda.duty.sources import Fact
    from renda.org.models import OrgUnit

    rng = random.Random(seed)
    writer = _Writer(connection)
    began = time.perf_counter()
    today = timezone.localdate()
    now = timezone.now()
    deputies = list(Deputy.objects.order_by("pk").values_list("pk", flat=True))
    persona = Deputy.objects.get(user__username="deputy").pk
    kinds = list(ActivityKind.objects.order_by("pk").values_list("pk", "name"))
    congresses = list(
        OrgUnit.objects.filter(kind__in=OrgUnit.CONGRESS_KINDS)
        .select_related("region")
        .order_by("path")
    )
    city_congress = congresses[0]
    places = [(u.pk, u.region_id) for u in congresses]
    campaign, directions = _campaign(city_congress, today)
    rules = list(PointRule.objects.filter(source=PointRule.Source.ATTENDANCE))
    attendance_ct = ContentType.objects.get_for_model(Attendance).pk
    # Entries per activity: 出席 85 %, 缺席 10 % earn or lose points, 请假 5 % does not.
    per_activity = ENTRIES / ACTIVITIES / 0.95
    next_activity = (Activity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    next_attendance = (
        Attendance.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    counts = {"activities": 0, "attendances": 0, "entries": 0, "campaign_activities": 0}
    campaign_activities: list[tuple[int, dt.date]] = []
    activities, attendances, entries = [], [], []
    shown, per_report = 0, max(int(ACTIVITIES * per_activity) // 5, 1)

    def flush() -> None:
        with transaction.atomic():
            writer.write(Activity._meta.db_table, _ACTIVITY_COLUMNS, activities)
            writer.write(
                Attendance._meta.db_table,
                ["id", "activity_id", "deputy_id", "status", "activity_date", "note",
                 "recorded_by_id", "recorded_at"],
                attendances,
            )  # fmt: skip
            writer.write(PointEntry._meta.db_table, _ENTRY_COLUMNS, entries)
        activities.clear()
        attendances.clear()
        entries.clear()

    for i in range(ACTIVITIES):
        activity_id = next_activity + i
        day = today - dt.timedelta(days=1 + DAYS * i // ACTIVITIES)
        kind_id, kind_name = kinds[rng.randrange(len(kinds))]
        organiser_id, region_id = places[rng.randrange(len(places))]
        in_campaign = rng.random() < 0.1
        direction = rng.choice(directions) if in_campaign else None
        title = f"{kind_name}（基准{activity_id}）"
        activities.append(
            (
                activity_id, kind_id, title, campaign.pk if in_campaign else None,
                direction.pk if direction else None, day, None, None, "", None,
                campaign.region_id if in_campaign else region_id,
                city_congress.pk if in_campaign else organiser_id, "held", "基准活动纪要",
                0, "", 0, "", None, now, now,
            )
        )  # fmt: skip
        if in_campaign:
            campaign_activities.append((activity_id, day))
        n = max(1, int(per_activity) + (rng.random() < per_activity % 1))
        present = rng.sample(deputies, min(n, len(deputies)))
        if persona not in present and rng.random() < PERSONA_SHARE:
            present[0] = persona
        for deputy_id in present:
            roll = rng.random()
            status = "attended" if roll < 0.85 else ("absent" if roll < 0.95 else "leave")
            attendance_id = next_attendance + counts["attendances"]
            counts["attendances"] += 1
            attendances.append((attendance_id, activity_id, deputy_id, status, day, "", None, now))
            fact = Fact(
                deputy_id=deputy_id,
                date=day,
                label=title,
                attendance_status=status,
                activity_kind_id=kind_id,
            )
            rule = services.best_rule(rules, fact)
            if rule is not None:
                entries.append(
                    (
                        deputy_id, rule.pk, rule.source, attendance_ct, attendance_id, day,
                        rule.points, services.reason_for(rule, day), title[:200], "active",
                        None, None, "", now,
                    )
                )  # fmt: skip
                counts["entries"] += 1
        counts["activities"] += 1
        if len(attendances) >= BATCH or i == ACTIVITIES - 1:
            flush()
            if counts["attendances"] >= shown + per_report or i == ACTIVITIES - 1:
                shown = counts["attendances"]
                print(
                    f"  … {counts['activities']:,} activities, {counts['entries']:,} entries, "
                    f"{time.perf_counter() - began:.0f} s",
                    flush=True,
                )
    counts["campaign_activities"] = len(campaign_activities)
    for table in (Activity._meta.db_table, Attendance._meta.db_table):
        writer.reset_sequence(table)
    # Cases raised in the campaign's activities: its 问题清单, 建议清单 and 成果清单.
    category = Category.objects.order_by("pk").values_list("pk", flat=True).first()
    raised = campaign_activities[: max(50, min(2000, len(campaign_activities) // 5))]
    cases = Case.objects.bulk_create(
        [
            Case(
                code=f"HD{i:010d}",
                kind="suggestion" if i % 3 == 0 else "opinion",
                title="活动中收集的问题",
                content="基准内容",
                category_id=category,
                region_id=campaign.region_id,
                channel="activity",
                submitter_phone="13900000000",
                state=Case.State.CLOSED if i % 2 else Case.State.ACCEPTED,
                congress_id=city_congress.pk,
                result_class=Case.ResultClass.SOLVED if i % 2 else "",
                replied_at=now if i % 2 else None,
                closed_at=now if i % 2 else None,
            )
            for i in range(len(raised))
        ],
        batch_size=1000,
    )
    ActivityCase.objects.bulk_create(
        [
            ActivityCase(
                activity_id=activity_id,
                case=case,
                campaign=campaign,
                nature="suggestion" if case.kind == "suggestion" else "problem",
                activity_date=day,
                # The campaign's activities' region, organiser, station and recorder.
                region_id=campaign.region_id,
                organiser_id=city_congress.pk,
                station_id=None,
                activity_created_by_id=None,
                raised_by_id=rng.choice(deputies),
            )
            for (activity_id, day), case in zip(raised, cases, strict=True)
        ],
        batch_size=1000,
    )
    generated = time.perf_counter() - began
    started = time.perf_counter()
    with transaction.atomic():
        tallies = services.tally_refresh(None)
    tally_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if writer.pg else "ANALYZE")
    counts.update(
        deputies=len(deputies),
        persona_entries=PointEntry.objects.filter(deputy_id=persona, status="active").count(),
        cases_raised=len(cases),
        tallies=tallies,
        generated_s=generated,
        tally_s=tally_s,
        campaign=campaign.pk,
    )
    return counts


def _load() -> str:
    """The machine's 1-minute load average, printed beside each figure."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _page(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Copied now: the next request clears the connection's log the list is read from.
    captured = list(queries.captured_queries)
    slowest = max(captured, key=lambda q: float(q["time"]), default=None)
    samples, cpu = [], []
    for _ in range(RUNS):
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return {
        "url": url,
        "p50": statistics.median(samples),
        "p95": _pct(samples, 0.95),
        # This process's CPU (Django, and SQLite itself; not the PostgreSQL server): on a
        # shared machine the wall-clock figures also count the time other processes ran.
        "cpu_p50": statistics.median(cpu),
        "queries": len(captured),
        "sql_ms": sum(float(q["time"]) for q in captured) * 1000,
        "slowest_sql": (slowest["sql"][:300], float(slowest["time"])) if slowest else None,
    }


def _inner(out_path: str, kept: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench.demo_city import city_prepare
    from renda.accounts.models import User
    from renda.duty import services
    from renda.duty.models import PointEntry, PointRule

    if kept and Path(kept).exists():
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:  # what the migrations added has no statistics
            cursor.execute("ANALYZE")
        info = json.loads(Path(kept).read_text())
        print(f"  kept data (migrated in {time.perf_counter() - started:.0f} s); ", end="")
    else:
        city_prepare()
        info = _generate()
        if kept:
            Path(kept).write_text(json.dumps(info, default=str))
    print(
        f"  generated {info['activities']:,} activities, {info['attendances']:,} attendances, "
        f"{info['entries']:,} entries in {info['generated_s']:.0f} s; tally_refresh of "
        f"{info['tallies']:,} monthly tallies {info['tally_s']:.1f} s",
        flush=True,
    )
    backend = "django.contrib.auth.backends.ModelBackend"
    clerk, deputy = Client(), Client()
    clerk.force_login(User.objects.get(username="city_clerk"), backend=backend)
    deputy.force_login(User.objects.get(username="deputy"), backend=backend)
    pages = []
    for label, client, url in (
        ("ranking, city congress", clerk, "/duty/"),
        ("ranking, city and lower", clerk, "/duty/?lower=1"),
        ("deputy /me/", deputy, "/me/"),
        ("deputy /me/points/", deputy, "/me/points/"),
        ("campaign four lists", clerk, f"/activities/lists/?campaign={info['campaign']}"),
    ):
        row = _page(client, url)
        row["label"] = label
        pages.append(row)
        print(
            f"  {label:<24} p50 {row['p50']:6.1f} ms  p95 {row['p95']:6.1f} ms "
            f"(target ≤ {PAGE_TARGET_MS:.0f})  CPU p50 {row['cpu_p50']:5.1f} ms  "
            f"{row['queries']} queries, {row['sql_ms']:.0f} ms in SQL  load {_load()}",
            flush=True,
        )
    info.update(pages=pages)
    if not RULE_CHANGE:
        Path(out_path).write_text(json.dumps(info, default=str))
        return
    admin = User.objects.get(username="admin")
    rule = PointRule.objects.get(name="参加履职活动", activity_kind__isnull=True)
    affected = PointEntry.objects.filter(rule=rule, status="active").count()
    load_before = _load()
    started, cpu_started = time.perf_counter(), time.process_time()
    result = services.rule_save(actor=admin, rule=rule, points=rule.points + Decimal("0.5"))
    recompute_s = time.perf_counter() - started
    recompute_cpu_s = time.process_time() - cpu_started
    print(
        f"  rule_save {rule.name} {rule.points} → {result.rule.points}: {recompute_s:.1f} s "
        f"(target ≤ {RECOMPUTE_TARGET_S:.0f} s, CPU of this process {recompute_cpu_s:.1f} s, "
        f"load {load_before} → {_load()}); {affected:,} entries of that rule, "
        f"{result.sync.created:,} created, {result.sync.ended:,} superseded",
        flush=True,
    )
    info.update(
        recompute_s=recompute_s,
        recompute_cpu_s=recompute_cpu_s,
        rule_entries=affected,
        rule_created=result.sync.created,
        rule_ended=result.sync.ended,
    )
    Path(out_path).write_text(json.dumps(info, default=str))


# --- the parent ---------------------------------------------------------------------------


def _env(var_dir: str, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="renda.settings.base",
        DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        RENDA_VAR_DIR=var_dir,
        PYTHONPATH=str(ROOT),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _pg_admin(sql: str) -> None:
    import psycopg

    admin_url = urlsplit(PG_URL)._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def _run(name: str, database_url: str | None) -> dict | None:
    print(f"-- {name}: {ACTIVITIES:,} activities, about {ENTRIES:,} entries --", flush=True)
    pg_name = urlsplit(PG_URL).path.lstrip("/")
    kept = str(Path(KEEP) / f"{name}.json") if KEEP else ""
    if database_url and not (kept and Path(kept).exists()):
        try:
            _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
            _pg_admin(f'CREATE DATABASE "{pg_name}"')
        except Exception as exc:  # no server: say so and go on
            print(f"  PostgreSQL unavailable ({exc.__class__.__name__}): skipped", flush=True)
            return None
    try:
        with contextlib.ExitStack() as stack:
            if KEEP:
                var_dir = str(Path(KEEP) / "sqlite")
                Path(var_dir).mkdir(parents=True, exist_ok=True)
            else:
                var_dir = stack.enter_context(
                    tempfile.TemporaryDirectory(prefix="renda-bench-duty-")
                )
            out = Path(var_dir) / f"result-{name}.json"
            subprocess.run(
                [sys.executable, __file__, "--inner", str(out), kept],
                cwd=ROOT,
                env=_env(var_dir, database_url),
                check=True,
            )
            return json.loads(out.read_text())
    finally:
        if database_url and not KEEP:
            _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


def main() -> None:
    started = time.perf_counter()
    which = os.environ.get("DUTY_BENCH_DB", "both")
    results = {}
    if which in ("both", "sqlite"):
        results["SQLite"] = _run("SQLite", None)
    if which in ("both", "postgresql"):
        results["PostgreSQL"] = _run("PostgreSQL", PG_URL)
    print(
        f"\nSummary ({ACTIVITIES:,} activities, about {ENTRIES:,} entries; targets: pages p95 "
        f"≤ {PAGE_TARGET_MS:.0f} ms, rule change ≤ {RECOMPUTE_TARGET_S:.0f} s)"
    )
    for name, r in results.items():
        if r is None:
            continue
        print(
            f"{name}: {r['deputies']:,} deputies, {r['entries']:,} entries "
            f"({r['persona_entries']:,} of the `deputy` persona), {r['tallies']:,} tallies"
        )
        for row in r["pages"]:
            verdict = "ok" if row["p95"] <= PAGE_TARGET_MS else "OVER BUDGET"
            print(
                f"  {row['label']:<24} p50 {row['p50']:6.1f} p95 {row['p95']:6.1f} ms "
                f"(≤ {PAGE_TARGET_MS:.0f})  CPU p50 {row.get('cpu_p50', 0):5.1f} ms  "
                f"{row['queries']:>3} q {row['sql_ms']:5.0f} ms SQL  {verdict}"
            )
            if row["slowest_sql"]:
                sql, seconds = row["slowest_sql"]
                print(f"      slowest query {float(seconds) * 1000:.0f} ms: {sql[:160]}")
        if "recompute_s" not in r:
            continue
        verdict = "ok" if r["recompute_s"] <= RECOMPUTE_TARGET_S else "OVER BUDGET"
        print(
            f"  rule change (rule_save)  {r['recompute_s']:6.1f} s (≤ {RECOMPUTE_TARGET_S:.0f} s, "
            f"CPU {r.get('recompute_cpu_s', 0):.1f} s) {r['rule_ended']:,} entries superseded  "
            f"{verdict}"
        )
    print(f"bench_duty: {time.perf_counter() - started:.0f} s in all; load now {_load()}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--inner":
        sys.path.insert(0, str(ROOT))
        _inner(sys.argv[2], sys.argv[3])
    else:
        main()
