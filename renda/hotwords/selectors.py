"""Hot words, rising terms and hot issues, always inside the reader's data scope.

These are the selectors the consultation topic library takes its candidates from:

    hot_words(scope=…, region=…, category=…, start=…, end=…, limit=50) -> list[HotWord]
    rising_terms(scope=…, region=…, category=…, start=…, end=…, limit=20) -> list[RisingTerm]
    hot_issues(scope=…, region=…, category=…, start=…, end=…, limit=10) -> list[HotIssue]

`scope` is `renda.org.scope.scope_for(user)`; `region` narrows it to a subtree (outside the
scope it reaches nothing); `start` and `end` are dates, both included.

How a scope reaches the counts: a seat that sees everything, or a region subtree (clerks,
station clerks, leaders), reads the counts of its regions: one aggregate query over the whole
months of the period in the monthly rollup and its ragged ends in the daily counts
(`renda.hotwords.tiers`), whatever the region and the period. Any other seat (a handling
unit's assigned cases, a deputy's own) reads the stored terms of exactly the cases
`renda.cases.selectors.CASE_LOOKUPS` gives it, counted here.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from renda.cases.models import Case, Category
from renda.cases.selectors import CASE_LOOKUPS
from renda.hotwords import tiers
from renda.hotwords.models import CaseTerms, DailyTermCount, TermRollup
from renda.org.models import Level, Region
from renda.org.roles import DataScope
from renda.org.scope import Scope
from renda.textmine import hotterms

# Hot issues are looked for among at most this many cases (the most recent of the period):
# grouping 3,000 cases takes about half a second of Python (bench_hotwords).
MAX_ISSUE_CASES = 3000


@dataclass(frozen=True)
class HotWord:
    term: str
    cases: int  # cases mentioning it in the period


@dataclass(frozen=True)
class RisingTerm:
    term: str
    cases: int
    previous: int  # cases mentioning it in the previous period of the same length
    share: float  # of the period's cases
    previous_share: float
    g2: float  # Dunning's log-likelihood

    @property
    def ratio(self) -> float | None:
        """How many times its share grew; None when it is new."""
        return self.share / self.previous_share if self.previous_share else None

    @property
    def share_percent(self) -> float:
        return 100 * self.share

    @property
    def previous_percent(self) -> float:
        return 100 * self.previous_share


@dataclass(frozen=True)
class IssueCase:
    code: str
    title: str
    state_label: str
    created_at: dt.datetime
    region_name: str


@dataclass(frozen=True)
class HotIssue:
    terms: list[str]
    place: str  # the town (乡镇街道) the cases are in
    cases: list[IssueCase]  # oldest first
    votes: int
    first_day: dt.date
    last_day: dt.date
    heat: float

    @property
    def count(self) -> int:
        return len(self.cases)

    @property
    def span_days(self) -> int:
        return (self.last_day - self.first_day).days


# --- the reach of a scope -------------------------------------------------------------------


@dataclass(frozen=True)
class _Reach:
    """Either regions (disjoint subtrees) read from the counts, or a filter over the cases
    (`cases` set) read from each case's stored terms."""

    nodes: tuple[tiers.Node, ...] = ()
    cases: Q | None = None
    region: Region | None = None


def _region_grants(scope: Scope) -> tuple[Region, ...] | None:
    """The regions a scope reaches through regions, None for everything; raises LookupError
    when a seat reaches cases some other way (assigned, own, unit only)."""
    regions = []
    for grant in scope.grants:
        if grant.spec.scope == DataScope.ALL:
            return None
        if grant.spec.scope == DataScope.UNIT_AND_BELOW and grant.region is not None:
            regions.append(grant.region)
        else:
            raise LookupError
    return tuple(regions)


def _narrow(regions: tuple[Region, ...] | None, region: Region | None) -> list[Region]:
    if region is None:
        if regions is None:
            return list(Region.objects.filter(depth=1))  # every region: the roots
        return list(regions)
    if regions is None or any(region.path.startswith(r.path) for r in regions):
        return [region]
    return [r for r in regions if r.path.startswith(region.path)]


