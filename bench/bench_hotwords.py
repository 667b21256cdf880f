"""Issue 5, hot words and hot issues: the grouping on real messages, and the time of the hot-words
selectors over many cases on SQLite and on PostgreSQL.

1. Hot issues on ../shared/data/govmsg/messages_hot.csv (competition task 2; 点赞数 are the
   support votes). There are no gold groups, so what can be measured is printed: groups found,
   messages in them, the top 5 groups with their titles for a reader to judge, and a purity
   that anyone can check by hand: a member is on topic when its title contains one of the
   group's two leading key terms; the purity of a group is the share of its members on topic.
   The most frequent words of the data are printed too (the source of
   `hotterms.GENERIC_WORDS`). Skipped when the data are absent.
2. Selectors over HOTWORDS_BENCH_CASES cases (default 1,000,000) of a generated city (a
   province, 1 city, 4 counties, 30 towns, as the demo city is shaped) over three years, in a
   child process per database (a temporary SQLite file; PostgreSQL in a database of its own,
   HOTWORDS_BENCH_PG, default renda_bench_hot, created and dropped here). The cases' terms are
   real messages' term lists (each case takes one message's terms and swaps a quarter of them
   for words drawn by their frequency in the data), plus a burst of new words in the last
   month so that rising terms have something to find. The rows the selectors read are written
   directly in bulk (COPY on PostgreSQL), bypassing the signal (its per-case cost is the
   segmentation, measured by bench_textmine): the daily counts `DailyTermCount` of every
   case, and minimal `Case` rows with their `CaseTerms` for the last 60 days only (what hot
   issues read; HOTWORDS_BENCH_STORED_DAYS); then the rollup `TermRollup` is built from them by
   `term_rollup_rebuild` (what `manage.py rebuild_term_rollup` runs), timed. Then `hot_words`
   and `rising_terms` for a town (the busiest), a county and the city over 7, 30, 91 and 365
   days ending today: median and p95 in ms and the number of SQL queries (target: one
   aggregate query, p95 <= 1000 ms).
"""

import csv
import datetime as dt
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from bisect import bisect
from collections import Counter
from itertools import accumulate
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "govmsg"
CASES = int(os.environ.get("HOTWORDS_BENCH_CASES", "1000000"))
PG_URL = os.environ.get("HOTWORDS_BENCH_PG", "postgres://postgres@127.0.0.1:5432/renda_bench_hot")
DAYS = 3 * 365
REPEATS = 15
BUDGET_S = 8.0  # per measured row, after at least 3 samples
PERIODS = (7, 30, 91, 365)
# `Case` and `CaseTerms` rows are written for the last STORED_DAYS days only (what hot issues
# read); hot words and rising terms read only the daily counts and the rollup, written for
# every case.
STORED_DAYS = int(os.environ.get("HOTWORDS_BENCH_STORED_DAYS", "60"))
TARGET_MS = 1000.0
TOWNS = 30
# Masked districts of the message board (A市A5区, A7县): the place of a message.
_PLACE = re.compile(r"[A-Z]\d+[区县市]")
BURST = ["电动车", "充电桩", "飞线充电", "楼道", "火灾隐患"]


# --- 1. hot issues on messages_hot.csv ------------------------------------------------------


