"""Hot words, rising terms and hot issues, always inside the reader's data scope.

These are the selectors the consultation topic library takes its candidates from:

    hot_words(scope=…, region=…, category=…, start=…, end=…, limit=50) -> list[HotWord]
    rising_terms(scope=…, region=…, category=…, start=…, end=…, limit=20) -> list[RisingTerm]
    hot_issues(scope=…, region=…, category=…, start=…, end=…, limit=10) -> list[HotIssue]

`scope` is `renda.org.scope.scope_for(user)`; `region` narrows it to a subtree (outside the
scope it reaches nothing); `start` and `end` are dates, both included.

How a scope reaches the counts: a seat that sees everything, or a region subtree (clerks,
station clerks, leaders), reads the daily counts of the areas in that subtree: one aggregate
query. Any other seat (a handling unit's assigned cases, a deputy's own) reads the stored terms
of exactly the cases `renda.cases.selectors.CASE_LOOKUPS` gives it, counted here.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from renda.cases.models import Case, Category
from renda.cases.selectors import CASE_LOOKUPS
from renda.hotwords.models import CaseTerms, DailyTermCount
from renda.org.models import Region
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
    """Either region paths (None: every region) read from the daily counts, or a filter over
    the cases (`cases` set) read from each case's stored terms."""

    paths: tuple[str, ...] | None = ()
    cases: Q | None = None
    region: Region | None = None


def _region_grants(scope: Scope) -> tuple[str, ...] | None:
    """The region paths a scope reaches through regions, None for everything; raises
    LookupError when a seat reaches cases some other way (assigned, own, unit only)."""
    paths = []
    for grant in scope.grants:
        if grant.spec.scope == DataScope.ALL:
            return None
        if grant.spec.scope == DataScope.UNIT_AND_BELOW and grant.region is not None:
            paths.append(grant.region.path)
        else:
            raise LookupError
    return tuple(paths)


def _narrow(paths: tuple[str, ...] | None, region: Region | None) -> tuple[str, ...] | None:
    if region is None:
        return paths
    if paths is None:
        return (region.path,)
    inside = [p for p in paths if region.path.startswith(p)]
    if inside:
        return (region.path,)
    return tuple(p for p in paths if p.startswith(region.path))


def _reach(scope: Scope, region: Region | None) -> _Reach:
    try:
        paths = _region_grants(scope)
    except LookupError:
        q = scope.q(**CASE_LOOKUPS)
        return _Reach(paths=(), cases=q, region=region)
    return _Reach(paths=_narrow(paths, region))


def _area_q(paths: tuple[str, ...] | None) -> Q:
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    areas = Region.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths)))
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


def _daily(reach: _Reach, category: Category | None) -> QuerySet[DailyTermCount]:
    qs = DailyTermCount.objects.filter(_area_q(reach.paths))
    if category is not None:
        qs = qs.filter(category=category)
    return qs


def _terms_in_scope(reach: _Reach, category: Category | None) -> QuerySet[CaseTerms]:
    if reach.cases is not None:
        return _case_terms(reach, category)
    qs = CaseTerms.objects.filter(_area_q(reach.paths))
    if category is not None:
        qs = qs.filter(category=category)
    return qs


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
    rows = (
        _daily(reach, category)
        .filter(day__range=(start, end))
        .values("term")
        .annotate(n=Sum("cases"))
        .filter(n__gt=0)
        .order_by("-n", "term")[:limit]
    )
    return [HotWord(row["term"], row["n"]) for row in rows]


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
    return _terms_in_scope(reach, category).filter(day__range=(start, end)).count()


# --- rising terms ---------------------------------------------------------------------------


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length just before [start, end]."""
    length = (end - start).days + 1
    return start - dt.timedelta(days=length), start - dt.timedelta(days=1)


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
    now_q, before_q = Q(day__gte=start), Q(day__lt=start)
    totals = (
        _terms_in_scope(reach, category)
        .filter(day__range=(before_start, end))
        .aggregate(now=Count("pk", filter=now_q), before=Count("pk", filter=before_q))
    )
    if not totals["now"] or not totals["before"]:
        return []
    if reach.cases is not None:
        rows = list(
            _case_terms(reach, category)
            .filter(day__range=(before_start, end))
            .values_list("day", "terms")
        )
        now = _count_case_terms((terms,) for day, terms in rows if day >= start)
        before = _count_case_terms((terms,) for day, terms in rows if day < start)
    else:
        counted = (
            _daily(reach, category)
            .filter(day__range=(before_start, end))
            .values("term")
            .annotate(now=Sum("cases", filter=now_q), before=Sum("cases", filter=before_q))
            .filter(now__gte=hotterms.MIN_RISING_COUNT)
        )
        now, before = {}, {}
        for row in counted:
            now[row["term"]] = row["now"] or 0
            before[row["term"]] = row["before"] or 0
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
        paths = _region_grants(scope)
    except LookupError:
        return []
    qs = Region.objects.exclude(level="village")
    if paths is not None:
        if not paths:
            return []
        qs = qs.filter(reduce(or_, (Q(path__startswith=p) for p in paths)))
    return list(qs.order_by("path"))


def today() -> dt.date:
    return timezone.localdate()