def _disjoint(regions: list[Region]) -> tuple[tiers.Node, ...]:
    """The regions without those inside another one, as tier nodes."""
    paths = {r.path for r in regions}
    return tuple(
        tiers.Node(r.pk, r.path, r.level)
        for r in sorted({r.pk: r for r in regions}.values(), key=lambda r: r.path)
        if not any(r.path != p and r.path.startswith(p) for p in paths)
    )


def _reach(scope: Scope, region: Region | None) -> _Reach:
    try:
        regions = _region_grants(scope)
    except LookupError:
        q = scope.q(**CASE_LOOKUPS)
        return _Reach(cases=q, region=region)
    return _Reach(nodes=_disjoint(_narrow(regions, region)))


def _area_q(nodes: tuple[tiers.Node, ...]) -> Q:
    if not nodes:
        return Q(pk__in=[])
    areas = Region.objects.filter(reduce(or_, (Q(path__startswith=n.path) for n in nodes)))
    return Q(area__in=areas.values("pk"))


def _case_terms(reach: _Reach, category: Category | None) -> QuerySet[CaseTerms]:
    """The stored terms of the cases a case-level reach sees."""
    cases = Case.objects.filter(reach.cases)
    if reach.region is not None:
        cases = cases.filter(region__path__startswith=reach.region.path)
    qs = CaseTerms.objects.filter(case__in=cases.values("pk"))
    if category is not None:
        qs = qs.filter(category=category)
    return qs


def _terms_in_scope(reach: _Reach, category: Category | None) -> QuerySet[CaseTerms]:
    if reach.cases is not None:
        return _case_terms(reach, category)
    qs = CaseTerms.objects.filter(_area_q(reach.nodes))
    if category is not None:
        qs = qs.filter(category=category)
    return qs


# --- the counts: one aggregate query over the tiers -----------------------------------------

# Towns and villages count under their own id in the daily counts (a village only when it has
# no town above it); a larger region is every area whose path starts with its path.
_OWN_AREA = frozenset({Level.TOWN, Level.VILLAGE})


def _part_sql(part: tiers.Part, columns: str, term: str | None) -> tuple[str, list]:
    """`SELECT "term", <columns>` of the rows of one part (only `term`'s when given)."""
    adapt = connection.ops.adapt_datefield_value
    ids = [n.id for n in part.nodes]
    marks = ", ".join(["%s"] * len(ids))
    if part.table == "rollup":
        sql = (
            f'SELECT "term", {columns} FROM "{TermRollup._meta.db_table}" '
            f'WHERE "node_id" IN ({marks}) AND "grain" = %s AND "category" = %s '
            'AND "start" BETWEEN %s AND %s'
        )
        params = [*ids, part.grain, part.category, adapt(part.first), adapt(part.last)]
        if term is not None:
            sql += ' AND "term" = %s'
            params.append(term)
        return sql, params
    own = [n.id for n in part.nodes if n.level in _OWN_AREA]
    larger = [n.path for n in part.nodes if n.level not in _OWN_AREA]
    where, params = [], []
    if own:
        where.append(f'"area_id" IN ({", ".join(["%s"] * len(own))})')
        params += own
    if larger:
        likes = " OR ".join(['"path" LIKE %s'] * len(larger))
        where.append(f'"area_id" IN (SELECT "id" FROM "{Region._meta.db_table}" WHERE {likes})')
        params += [f"{p}%" for p in larger]
    sql = (
        f'SELECT "term", {columns} FROM "{DailyTermCount._meta.db_table}" '
        f'WHERE ({" OR ".join(where)}) AND "day" BETWEEN %s AND %s'
    )
    params += [adapt(part.first), adapt(part.last)]
    if part.category is not None:
        sql += ' AND "category_id" = %s'
        params.append(part.category)
    if term is not None:
        sql += ' AND "term" = %s'
        params.append(term)
    return sql, params


def _union(
    periods: list[tuple[list[tiers.Part], str]], term: str | None = None
) -> tuple[str, list]:
    sqls, params = [], []
    for parts, columns in periods:
        for part in parts:
            sql, more = _part_sql(part, columns, term)
            sqls.append(sql)
            params += more
    return " UNION ALL ".join(sqls), params


def _category_id(category: Category | None) -> int | None:
    return None if category is None else category.pk