def _read_messages() -> list[dict]:
    with (DATA / "messages_hot.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _day(text: str) -> int:
    try:
        when = dt.datetime.strptime(text.strip().split()[0], "%Y/%m/%d")
    except (ValueError, IndexError):
        return 0
    return (when - dt.datetime(2017, 1, 1)).days


def hot_issue_report(messages: list[dict]) -> list[list[str]]:
    """Print the hot-issue figures; return every message's stored terms (the term pool)."""
    sys.path.insert(0, str(ROOT))
    from renda.textmine.hotterms import Doc, document_terms, group_issues
    from renda.textmine.segment import Segmenter

    seg = Segmenter()
    began = time.perf_counter()
    docs, pool = [], []
    for m in messages:
        title, body = m["留言主题"], m["留言详情"]
        terms = [t for t, _ in document_terms(seg.terms(title), seg.terms(body))]
        pool.append(terms)
        found = _PLACE.search(title) or _PLACE.search(body)
        votes = int(m.get("点赞数") or 0)
        place = found.group(0) if found else "A市"
        docs.append(Doc(m["留言编号"], place, terms, votes, _day(m["留言时间"])))
    seconds = time.perf_counter() - began
    frequent = Counter(t for terms in pool for t in set(terms)).most_common(20)
    print(f"  segmented {len(messages):,} messages in {seconds:.1f} s")
    print("  most frequent stored words: " + "、".join(f"{t} {n}" for t, n in frequent))
    began = time.perf_counter()
    groups = group_issues(docs)
    seconds = time.perf_counter() - began
    by_id = {m["留言编号"]: m for m in messages}
    sizes = [g.size for g in groups]
    print(
        f"  hot issues: {len(groups)} groups of 2+ messages holding {sum(sizes):,} of "
        f"{len(messages):,} messages (largest {max(sizes, default=0)}, "
        f"{sum(1 for s in sizes if s >= 5)} of 5+), grouped in {seconds:.2f} s"
    )
    purities = []
    for g in groups[:20]:
        keys = g.terms[:2]
        on_topic = sum(1 for i in g.ids if any(k in by_id[i]["留言主题"] for k in keys))
        purities.append(on_topic / g.size)
    if purities:
        print(
            f"  purity of the top {len(purities)} groups (title holds one of the group's two "
            f"leading key terms): mean {statistics.mean(purities):.2f}, "
            f"{sum(1 for p in purities if p >= 0.8)} of {len(purities)} at 0.8 or more"
        )
    for rank, g in enumerate(groups[:5], start=1):
        print(
            f"  #{rank} heat {g.heat:.1f}: {g.size} messages, {g.votes} 点赞, over "
            f"{g.span_days:.0f} days, {g.place}; key terms {'、'.join(g.terms)}; purity "
            f"{purities[rank - 1]:.2f}"
        )
        for i in g.ids[:6]:
            print(f"      {by_id[i]['留言主题'][:60]}")
        if g.size > 6:
            print(f"      … and {g.size - 6} more")
    return pool


# --- 2. the selectors over many cases (inside a child process) -----------------------------


class _Writer:
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

    def secondary_indexes(self, tables: list[str]) -> list[tuple[str, str]]:
        """Drop the tables' indexes that back no constraint; return them to create again."""
        with self.connection.cursor() as cursor:
            if self.pg:
                cursor.execute(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                    "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
                    "(quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)",
                    [tables],
                )
            else:
                marks = ", ".join(["%s"] * len(tables))
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT "
                    f"NULL AND sql NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN ({marks})",
                    tables,
                )
            found = cursor.fetchall()
            for name, _ in found:
                cursor.execute(f'DROP INDEX "{name}"')
        return found

    def create(self, indexes: list[tuple[str, str]]) -> None:
        with self.connection.cursor() as cursor:
            if self.pg:
                cursor.execute("SET maintenance_work_mem = '512MB'")
            else:
                cursor.execute("PRAGMA cache_size = -262144")
            for _, sql in indexes:
                cursor.execute(sql)


