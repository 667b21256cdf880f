"""领导驾驶舱: the figures of the leaders' dashboard, always inside the reader's data scope.

Every figure is a count of cases that one of the `MEASURES` keeps, narrowed to a month, a
category or a region; the list behind a figure (`measure_rows`) applies the very same filter
(`measure_q`) to the same scoped queryset, so a figure and its rows never disagree.

The measures, over the last twelve months (this month and the eleven before it):

- 收到 (received): cases submitted in the month (`created_at`).
- 办结 (closed): cases closed in the month (state 已办结, `closed_at`).
- 逾期 (late): cases whose deadline fell in the month and that were not answered by it: still
  waiting past it (办理中/待签收, the inbox's 已超期), or answered after it (待评价, 已办结, or
  办理中 again after 重办) — the test `renda.cases.rates` uses for 按时办结率
  (`deadline >= TruncDate(replied_at)`), turned around.
- 当前超期 (overdue): the inbox's 已超期 tab now (`renda.cases.selectors.overdue`).
- 督办中 (key): open cases under supervision (督办 or 重点督办).

Queries: 收到, 办结 and the answered part of 逾期 are read from the monthly counters
(`renda.dashboard.counters`, one or two GROUP BYs over the window's rows of `CountyCount`,
`PlaceCount` or `CaseCount`, the smallest that answers), which the worker keeps after every
case change; the cases still waiting past a deadline of the window
(the rest of 逾期) are counted live, one GROUP BY over `case_running_deadline`. A reader who
also holds a grant the counters cannot follow (a handler's assigned cases, a deputy's own) is
counted from the cases: each monthly measure one GROUP BY (region, category) with a
conditional count per month, over the rows of the window only. The current overdue and key
cases one GROUP BY (region, category) each; the two lists one query each; the regions under
the reader's place one. The handling rates by unit over the last 30 days are those of
`renda.cases.rates` (`unit_rates`: one query per source, over the copies of its rows kept
beside the counters, `RateAssignment` and `RateRating`), the hot words
`renda.hotwords.selectors.hot_words`. The count does not depend on the number of cases.
"""

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from renda.cases import rates
from renda.cases.inbox import with_lead_unit
from renda.cases.models import Case, Category
from renda.cases.selectors import cases_for_user
from renda.dashboard.models import (
    COUNTY_DEPTH,
    CaseCount,
    CountyCount,
    PlaceCount,
    RateAssignment,
    RateRating,
)
from renda.hotwords.selectors import hot_words
from renda.org.models import OrgUnit, Region
from renda.org.roles import DataScope, Role
from renda.org.scope import scope_for

S = Case.State
MONTHS = 12
LIST_SIZE = 20
HOT_WORDS = 40
RANKED_UNITS = 15
# Up to this many cases under supervision, their list is read by id (see `dashboard_for`).
KEY_BY_ID = 2000
# The rates by unit cover the last 30 days: over twelve months `rates_for_user` reads every
# assignment and rating of the year (seconds for a city of a million cases); the full table
# for any period is one click away (/cases/rates/).
RATES_DAYS = 30

# Who may open the dashboard: leaders, congress clerks and administrators.
DASHBOARD_ROLES = (Role.LEADER, Role.CONGRESS_CLERK, Role.SYSTEM_ADMIN)

# A case carries a unit's deadline from its assignment on: while it runs, once answered, closed.
_DEADLINE_STATES = (S.ASSIGNED, S.HANDLING, S.REPLIED, S.CLOSED)

RECEIVED, CLOSED, LATE, OVERDUE, KEY = "received", "closed", "late", "overdue", "key"
MONTHLY = (RECEIVED, CLOSED, LATE)
MEASURES = {
    RECEIVED: "收到",
    CLOSED: "办结",
    LATE: "逾期",
    OVERDUE: "当前超期",
    KEY: "督办中",
}
MEASURE_NOTES = {
    RECEIVED: "期间内提交的民情意见和建议（按提交时间）。",
    CLOSED: "期间内办结的事项（按办结时间）。",
    LATE: "办理期限在期间内、未在期限内答复的事项：期限已过仍未答复，或答复晚于期限。",
    OVERDUE: "目前已过办理期限仍未答复的事项（待签收、办理中）。",
    KEY: "目前未办结、列为督办或重点督办的事项。",
}


def can_view(user) -> bool:
    return user.is_authenticated and any(role in DASHBOARD_ROLES for role in scope_for(user).roles)