def _term_counts(
    reach: _Reach, category: Category | None, start: dt.date, end: dt.date, limit: int | None
) -> list[tuple[str, int]]:
    """(term, cases) most first (ties by term), the term "" (the cases) included; one query."""
    parts = tiers.plan(reach.nodes, _category_id(category), start, end)
    if not parts:
        return []
    union, params = _union([(parts, '"cases" AS "a"')])
    sql = (
        f'SELECT "term", SUM("a") AS "n" FROM ({union}) AS "u" GROUP BY "term" '
        'HAVING SUM("a") > 0 ORDER BY "n" DESC, "term"'
    )
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(term, int(n)) for term, n in cursor.fetchall()]


def _check_period(start: dt.date, end: dt.date) -> None:
    if start > end:
        raise ValueError("start must not be after end")


# --- hot words ------------------------------------------------------------------------------


def hot_words(
    *,
    scope: Scope,
    region: Region | None = None,
    category: Category | None = None,
    start: dt.date,
    end: dt.date,
    limit: int = 50,
) -> list[HotWord]:
    """The terms mentioned by the most cases in the period, most first (ties by term)."""
    _check_period(start, end)
    reach = _reach(scope, region)
    if reach.cases is not None:
        counts = _count_case_terms(
            _case_terms(reach, category).filter(day__range=(start, end)).values_list("terms")
        )
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [HotWord(term, n) for term, n in ranked]
    # The term "" counts the cases: it comes first whenever there is a case.
    rows = _term_counts(reach, category, start, end, limit + 1)
    return [HotWord(term, n) for term, n in rows if term != tiers.TOTAL][:limit]


def _count_case_terms(rows) -> Counter[str]:
    counts: Counter[str] = Counter()
    for (terms,) in rows:
        counts.update(t for t, _ in terms)
    return counts


def case_total(
    *,
    scope: Scope,
    region: Region | None = None,
    category: Category | None = None,
    start: dt.date,
    end: dt.date,
) -> int:
    """How many cases of the period the hot words were counted from."""
    _check_period(start, end)
    reach = _reach(scope, region)
    if reach.cases is not None:
        return _case_terms(reach, category).filter(day__range=(start, end)).count()
    parts = tiers.plan(reach.nodes, _category_id(category), start, end)
    if not parts:
        return 0
    union, params = _union([(parts, '"cases" AS "a"')], term=tiers.TOTAL)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT SUM("a") FROM ({union}) AS "u"', params)
        return int(cursor.fetchone()[0] or 0)


# --- rising terms ---------------------------------------------------------------------------


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length just before [start, end]."""
    length = (end - start).days + 1
    return start - dt.timedelta(days=length), start - dt.timedelta(days=1)


def _two_periods(
    reach: _Reach, category: Category | None, previous: tuple[dt.date, dt.date], end: dt.date
) -> tuple[dict[str, int], dict[str, int]]:
    """Term counts now (the day after `previous` to `end`) and in `previous`, for the terms
    found in at least `MIN_RISING_COUNT` cases now, and the term "" (the cases): one query."""
    cat = _category_id(category)
    start = previous[1] + dt.timedelta(days=1)
    now_parts = tiers.plan(reach.nodes, cat, start, end)
    before_parts = tiers.plan(reach.nodes, cat, *previous)
    if not now_parts:
        return {}, {}
    union, params = _union(
        [(now_parts, '"cases" AS "a", 0 AS "b"'), (before_parts, '0 AS "a", "cases" AS "b"')]
    )
    sql = (
        f'SELECT "term", SUM("a"), SUM("b") FROM ({union}) AS "u" GROUP BY "term" '
        'HAVING SUM("a") >= %s OR "term" = %s'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, hotterms.MIN_RISING_COUNT, tiers.TOTAL])
        rows = cursor.fetchall()
    return {t: int(a or 0) for t, a, _ in rows}, {t: int(b or 0) for t, _, b in rows}


def rising_terms(
    *,
    scope: Scope,
    region: Region | None = None,
    category: Category | None = None,
    start: dt.date,
    end: dt.date,
    limit: int = 20,
) -> list[RisingTerm]:
    """Terms whose share of cases grew against the previous period of the same length,
    ranked by Dunning's G² (significant at p < 0.01, found in at least 3 cases now)."""
    _check_period(start, end)
    before_start, _ = previous_period(start, end)
    reach = _reach(scope, region)
    if reach.cases is not None:
        now_q, before_q = Q(day__gte=start), Q(day__lt=start)
        totals = (
            _case_terms(reach, category)
            .filter(day__range=(before_start, end))
            .aggregate(now=Count("pk", filter=now_q), before=Count("pk", filter=before_q))
        )
        if not totals["now"] or not totals["before"]:
            return []
        rows = list(
            _case_terms(reach, category)
            .filter(day__range=(before_start, end))
            .values_list("day", "terms")
        )
        now = _count_case_terms((terms,) for day, terms in rows if day >= start)
        before = _count_case_terms((terms,) for day, terms in rows if day < start)
    else:
        now, before = _two_periods(reach, category, (before_start, start - dt.timedelta(1)), end)
        totals = {"now": now.pop(tiers.TOTAL, 0), "before": before.pop(tiers.TOTAL, 0)}
    rises = hotterms.rising(
        dict(now),
        dict(before),
        cases_now=totals["now"],
        cases_before=totals["before"],
        limit=limit,
    )
    return [RisingTerm(r.term, r.count, r.previous, r.share, r.previous_share, r.g2) for r in rises]