def _world():
    from renda.org.models import Level, OrgUnit
    from renda.org.services import region_create, unit_create

    province = region_create(code="330000", name="基准省", level=Level.PROVINCE, parent=None)
    city = region_create(code="331000", name="基准市", level=Level.CITY, parent=province)
    towns = []
    for c in range(4):
        county = region_create(
            code=f"3310{c + 1:02d}", name=f"基准{c + 1}区", level=Level.COUNTY, parent=city
        )
        for t in range(TOWNS // 4 + (1 if c < TOWNS % 4 else 0)):
            towns.append(
                region_create(
                    code=f"3310{c + 1:02d}{t + 1:03d}",
                    name=f"基准{c + 1}区{t + 1}号街道",
                    level=Level.TOWN,
                    parent=county,
                )
            )
    congress = unit_create(
        code="B-RD", name="基准市人大常委会", kind=OrgUnit.Kind.CONGRESS, region=city, parent=None
    )
    return city, county_of(towns[0]), towns, congress


def county_of(town):
    return town.get_parent()


# fmt: off
_CASE_COLUMNS = [
    "id", "code", "kind", "title", "content", "category_id", "region_id", "address", "channel",
    "submitter_name", "submitter_phone", "is_public", "state", "congress_id", "reject_reason",
    "result_class", "reply", "unsatisfied_count", "supervision", "agenda_item", "version",
    "idempotency_key", "created_at", "updated_at",
]
# fmt: on


def _generate(pool: list[list[str]], towns, congress, today: dt.date) -> float:
    """Write CASES cases over DAYS days up to `today` as daily counts (not the rollup), and
    Case and CaseTerms rows for the last STORED_DAYS days. The cases are drawn with numpy a
    day at a time: each takes a random message's terms (at most MAX_TERMS) and swaps a quarter
    of them for words drawn by their frequency; 8% of the last month's take three burst
    words."""
    import numpy as np
    from django.db import connection, transaction

    from renda.cases.models import Case, Category
    from renda.hotwords.models import CaseTerms, DailyTermCount
    from renda.textmine.hotterms import MAX_TERMS

    rng = np.random.default_rng(20260915)
    writer = _Writer(connection)
    pg = writer.pg
    categories = np.array(Category.objects.order_by("pk").values_list("pk", flat=True))
    category_p = np.array([1.0 / (i + 1) for i in range(len(categories))])
    town_p = np.array([1.0 / (i + 1) ** 0.7 for i in range(len(towns))])
    town_ids = np.array([t.pk for t in towns])
    unigram = Counter(t for terms in pool for t in terms)
    words = list(unigram) + [w for w in BURST if w not in unigram]
    index = {w: k for k, w in enumerate(words)}
    word_p = np.array([unigram.get(w, 0) for w in words], dtype=float)
    burst = np.array([index[w] for w in BURST])
    messages = np.full((len(pool), MAX_TERMS), -1)
    for m, terms in enumerate(pool):
        ids = [index[t] for t in terms[:MAX_TERMS]]
        messages[m, : len(ids)] = ids
    n_words, n_cells = len(words), len(towns) * len(categories)
    # Cases per day grow by half over the three years; the counts add up to CASES.
    weights = [1.0 + 0.5 * d / DAYS for d in range(DAYS)]
    per_day = [int(CASES * w / sum(weights)) for w in weights]
    per_day[-1] += CASES - sum(per_day)
    tables = [Case._meta.db_table, CaseTerms._meta.db_table, DailyTermCount._meta.db_table]
    indexes = writer.secondary_indexes(tables)
    began = time.perf_counter()
    next_id = 1
    batch_cases, batch_terms, batch_counts = [], [], []
    offset = "+00" if pg else ""

    def flush():
        with transaction.atomic():
            writer.write(tables[0], _CASE_COLUMNS, batch_cases)
            writer.write(
                tables[1],
                ["case_id", "day", "area_id", "category_id", "terms", "fingerprint",
                 "analyzed_at"],
                batch_terms,
            )  # fmt: skip
            writer.write(
                tables[2], ["day", "area_id", "category_id", "term", "cases"], batch_counts
            )
        print(f"  … {next_id - 1:,} cases, {time.perf_counter() - began:.0f} s", flush=True)

    for d, n in enumerate(per_day):
        day = today - dt.timedelta(days=DAYS - 1 - d)
        terms = messages[rng.integers(len(pool), size=n)]
        swap = (rng.random(terms.shape) < 0.25) & (terms >= 0)
        terms[swap] = rng.choice(n_words, size=int(swap.sum()), p=word_p / word_p.sum())
        if (today - day).days < 30:
            hit = np.flatnonzero(rng.random(n) < 0.08)
            picks = np.argsort(rng.random((len(hit), len(BURST))), axis=1)[:, :3]
            terms[hit[:, None], np.arange(3)] = burst[picks]
        area = rng.choice(len(towns), size=n, p=town_p / town_p.sum())
        category = rng.choice(len(categories), size=n, p=category_p / category_p.sum())
        cell = area * len(categories) + category
        # One count per case and distinct term, and one under "" per case.
        case_term = np.unique((np.arange(n)[:, None] * n_words + terms)[terms >= 0])
        keys, counts = np.unique(
            cell[case_term // n_words] * n_words + case_term % n_words, return_counts=True
        )
        cells, totals = np.unique(cell, return_counts=True)
        iso = day.isoformat()
        for key, k in zip(keys.tolist(), counts.tolist(), strict=True):
            c, w = divmod(key, n_words)
            a, g = divmod(c, len(categories))
            batch_counts.append((iso, int(town_ids[a]), int(categories[g]), words[w], k))
        for c, k in zip(cells.tolist(), totals.tolist(), strict=True):
            a, g = divmod(c, len(categories))
            batch_counts.append((iso, int(town_ids[a]), int(categories[g]), "", k))
        first_id = next_id
        next_id += n
        if (today - day).days < STORED_DAYS:
            for k in range(n):
                case_id = first_id + k
                a, g = int(town_ids[area[k]]), int(categories[category[k]])
                seconds = 2 * 3600 + int(rng.integers(10 * 3600))  # 10:00–20:00 in Shanghai
                created = f"{iso} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:00{offset}"
                batch_cases.append(
                    (
                        case_id, f"HB{case_id:09d}", "opinion", "基准事项", "基准事项内容",
                        g, a, "", "portal", "", "13800000000", False, "submitted",
                        congress.pk, "", "", "", 0, "none", "", 1, "", created, created,
                    )
                )  # fmt: skip
                own = list(dict.fromkeys(words[w] for w in terms[k].tolist() if w >= 0))
                stored = json.dumps([[t, 1] for t in own], ensure_ascii=False)
                batch_terms.append((case_id, iso, a, g, stored, "bench", created))
        if len(batch_counts) >= 500_000 or d == DAYS - 1:
            flush()
            batch_cases, batch_terms, batch_counts = [], [], []
    assert n_cells and next_id - 1 == CASES
    writer.create(indexes)
    with connection.cursor() as cursor:
        if pg:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('cases_case', 'id'), %s)", [next_id]
            )
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    return time.perf_counter() - began


