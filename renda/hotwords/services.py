"""Writes of the hot-words tables: index one case as it is saved, or rebuild them all.

Both keep `DailyTermCount` and `TermRollup` equal to what `CaseTerms` says: for every cell
of `renda.hotwords.tiers.keys_for` (a day, month or region above the case's area; a category
or every category), the number of stored cases with that term. Indexing a case adds one to
the cells its new row counts in and takes one from those its old row counted in (at most one
INSERT … ON CONFLICT and one UPDATE per table), in the caller's transaction, so a case and
its counts commit together.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from renda.cases.models import Case
from renda.hotwords import tiers
from renda.hotwords.analysis import area_chain, case_terms_of, fingerprint, reset_segmenter
from renda.hotwords.models import CaseTerms, DailyTermCount, TermRollup
from renda.org.models import Level, Region

# Parameters per INSERT … ON CONFLICT statement: under SQLite's 32,766 limit.
_UPSERT_PARAMS = 12000
_DAILY_COLUMNS = ("day", "area_id", "category_id", "term")
_ROLLUP_COLUMNS = ("node_id", "grain", "category", "start", "term")


def _upsert(model, columns: tuple[str, ...], counts: dict[tuple, int]) -> None:
    """Add `counts` (keyed by `columns`, the model's unique cell) to its counts, creating the
    rows that do not exist yet."""
    table = model._meta.db_table
    adapt = connection.ops.adapt_datefield_value

    def value(v):
        return adapt(v) if isinstance(v, dt.date) else v

    rows = [(*(value(v) for v in key), n) for key, n in counts.items() if n]
    width = len(columns) + 1
    per = _UPSERT_PARAMS // width
    names = ", ".join(f'"{c}"' for c in columns)
    for begin in range(0, len(rows), per):
        chunk = rows[begin : begin + per]
        values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(chunk))
        sql = (
            f'INSERT INTO "{table}" ({names}, "cases") VALUES {values} '
            f"ON CONFLICT ({names}) "
            f'DO UPDATE SET "cases" = "{table}"."cases" + excluded."cases"'
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [v for row in chunk for v in row])


def _subtract(model, fields: tuple[str, ...], keys: Iterable[tuple]) -> None:
    """Take one from the counts of `keys` (cells of `fields`, then the term): one UPDATE."""
    terms_by_cell = defaultdict(list)
    for *cell, term in keys:
        terms_by_cell[tuple(cell)].append(term)
    if not terms_by_cell:
        return
    q = Q()
    for cell, terms in terms_by_cell.items():
        q |= Q(**dict(zip(fields, cell, strict=True)), term__in=terms)
    model.objects.filter(q, cases__gt=0).update(cases=F("cases") - 1)


def _move(old: tuple[set, set] | None, new: tuple[set, set] | None) -> None:
    """Move the counts from the cells of `old` (daily keys, rollup keys) to those of `new`."""
    old_daily, old_rollup = old or (set(), set())
    new_daily, new_rollup = new or (set(), set())
    _subtract(DailyTermCount, ("day", "area_id", "category_id"), old_daily - new_daily)
    _subtract(TermRollup, ("node_id", "grain", "category", "start"), old_rollup - new_rollup)
    _upsert(DailyTermCount, _DAILY_COLUMNS, dict.fromkeys(new_daily - old_daily, 1))
    _upsert(TermRollup, _ROLLUP_COLUMNS, dict.fromkeys(new_rollup - old_rollup, 1))


def _term_names(terms: list) -> list[str]:
    return [t for t, _ in terms]


def _keys(row: CaseTerms, chain: list[tiers.Node]) -> tuple[set, set]:
    return tiers.keys_for(
        day=row.day, chain=chain, category_id=row.category_id, terms=_term_names(row.terms)
    )


def _chain_of_area(area_id: int) -> list[tiers.Node]:
    return area_chain(Region.objects.get(pk=area_id))


def case_terms_index(*, case: Case, created: bool = False) -> CaseTerms:
    """Store the terms of `case` and move the counts; a no-op when nothing they depend on
    (title, content, category, area, day) changed. `created`: the case was just inserted,
    so there is no old row to look for."""
    day = timezone.localdate(case.created_at)
    chain = area_chain(case.region)
    area_id = chain[0].id
    print_ = fingerprint(case.title, case.content)
    with transaction.atomic():
        old = None
        if not created:
            old = CaseTerms.objects.select_for_update().filter(case_id=case.pk).first()
        if (
            old is not None
            and old.fingerprint == print_
            and (old.day, old.area_id, old.category_id) == (day, area_id, case.category_id)
        ):
            return old
        terms = old.terms if old is not None and old.fingerprint == print_ else None
        if terms is None:
            terms = case_terms_of(case.title, case.content)
        row = CaseTerms(
            case_id=case.pk,
            day=day,
            area_id=area_id,
            category_id=case.category_id,
            terms=terms,
            fingerprint=print_,
        )
        before = None
        if old is not None:
            old_chain = chain if old.area_id == area_id else _chain_of_area(old.area_id)
            before = _keys(old, old_chain)
        _move(before, _keys(row, chain))
        row.save(force_insert=old is None)
        return row


def case_terms_forget(*, case_id: int) -> None:
    """Take a case's terms out of the counts (the case is being deleted)."""
    old = CaseTerms.objects.filter(case_id=case_id).first()
    if old is not None:
        _move(_keys(old, _chain_of_area(old.area_id)), None)


def _areas() -> dict[int, int]:
    """Region id → area id for every region, from one query (villages map to their town)."""
    regions = list(Region.objects.values_list("pk", "path", "level"))
    town_of_path = {path: pk for pk, path, level in regions if level == Level.TOWN}
    step = Region.steplen
    areas = {}
    for pk, path, level in regions:
        areas[pk] = pk
        if level == Level.VILLAGE:
            for end in range(len(path) - step, 0, -step):
                town = town_of_path.get(path[:end])
                if town is not None:
                    areas[pk] = town
                    break
    return areas


def case_terms_rebuild(
    *,
    batch: int = 1000,
    reanalyze: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute `CaseTerms` for every case and `DailyTermCount` from them; returns the number
    of cases. A case whose text is unchanged keeps its stored terms unless `reanalyze`.

    Cases saved while it runs are indexed by the usual signal; the rebuild covers the cases
    that existed when it started (up to their largest id), so none is counted twice.
    """
    reset_segmenter()
    last = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    total = Case.objects.filter(pk__lte=last).count()
    areas = _areas()
    DailyTermCount.objects.all().delete()  # derived data: rebuilt below from every case
    done, after = 0, 0
    while True:
        rows = list(
            Case.objects.filter(pk__gt=after, pk__lte=last)
            .order_by("pk")
            .values_list("pk", "title", "content", "category_id", "region_id", "created_at")[:batch]
        )
        if not rows:
            break
        after = rows[-1][0]
        stored = {
            r.case_id: r for r in CaseTerms.objects.filter(case_id__in=[row[0] for row in rows])
        }
        counts: Counter[tuple[dt.date, int, int, str]] = Counter()
        fresh, changed = [], []
        for pk, title, content, category_id, region_id, created_at in rows:
            print_ = fingerprint(title, content)
            old = stored.get(pk)
            if old is not None and old.fingerprint == print_ and not reanalyze:
                terms = old.terms
            else:
                terms = case_terms_of(title, content)
            row = CaseTerms(
                case_id=pk,
                day=timezone.localdate(created_at),
                area_id=areas.get(region_id, region_id),
                category_id=category_id,
                terms=terms,
                fingerprint=print_,
            )
            (fresh if old is None else changed).append(row)
            for term in {tiers.TOTAL, *_term_names(terms)}:
                counts[(row.day, row.area_id, category_id, term)] += 1
        with transaction.atomic():
            CaseTerms.objects.bulk_create(fresh, batch_size=500)
            CaseTerms.objects.bulk_update(
                changed, ["day", "area", "category", "terms", "fingerprint"], batch_size=500
            )
            _upsert(DailyTermCount, _DAILY_COLUMNS, counts)
        done += len(rows)
        if progress is not None:
            progress(done, total)
    term_rollup_rebuild()
    return done


def _chains() -> list[tuple[int, int, bool, bool]]:
    """(area, region at or above it, counted there by category, counted there by day) for
    every region a case can count under: one query."""
    regions = {
        path: tiers.Node(pk, path, level)
        for pk, path, level in Region.objects.values_list("pk", "path", "level")
    }
    step = Region.steplen
    rows = []
    for path, area in regions.items():
        above = [regions[path[:end]] for end in range(step, len(path) + 1, step)]
        if area.level == Level.VILLAGE and any(n.level == Level.TOWN for n in above):
            continue  # counted under its town
        for node in above:
            rows.append(
                (
                    area.id,
                    node.id,
                    node.level in tiers.MONTHLY_BY_CATEGORY,
                    node.level in tiers.DAILY_ALL,
                )
            )
    return rows


def term_rollup_rebuild() -> int:
    """Recompute `TermRollup` from `DailyTermCount` in three INSERT … SELECT statements (by
    month over every category, by month and category, by day over every category); returns
    the number of rows. Holds the table (PostgreSQL: TRUNCATE's lock) until it commits, so
    cases saved meanwhile wait and then count on top of it."""
    daily, rollup = DailyTermCount._meta.db_table, TermRollup._meta.db_table
    pg = connection.vendor == "postgresql"
    if pg:
        month = """date_trunc('month', d."day")::date"""
    else:
        month = """date(d."day", 'start of month')"""
    chains = _chains()
    if not chains:
        return 0
    values = ", ".join(f"({a}, {n}, {int(c)}, {int(d)})" for a, n, c, d in chains)
    up = f'WITH "up" ("area", "node", "by_category", "by_day") AS (VALUES {values}) '
    insert = f'INSERT INTO "{rollup}" ("node_id", "grain", "category", "start", "term", "cases") '
    join = f'FROM "{daily}" AS d JOIN "up" ON "up"."area" = d."area_id"'
    statements = [
        # By month, every category: every region from the area up.
        f'SELECT "up"."node", \'m\', 0, {month}, d."term", SUM(d."cases") {join} '
        'GROUP BY 1, 4, 5 HAVING SUM(d."cases") > 0',
        # By month and category: counties and above.
        f'SELECT "up"."node", \'m\', d."category_id", {month}, d."term", '
        f'SUM(d."cases") {join} WHERE "up"."by_category" = 1 '
        'GROUP BY 1, 3, 4, 5 HAVING SUM(d."cases") > 0',
        # By day, every category: the city and above.
        f'SELECT "up"."node", \'d\', 0, d."day", d."term", SUM(d."cases") {join} '
        'WHERE "up"."by_day" = 1 GROUP BY 1, 4, 5 HAVING SUM(d."cases") > 0',
    ]
    # The indexes are dropped while the rows go in and built again afterwards (a sort each,
    # several times faster than keeping them up row by row); on SQLite the unique
    # constraint belongs to the table and stays.
    read_index = (
        f'"termrollup_read" ON "{rollup}" '
        '("node_id", "grain", "category", "start", "term", "cases")'
    )
    unique = 'CONSTRAINT "termrollup_cell_term"'
    unique_columns = '("node_id", "grain", "category", "start", "term")'
    with transaction.atomic(), connection.cursor() as cursor:
        if pg:
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute(f'TRUNCATE "{rollup}"')
            cursor.execute(f'ALTER TABLE "{rollup}" DROP {unique}')
        else:
            cursor.execute(f'DELETE FROM "{rollup}"')
        cursor.execute('DROP INDEX "termrollup_read"')
        for select in statements:
            cursor.execute(up + insert + select)
        if pg:
            cursor.execute(f'ALTER TABLE "{rollup}" ADD {unique} UNIQUE {unique_columns}')
        cursor.execute(f"CREATE INDEX {read_index}")
        cursor.execute(f'SELECT COUNT(*) FROM "{rollup}"')
        return cursor.fetchone()[0]
