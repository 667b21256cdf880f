"""Writes of the hot-words tables: index one case as it is saved, or rebuild them all.

Both keep `DailyTermCount` equal to what `CaseTerms` says: for every (day, area, category,
term), the number of stored cases with that term. Indexing a case subtracts what its old row
counted and adds what its new row counts, in the caller's transaction, so a case and its counts
commit together.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from renda.cases.models import Case
from renda.hotwords.analysis import area_of, case_terms_of, fingerprint, reset_segmenter
from renda.hotwords.models import CaseTerms, DailyTermCount
from renda.org.models import Level, Region

Cell = tuple[dt.date, int, int]  # day, area id, category id

# Rows per INSERT … ON CONFLICT statement (5 parameters each: under SQLite's 32,766 limit).
_UPSERT_ROWS = 2000


def _upsert(counts: dict[tuple[dt.date, int, int, str], int]) -> None:
    """Add `counts` to the daily counts, creating the rows that do not exist yet."""
    table = DailyTermCount._meta.db_table
    adapt = connection.ops.adapt_datefield_value
    rows = [(adapt(d), a, c, t, n) for (d, a, c, t), n in counts.items() if n]
    for start in range(0, len(rows), _UPSERT_ROWS):
        chunk = rows[start : start + _UPSERT_ROWS]
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
        sql = (
            f'INSERT INTO "{table}" ("day", "area_id", "category_id", "term", "cases") '
            f"VALUES {values} "
            'ON CONFLICT ("day", "area_id", "category_id", "term") '
            f'DO UPDATE SET "cases" = "{table}"."cases" + excluded."cases"'
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [v for row in chunk for v in row])


def _subtract(cell: Cell, terms: Iterable[str]) -> None:
    terms = list(terms)
    if not terms:
        return
    day, area_id, category_id = cell
    DailyTermCount.objects.filter(
        day=day, area_id=area_id, category_id=category_id, term__in=terms, cases__gt=0
    ).update(cases=F("cases") - 1)


def _term_names(terms: list) -> list[str]:
    return [t for t, _ in terms]


def case_terms_index(*, case: Case, created: bool = False) -> CaseTerms:
    """Store the terms of `case` and move the daily counts; a no-op when nothing they depend
    on (title, content, category, area, day) changed. `created`: the case was just inserted,
    so there is no old row to look for."""
    day = timezone.localdate(case.created_at)
    area_id = area_of(case.region)
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
        if old is not None:
            _subtract((old.day, old.area_id, old.category_id), _term_names(old.terms))
        _upsert({(day, area_id, case.category_id, t): 1 for t in _term_names(terms)})
        row = CaseTerms(
            case_id=case.pk,
            day=day,
            area_id=area_id,
            category_id=case.category_id,
            terms=terms,
            fingerprint=print_,
        )
        row.save(force_insert=old is None)
        return row


def case_terms_forget(*, case_id: int) -> None:
    """Take a case's terms out of the daily counts (the case is being deleted)."""
    old = CaseTerms.objects.filter(case_id=case_id).first()
    if old is not None:
        _subtract((old.day, old.area_id, old.category_id), _term_names(old.terms))


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
            for term in _term_names(terms):
                counts[(row.day, row.area_id, category_id, term)] += 1
        with transaction.atomic():
            CaseTerms.objects.bulk_create(fresh, batch_size=500)
            CaseTerms.objects.bulk_update(
                changed, ["day", "area", "category", "terms", "fingerprint"], batch_size=500
            )
            _upsert(counts)
        done += len(rows)
        if progress is not None:
            progress(done, total)
    return done