def _time(call) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm
    with CaptureQueriesContext(connection) as queries:
        result = call()
    samples = []
    budget = time.perf_counter() + BUDGET_S
    while len(samples) < REPEATS and (len(samples) < 3 or time.perf_counter() < budget):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return {
        "n": len(samples),
        "p50": statistics.median(samples),
        "p95": p95,
        "queries": len(queries),
        "found": len(result),
        "first": getattr(result[0], "term", "") if result else "",
    }


def _inner(out_path: str, pool_path: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Sum
    from django.utils import timezone

    from renda.hotwords import selectors
    from renda.hotwords.models import CaseTerms, DailyTermCount
    from renda.hotwords.services import term_rollup_rebuild
    from renda.org.roles import Role, spec_for
    from renda.org.scope import Grant, Scope

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    city, county, towns, congress = _world()
    print(f"  migrate + regions: {time.perf_counter() - started:.0f} s", flush=True)
    pool = json.loads(Path(pool_path).read_text())
    today = timezone.localdate()
    seconds = _generate(pool, towns, congress, today)
    rows = DailyTermCount.objects.count()
    mentions = DailyTermCount.objects.exclude(term="").aggregate(n=Sum("cases"))["n"]
    print(
        f"  generated {CASES:,} cases: {mentions:,} term mentions in {rows:,} daily rows, "
        f"Case and CaseTerms rows for the last {STORED_DAYS} days "
        f"({CaseTerms.objects.count():,} cases), in {seconds:.0f} s (indexes and ANALYZE "
        "included)",
        flush=True,
    )
    pg = connection.vendor == "postgresql"
    began = time.perf_counter()
    rollup_rows = term_rollup_rebuild()
    rollup_s = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE hotwords_termrollup" if pg else "ANALYZE")
    analyze_s = time.perf_counter() - began - rollup_s
    kinds = {f"{g}/{'all' if c == 0 else 'category'}": n for g, c, n in _rollup_kinds()}
    print(
        f"  rollup built from the daily counts (term_rollup_rebuild): {rollup_rows:,} rows in "
        f"{rollup_s:.0f} s, then {'VACUUM ANALYZE' if pg else 'ANALYZE'} {analyze_s:.0f} s; "
        + ", ".join(f"{k} {v:,}" for k, v in kinds.items()),
        flush=True,
    )
    scope = Scope(user_id=0, grants=(Grant(spec_for(Role.SYSTEM_ADMIN)),))
    town = towns[0]  # the busiest town
    results = []
    for place, region in (("town", town), ("county", county), ("city", city)):
        for days in PERIODS:
            start = today - dt.timedelta(days=days - 1)
            args = {"scope": scope, "region": region, "start": start, "end": today}
            calls = (("hot_words", selectors.hot_words), ("rising_terms", selectors.rising_terms))
            for name, fn in calls:
                row = _time(lambda fn=fn, args=args: fn(**args, limit=50))
                row.update(selector=name, place=place, days=days)
                results.append(row)
                print(
                    f"  {name:<13} {place:<6} {days:>3} days: p50 {row['p50']:7.1f} ms, "
                    f"p95 {row['p95']:7.1f} ms, {row['queries']} queries, {row['found']} "
                    f"found (first: {row['first']})",
                    flush=True,
                )
    args = {"scope": scope, "region": town, "start": today - dt.timedelta(days=29), "end": today}
    issues = _time(lambda: selectors.hot_issues(**args, limit=10))
    print(
        f"  hot_issues    town    30 days: p50 {issues['p50']:7.1f} ms, p95 {issues['p95']:7.1f} "
        f"ms, {issues['queries']} queries (up to {selectors.MAX_ISSUE_CASES:,} cases grouped)"
    )
    sizes = {}
    if pg:
        with connection.cursor() as cursor:
            for table in ("hotwords_dailytermcount", "hotwords_termrollup"):
                cursor.execute("SELECT pg_total_relation_size(%s)", [table])
                sizes[table] = cursor.fetchone()[0]
    Path(out_path).write_text(
        json.dumps(
            {
                "rows": rows,
                "mentions": mentions,
                "rollup_rows": rollup_rows,
                "rollup_s": rollup_s,
                "generate_s": seconds,
                "results": results,
                "bytes": sizes,
            }
        )
    )


def _rollup_kinds() -> list[tuple[str, int, int]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT grain, CASE WHEN category = 0 THEN 0 ELSE 1 END, COUNT(*) "
            "FROM hotwords_termrollup GROUP BY 1, 2 ORDER BY 1, 2"
        )
        return cursor.fetchall()


# --- the parent ------------------------------------------------------------------------------


def _env(var_dir: str, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="renda.settings.base",
        DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="testserver,127.0.0.1",
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


def _run(name: str, database_url: str | None, pool_path: str) -> dict:
    print(f"-- {name} ({CASES:,} cases) --", flush=True)
    with tempfile.TemporaryDirectory(prefix="renda-bench-hot-") as var_dir:
        out = Path(var_dir) / "result.json"
        subprocess.run(
            [sys.executable, __file__, "--inner", str(out), pool_path],
            cwd=ROOT,
            env=_env(var_dir, database_url),
            check=True,
        )
        return json.loads(out.read_text())


def _synthetic_pool() -> list[list[str]]:
    """Without the real data: Zipf-distributed made-up words, 16 per case."""
    rng = random.Random(7)
    vocabulary = [f"词{i}" for i in range(20000)]
    cum = list(accumulate(1.0 / (i + 1) ** 1.05 for i in range(len(vocabulary))))
    return [
        list(dict.fromkeys(vocabulary[bisect(cum, rng.random() * cum[-1])] for _ in range(30)))[:24]
        for _ in range(5000)
    ]


def main() -> None:
    started = time.perf_counter()
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if (DATA / "messages_hot.csv").exists():
        print("-- hot issues on messages_hot.csv --", flush=True)
        pool = hot_issue_report(_read_messages())
    else:
        print(f"-- hot issues skipped: {DATA / 'messages_hot.csv'} not found; synthetic words")
        pool = _synthetic_pool()
    results = {}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(pool, f, ensure_ascii=False)
        pool_path = f.name
    try:
        if os.environ.get("HOTWORDS_BENCH_SKIP_SQLITE") != "1":
            results["SQLite"] = _run("SQLite", None, pool_path)
        pg_name = urlsplit(PG_URL).path.lstrip("/")
        if os.environ.get("HOTWORDS_BENCH_SKIP_PG") == "1":
            pg_name = ""
        try:
            if not pg_name:
                raise RuntimeError("HOTWORDS_BENCH_SKIP_PG=1")
            _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
            _pg_admin(f'CREATE DATABASE "{pg_name}"')
        except Exception as error:  # no server: say so and go on
            print(f"-- PostgreSQL skipped: {error}")
        else:
            try:
                results["PostgreSQL"] = _run("PostgreSQL", PG_URL, pool_path)
            finally:
                _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
    finally:
        os.unlink(pool_path)
    print(f"\nSummary ({CASES:,} cases; target p95 <= {TARGET_MS:.0f} ms, one aggregate query)")
    for name, r in results.items():
        print(
            f"{name}: {r['mentions']:,} term mentions in {r['rows']:,} daily rows (written in "
            f"{r['generate_s']:.0f} s); rollup {r['rollup_rows']:,} rows built in "
            f"{r['rollup_s']:.0f} s"
            + (
                f"; on disk {', '.join(f'{t} {b / 2**20:,.0f} MiB' for t, b in r['bytes'].items())}"
                if r["bytes"]
                else ""
            )
        )
        for row in r["results"]:
            verdict = "ok" if row["p95"] <= TARGET_MS else "MISS"
            print(
                f"  {row['selector']:<13} {row['place']:<6} {row['days']:>3} days "
                f"p50 {row['p50']:7.1f} p95 {row['p95']:7.1f} ms  {row['queries']} q  {verdict}"
            )
    print(f"bench_hotwords: {time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    if "--inner" in sys.argv:
        sys.path.insert(0, str(ROOT))
        i = sys.argv.index("--inner")
        _inner(sys.argv[i + 1], sys.argv[i + 2])
    else:
        main()