# --- the window -----------------------------------------------------------------------------


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _month_start(day: dt.date, back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Month:
    first: dt.date
    last: dt.date  # inclusive

    @property
    def key(self) -> str:
        return f"{self.first:%Y-%m}"

    @property
    def label(self) -> str:
        return f"{self.first.year}年{self.first.month}月"


def months_until(today: dt.date) -> list[Month]:
    """The last MONTHS months, oldest first, the current one last (ending today)."""
    out = []
    for back in range(MONTHS - 1, -1, -1):
        first = _month_start(today, back)
        last = _month_start(today, back - 1) - dt.timedelta(days=1) if back else today
        out.append(Month(first, last))
    return out


def parse_month(text: str, today: dt.date) -> Month | None:
    """A month of the window from "YYYY-MM", or None."""
    return next((m for m in months_until(today) if m.key == text), None)


# --- the measures ---------------------------------------------------------------------------


def measure_q(measure: str, *, start: dt.date, end: dt.date, today: dt.date) -> Q:
    """The cases a measure counts between two dates (both included)."""
    if measure == RECEIVED:
        return Q(created_at__gte=_midnight(start), created_at__lt=_midnight(end + dt.timedelta(1)))
    if measure == CLOSED:
        return Q(
            state=S.CLOSED,
            closed_at__gte=_midnight(start),
            closed_at__lt=_midnight(end + dt.timedelta(1)),
        )
    if measure == LATE:
        waiting = Q(state__in=Case.RUNNING_STATES, deadline__lt=today)
        answered_late = Q(replied_at__isnull=False, deadline__lt=TruncDate("replied_at"))
        # The states a case with a deadline can be in: listed so that the range on the
        # deadline reads the index ("state", "deadline") once per state.
        return Q(state__in=_DEADLINE_STATES, deadline__gte=start, deadline__lte=end) & (
            waiting | answered_late
        )
    if measure == OVERDUE:
        # As `renda.cases.selectors.overdue` (the indexed running_deadline).
        return Q(running_deadline__lt=today)
    if measure == KEY:
        return Q(state__in=Case.OPEN_STATES) & ~Q(supervision=Case.Supervision.NONE)
    raise KeyError(measure)


# --- the reader's place and the regions under it -------------------------------------------


def base_regions(user) -> list[Region] | None:
    """The regions the reader's seats reach (None: every region)."""
    out = []
    for grant in scope_for(user).grants:
        if grant.spec.scope == DataScope.ALL:
            return None
        if grant.spec.scope == DataScope.UNIT_AND_BELOW and grant.region is not None:
            out.append(grant.region)
    # A region inside another one already listed adds nothing.
    out.sort(key=lambda r: r.path)
    kept: list[Region] = []
    for region in out:
        if not any(region.path.startswith(k.path) for k in kept):
            kept.append(region)
    return kept


@dataclass(frozen=True)
class Area:
    """A row of the by-region table: a child of the reader's region, or the region itself
    (本级: cases placed at its own level)."""

    pk: int
    name: str
    path: str
    own_level: bool = False


def areas_for(user) -> tuple[list[Area], dict[int, int]]:
    """The areas of the by-region table and, for every region under them, the area it falls
    in (region id -> area pk). For a reader who sees everything, a single region with a single
    child is looked through (a province whose only city is the installation's)."""
    bases = base_regions(user)
    regions = list(
        (
            Region.objects.all()
            if bases is None
            else Region.objects.filter(
                _any_prefix([b.path for b in bases]) if bases else Q(pk__in=[])
            )
        )
        .order_by("path")
        .values_list("pk", "path", "name", "depth")
    )
    if not regions:
        return [], {}
    if bases is None:
        top_depth = min(r[3] for r in regions)
        tops = [r for r in regions if r[3] == top_depth]
    else:
        base_paths = {b.path for b in bases}
        tops = [r for r in regions if r[1] in base_paths]
    while bases is None and len(tops) == 1:
        children = [r for r in regions if r[3] == tops[0][3] + 1 and r[1].startswith(tops[0][1])]
        if len(children) != 1:
            break
        tops = children
    areas: list[Area] = []
    for top in tops:
        children = [r for r in regions if r[3] == top[3] + 1 and r[1].startswith(top[1])]
        if not children:
            areas.append(Area(top[0], top[2], top[1]))
            continue
        areas += [Area(c[0], c[2], c[1]) for c in children]
        areas.append(Area(top[0], f"{top[2]}（本级）", top[1], own_level=True))
    owner: dict[int, int] = {}
    by_path = {a.path: a for a in areas if not a.own_level}
    own = {a.path: a for a in areas if a.own_level}
    step = Region.steplen
    for pk, path, _name, _depth in regions:
        area = None
        for end in range(len(path), 0, -step):
            prefix = path[:end]
            if prefix in by_path:
                area = by_path[prefix]
                break
            if prefix in own:
                area = own[prefix]
                break
        if area is not None:
            owner[pk] = area.pk
    return areas, owner


def _any_prefix(paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return q


def area_q(area: Area) -> Q:
    """The cases of an area: its subtree, or only its own level."""
    if area.own_level:
        return Q(region__path=area.path)
    return Q(region__path__startswith=area.path)


# --- the figures ----------------------------------------------------------------------------


def scoped_cases(user) -> QuerySet[Case]:
    return cases_for_user(user).order_by()


def _grouped(qs: QuerySet[Case], **counts) -> list[dict]:
    return list(qs.values("region_id", "category_id").annotate(**counts).order_by())


@dataclass
class Dashboard:
    """What the page shows; plain data, so that it can be cached."""

    computed_at: dt.datetime
    today: dt.date
    months: list[Month]
    totals: dict[str, int]
    trend: dict[str, list[int]]
    categories: list[dict]
    areas: list[dict]
    rates: dict
    overdue: list[dict]
    key: list[dict]
    words: list[tuple[str, int]]


def dashboard_for(user, *, now: dt.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    today = timezone.localdate(now)
    months = months_until(today)
    start, end = months[0].first, today
    qs = scoped_cases(user)
    areas, owner = areas_for(user)

    trend = {m: [0] * MONTHS for m in MONTHLY}
    by_category: dict[int, dict[str, int]] = {}
    by_area: dict[int, dict[str, int]] = {}

    def add(region_id: int | None, category_id: int | None, measure: str, n: int) -> None:
        """Add to the by-category figures (unless category_id is None) and the by-area ones
        (unless region_id is None)."""
        if not n:
            return
        if category_id is not None:
            row = by_category.setdefault(category_id, {})
            row[measure] = row.get(measure, 0) + n
        area = owner.get(region_id) if region_id is not None else None
        if area is not None:
            row = by_area.setdefault(area, {})
            row[measure] = row.get(measure, 0) + n

    if counted_scope(user):
        counted = _monthly_from_counts(user, qs, months, today, areas)
        for region_id, category_id, measure, i, n in counted:
            if i is not None:
                trend[measure][i] += n
            add(region_id, category_id, measure, n)
    else:
        for measure in MONTHLY:
            counts = {
                f"m{i}": Count(
                    "pk", filter=measure_q(measure, start=m.first, end=m.last, today=today)
                )
                for i, m in enumerate(months)
            }
            window = qs.filter(measure_q(measure, start=start, end=end, today=today))
            for row in _grouped(window, **counts):
                for i in range(MONTHS):
                    n = row[f"m{i}"]
                    trend[measure][i] += n
                    add(row["region_id"], row["category_id"], measure, n)
        overdue = qs.filter(measure_q(OVERDUE, start=start, end=end, today=today))
        for row in _grouped(overdue, n=Count("pk")):
            add(row["region_id"], row["category_id"], OVERDUE, row["n"])
    # 督办中's cases (the `case_supervised` index) are read once, counted here, and their list
    # taken from them by id when they are few.
    key = qs.filter(measure_q(KEY, start=start, end=end, today=today))
    key_cases = list(key.values_list("pk", "region_id", "category_id"))
    for _pk, region_id, category_id in key_cases:
        add(region_id, category_id, KEY, 1)
    if len(key_cases) <= KEY_BY_ID:
        key = qs.filter(pk__in=[pk for pk, *_ in key_cases])

    names = dict(Category.objects.values_list("pk", "name"))
    order = {pk: i for i, pk in enumerate(Category.objects.values_list("pk", flat=True))}
    categories = [
        {"pk": pk, "name": names.get(pk, "—"), **_figures(row)}
        for pk, row in sorted(by_category.items(), key=lambda kv: order.get(kv[0], 0))
    ]
    categories.sort(key=lambda r: -r[RECEIVED])
    area_rows = [
        {"pk": a.pk, "name": a.name, "own_level": a.own_level, **_figures(by_area.get(a.pk, {}))}
        for a in areas
    ]
    area_rows = [r for r in area_rows if not r["own_level"] or any(r[m] for m in MEASURES)]
    totals = {m: sum(r[m] for r in categories) for m in MEASURES}

    return Dashboard(
        computed_at=now,
        today=today,
        months=months,
        totals=totals,
        trend=trend,
        categories=categories,
        areas=area_rows,
        rates=_ranked_rates(user, today - dt.timedelta(days=RATES_DAYS - 1), today, now),
        # running_deadline: the deadline of every overdue case, in the order of its index.
        overdue=_rows(
            qs.filter(measure_q(OVERDUE, start=start, end=end, today=today)), "running_deadline"
        ),
        key=_rows(key, "-supervision", "deadline"),
        words=[
            (w.term, w.cases)
            for w in hot_words(scope=scope_for(user), start=start, end=end, limit=HOT_WORDS)
        ],
    )


# The grants whose reach over the cases is a matter of their region and congress alone, which
# the counters keep: everything, a unit and below, a unit only. A reader who also holds a
# grant of another kind (a handler's assigned cases, a deputy's own) is counted from the cases.
_COUNTED_SCOPES = (DataScope.ALL, DataScope.UNIT_AND_BELOW, DataScope.UNIT_ONLY)


def counted_scope(user) -> bool:
    """Whether the monthly figures of this reader can come from the counters."""
    return all(g.spec.scope in _COUNTED_SCOPES for g in scope_for(user).grants)


def _county_counts_serve(user, areas: list[Area]) -> tuple[bool, bool]:
    """Whether `CountyCount` counts this reader's cases exactly (every seat that reaches a
    subtree of regions is at a county or above: a region lies under the seat's region exactly
    when its county does), and whether it places them in the areas too (every area is a
    county or above: a region falls in the area its county falls in)."""
    seats = all(
        grant.spec.scope != DataScope.UNIT_AND_BELOW
        or grant.region is None
        or grant.region.depth <= COUNTY_DEPTH
        for grant in scope_for(user).grants
    )
    step = Region.steplen
    return seats, seats and all(len(a.path) // step <= COUNTY_DEPTH for a in areas)


def _monthly_from_counts(
    user, qs: QuerySet[Case], months: list[Month], today: dt.date, areas: list[Area]
):
    """(region, category, measure, month index, count) of the monthly measures: 收到, 办结 and
    the answered part of 逾期 from the counters (`renda.dashboard.counters`), in the reader's
    scope written over the counters' region and congress as `cases_for_user` writes it over
    the case's; the cases still waiting past a deadline of the window (the rest of 逾期) from
    the cases (`running_deadline`, indexed), in the same query as 当前超期 (every case
    waiting past its deadline), summed by region and by category (month index None) and by
    month (region and category None). The counters are summed in the database, from the
    smallest table that answers exactly (`_county_counts_serve`):

    - a city's reader: `CountyCount` by month, county and category, every figure (a few
      hundred rows);
    - a county's: `CountyCount` by month and category (the trend, the by-category figures;
      region None), `PlaceCount` by region over the window (the by-region ones; month index
      and category None);
    - below: `PlaceCount` by month and region (the trend, the by-region figures; category
      None), `CaseCount` by category over the window (region and month index None).
    """
    index = {m.first: i for i, m in enumerate(months)}
    scope = scope_for(user)
    window = {"month__gte": months[0].first, "month__lte": today}
    sums = {m: Sum(m) for m in MONTHLY}

    def counters(model) -> QuerySet:
        return scope.filter(model.objects.filter(**window), region="region", unit="congress")

    by_county, in_areas = _county_counts_serve(user, areas)
    if by_county:
        keys = ("month", "region_id", "category_id") if in_areas else ("month", "category_id")
        for row in _plain_rows(counters(CountyCount).values(*keys).annotate(**sums)):
            i = index[_as_date(row["month"])]
            region_id = row["region_id"] if in_areas else None
            for measure in MONTHLY:
                yield region_id, row["category_id"], measure, i, row[measure]
        if not in_areas:
            for row in _plain_rows(counters(PlaceCount).values("region_id").annotate(**sums)):
                for measure in MONTHLY:
                    yield row["region_id"], None, measure, None, row[measure]
    else:
        places = counters(PlaceCount).values("month", "region_id").annotate(**sums)
        for row in _plain_rows(places):
            i = index[_as_date(row["month"])]
            for measure in MONTHLY:
                yield row["region_id"], None, measure, i, row[measure]
        for row in _plain_rows(counters(CaseCount).values("category_id").annotate(**sums)):
            for measure in MONTHLY:
                yield None, row["category_id"], measure, None, row[measure]
    # The cases waiting past their deadline are 当前超期 (OVERDUE) too: read once for both,
    # grouped by place and by the month of the window their deadline fell in (-1: before the
    # window; a deadline of the window's is before today, so in one of its months), and
    # summed here by region, by category and by month (a few hundred figures to add for a
    # city's thousands of places). The latest months first: most deadlines are recent.
    waiting = qs.filter(measure_q(OVERDUE, start=months[0].first, end=today, today=today))
    month_of = SqlCase(
        *(
            When(running_deadline__gte=m.first, then=Value(i))
            for i, m in reversed(list(enumerate(months)))
        ),
        default=Value(-1),
        output_field=IntegerField(),
    )
    grouped = (
        waiting.annotate(month=month_of)
        .values("region_id", "category_id", "month")
        .annotate(n=Count("pk"))
    )
    waiting_by: dict[tuple[int | None, int | None], list[int]] = {}
    late_by_month = [0] * MONTHS
    for row in _plain_rows(grouped):
        n, i = row["n"], row["month"]
        late = n if i >= 0 else 0
        if late:
            late_by_month[i] += n
        for key in ((row["region_id"], None), (None, row["category_id"])):
            total = waiting_by.get(key)
            if total is None:
                waiting_by[key] = [n, late]
            else:
                total[0] += n
                total[1] += late
    for (region_id, category_id), (overdue, late_n) in waiting_by.items():
        yield region_id, category_id, OVERDUE, None, overdue
        yield region_id, category_id, LATE, None, late_n
    for i, n in enumerate(late_by_month):
        yield None, None, LATE, i, n


def _as_date(value) -> dt.date:
    """A date column as it comes from the database (SQLite: its ISO text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _plain_rows(qs: QuerySet) -> list[dict]:
    """The rows of a grouped query of ids and counts, as they come from the database: the
    thousands of places of a city's window, without a converter called on every value."""
    sql, params = qs.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _figures(row: dict) -> dict[str, int]:
    return {m: row.get(m, 0) for m in MEASURES}


def _rows(qs: QuerySet[Case], *order: str) -> list[dict]:
    rows = with_lead_unit(qs).order_by(*order, "pk")[:LIST_SIZE]
    return [
        {
            "code": c.code,
            "title": c.title,
            "region": c.region.name,
            "category": c.category.name,
            "state": c.get_state_display(),
            "supervision": c.supervision,
            "supervision_label": c.get_supervision_display(),
            "deadline": c.deadline,
            "unit": c.lead_unit_name or "",
        }
        for c in rows
    ]


# The rates the dashboard shows, by unit and in total.
SHOWN_RATES = ("on_time", "satisfied", "solved", "response")
_UNIT_FIELD = {rates.ASSIGNMENTS: "unit", rates.RATINGS: "reply_unit"}


def unit_rates(user, period: rates.Period, now: dt.datetime) -> tuple[list[rates.Row], rates.Row]:
    """The shown rates per lead unit and in total, as `rates.rates_for_user` counts them (its
    rows, `rate_filters` and scope), without what the dashboard does not show: the rates by
    town, 重办率 and 退回率. One grouped query per part of the rows; the total is the sum of
    the groups (every shown rate counts rows, not distinct cases), the rows of no unit
    included. For a reader the counters serve (`counted_scope`), the rows are their copies
    kept with the counters (`RateAssignment`, `RateRating`: the same fields, the case's beside
    them), read without a join; otherwise the rates page's own rows."""
    if counted_scope(user):  # the rows' copies kept beside the counters, without joins
        scope = scope_for(user)
        sources = {
            rates.ASSIGNMENTS: scope.filter(
                RateAssignment.objects.all(), region="region", unit="congress"
            ),
            rates.RATINGS: scope.filter(RateRating.objects.all(), region="region", unit="congress"),
        }
        urgency, replied_on = "urgency", "replied_on"
    else:
        sources = {
            rates.ASSIGNMENTS: rates.assignment_rows(user),
            rates.RATINGS: rates.rating_rows(user),
        }
        urgency, replied_on = "case__urgency", None
    sign = rates.SignLimit.build(period, now, urgency=urgency)
    filters = rates.rate_filters(period, sign, replied_on=replied_on)
    by_unit: dict[int, dict[str, int]] = {}
    total: dict[str, int] = {}
    # The rows of every rate, as the rates page reads them: a unit with rows in a rate not
    # shown here is listed all the same (with its shown rates empty). The assignments are read
    # in two parts, each with the rates over it: those made in the period (the rows of 退回率,
    # and of 响应率 inside them) and those answered in it (重办率's, which are 按时办结率's);
    # one query over both would test every rate's filters on every row of either.
    of_source = {
        source: [r.key for r in rates.RATES if r.source == source]
        for source in (rates.ASSIGNMENTS, rates.RATINGS)
    }
    assert set(of_source[rates.ASSIGNMENTS]) == {"response", "on_time", "reopened", "returned"}
    # The ratings' rates share their rows (those rated in the period): each filter once, or
    # SQLite reads the period's index range once per copy and merges them.
    rated: list[Q] = []
    for key in of_source[rates.RATINGS]:
        if filters[key][0] not in rated:
            rated.append(filters[key][0])
    parts = [
        (rates.ASSIGNMENTS, filters["returned"][0], ["response"]),
        (rates.ASSIGNMENTS, filters["reopened"][0], ["on_time"]),
        (
            rates.RATINGS,
            reduce(or_, rated),
            [k for k in of_source[rates.RATINGS] if k in SHOWN_RATES],
        ),
    ]
    for source, rows, keys in parts:
        qs = sources[source].filter(rows).order_by()
        aggregates = {}
        for key in keys:
            den, num = filters[key]
            aggregates[f"{key}__d"] = Count("pk", filter=den)
            aggregates[f"{key}__n"] = Count("pk", filter=num)
        unit_field = _UNIT_FIELD[source]
        for values in qs.values(unit_field).annotate(**aggregates):
            unit = values.pop(unit_field)
            for name, n in values.items():
                total[name] = total.get(name, 0) + n
            if unit is not None:
                by_unit.setdefault(unit, {}).update(values)

    def figures(values: dict[str, int]) -> dict[str, rates.Figure]:
        return {
            key: rates.Figure(values.get(f"{key}__n", 0), values.get(f"{key}__d", 0))
            for key in SHOWN_RATES
        }

    units = OrgUnit.objects.filter(pk__in=by_unit).order_by("path").values_list("pk", "name")
    rows = [rates.Row("unit", pk, name, figures(by_unit[pk])) for pk, name in units]
    return rows, rates.Row("total", None, "合计", figures(total))


def _ranked_rates(user, start: dt.date, end: dt.date, now: dt.datetime) -> dict:
    """The handling rates per lead unit between two days (`unit_rates`), ranked by 按时办结率
    (then 满意率, then the number of replies)."""
    period = rates.range_period(start, end)
    unit_rows, total_row = unit_rates(user, period, now)
    shown = [r for r in rates.RATES if r.key in SHOWN_RATES]

    def value(figure: rates.Figure) -> float:
        return figure.numerator / figure.denominator if figure.denominator else -1.0

    units = sorted(
        unit_rows,
        key=lambda row: (
            -value(row.figures["on_time"]),
            -value(row.figures["satisfied"]),
            -row.figures["on_time"].denominator,
            row.name,
        ),
    )
    rows = []
    for row in units[:RANKED_UNITS]:
        rows.append(
            {
                "unit": row.key,
                "name": row.name,
                "figures": [
                    {
                        "key": rate.key,
                        "percent": row.figures[rate.key].percent,
                        "numerator": row.figures[rate.key].numerator,
                        "denominator": row.figures[rate.key].denominator,
                        "value": round(100 * max(value(row.figures[rate.key]), 0), 1),
                    }
                    for rate in shown
                ],
            }
        )
    total = [
        {
            "key": rate.key,
            "percent": total_row.figures[rate.key].percent,
            "numerator": total_row.figures[rate.key].numerator,
            "denominator": total_row.figures[rate.key].denominator,
        }
        for rate in shown
    ]
    return {
        "rates": [{"key": r.key, "label": r.label, "definition": r.definition} for r in shown],
        "units": rows,
        "unit_count": len(unit_rows),
        "total": total,
        "period": period.query,
    }


# --- the rows behind a figure ---------------------------------------------------------------


def measure_rows(
    user,
    *,
    measure: str,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    category: Category | None = None,
    area: Area | None = None,
) -> QuerySet[Case]:
    """The cases a figure counts, filtered exactly as `dashboard_for` counts them."""
    qs = scoped_cases(user).filter(measure_q(measure, start=start, end=end, today=today))
    if category is not None:
        qs = qs.filter(category=category)
    if area is not None:
        qs = qs.filter(area_q(area))
    return qs