# --- hot issues -----------------------------------------------------------------------------


def hot_issues(
    *,
    scope: Scope,
    region: Region | None = None,
    category: Category | None = None,
    start: dt.date,
    end: dt.date,
    limit: int = 10,
) -> list[HotIssue]:
    """Groups of cases about the same problem in the same town, hottest first
    (`renda.textmine.hotterms.group_issues` and `heat`: cases, votes, time span). Looks at
    the most recent `MAX_ISSUE_CASES` cases of the period. Cases carry no support votes yet,
    so their votes are 0."""
    _check_period(start, end)
    reach = _reach(scope, region)
    rows = list(
        _terms_in_scope(reach, category)
        .filter(day__range=(start, end))
        .order_by("-day", "-case_id")
        .values_list("case_id", "area_id", "day", "terms")[:MAX_ISSUE_CASES]
    )
    epoch = start
    docs = [
        hotterms.Doc(id=case_id, place=area_id, terms=[t for t, _ in terms], day=(day - epoch).days)
        for case_id, area_id, day, terms in rows
    ]
    groups = hotterms.group_issues(docs)[:limit]
    if not groups:
        return []
    ids = [i for g in groups for i in g.ids]
    cases = {
        c["pk"]: c
        for c in Case.objects.filter(pk__in=ids).values(
            "pk", "code", "title", "state", "created_at", "region__name"
        )
    }
    places = dict(Region.objects.filter(pk__in={g.place for g in groups}).values_list("pk", "name"))
    states = dict(Case.State.choices)
    issues = []
    for g in groups:
        members = [
            IssueCase(
                code=c["code"],
                title=c["title"],
                state_label=states.get(c["state"], c["state"]),
                created_at=c["created_at"],
                region_name=c["region__name"],
            )
            for c in (cases[i] for i in g.ids if i in cases)
        ]
        members.sort(key=lambda c: (c.created_at, c.code))
        issues.append(
            HotIssue(
                terms=g.terms,
                place=places.get(g.place, ""),
                cases=members,
                votes=g.votes,
                first_day=epoch + dt.timedelta(days=int(g.first_day)),
                last_day=epoch + dt.timedelta(days=int(g.last_day)),
                heat=round(g.heat, 1),
            )
        )
    return issues


# --- what the dashboard offers --------------------------------------------------------------


def regions_for_scope(scope: Scope) -> list[Region]:
    """The regions a reader may pick (city, counties, towns; no villages: counts are kept by
    town), in tree order. Empty for a reader who reaches cases, not regions."""
    try:
        regions = _region_grants(scope)
    except LookupError:
        return []
    qs = Region.objects.exclude(level="village")
    if regions is not None:
        if not regions:
            return []
        qs = qs.filter(reduce(or_, (Q(path__startswith=r.path) for r in regions)))
    return list(qs.order_by("path"))


def today() -> dt.date:
    return timezone.localdate()
