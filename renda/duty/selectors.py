"""Reads of points: ledgers, rankings and the annual evaluation, always within the reader's
data scope (deputies through `renda.deputies.selectors.deputies_for_user`)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from renda.deputies.models import Deputy, Seat
from renda.deputies.selectors import deputies_for_user
from renda.duty.models import PointEntry, PointRule, PointTally, PointYearTally
from renda.org.models import OrgUnit, Station
from renda.org.roles import Perm
from renda.org.scope import require, user_can
from renda.org.selectors import stations_for_user, units_for_user

E = PointEntry.Status
MAX_PERIOD_DAYS = 366 * 5


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year} 年")

    @classmethod
    def parse(cls, *, year: str = "", start: str = "", end: str = "") -> "Period":
        """A period from a query string: an explicit start and end, else a year, else this
        year. Bad input raises ValidationError with a message for the page."""
        if start or end:
            try:
                first = dt.date.fromisoformat(start)
                last = dt.date.fromisoformat(end)
            except ValueError:
                raise ValidationError("请填写有效的起止日期（如 2026-01-01）。") from None
            if last < first:
                raise ValidationError("结束日期不能早于开始日期。")
            if (last - first).days > MAX_PERIOD_DAYS:
                raise ValidationError("统计期间不能超过 5 年。")
            return cls(first, last, f"{first.isoformat()} 至 {last.isoformat()}")
        if year:
            if not year.isdigit() or not 2000 <= int(year) <= 2100:
                raise ValidationError("请选择有效的年度。")
            return cls.year(int(year))
        return cls.year(timezone.localdate().year)


def active_entries() -> QuerySet[PointEntry]:
    return PointEntry.objects.filter(status=E.ACTIVE)


# ---------------------------------------------------------------------------------------------
# Ledgers


def ledger(deputy: Deputy, period: Period, *, history: bool = False) -> QuerySet[PointEntry]:
    """A deputy's entries of a period, newest first; with `history` the superseded and
    withdrawn ones too (each says what replaced it)."""
    qs = deputy.point_entries.filter(date__range=(period.start, period.end))
    if not history:
        qs = qs.filter(status=E.ACTIVE)
    return qs.select_related("rule", "replaced_by").order_by("-date", "-pk")


def total(deputy: Deputy, period: Period) -> Decimal:
    """The deputy's active points of the period: a year is twelve monthly tallies, not the
    thousands of entries behind them."""
    return period_sums([deputy.pk], period).get(deputy.pk, (Decimal(0), 0))[0]


# ---------------------------------------------------------------------------------------------
# Sums over a period


def _month_after(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _of_deputies(qs: QuerySet, deputy_ids) -> QuerySet:
    """qs.filter(deputy_id__in=deputy_ids); a list of ids is written into the SQL as numbers:
    Django's `__in` prepares each of a congress's two thousand ids one by one, which costs a
    ranking more than the sum itself."""
    if not isinstance(deputy_ids, list | tuple | set):
        return qs.filter(deputy_id__in=deputy_ids)
    if not deputy_ids:
        return qs.none()
    ids = ", ".join(str(int(pk)) for pk in deputy_ids)
    return qs.extra(where=[f'"{qs.model._meta.db_table}"."deputy_id" IN ({ids})'])


# Past this many deputies named, a tally read takes every row of the period and keeps the
# deputies' in Python: SQLite reads a congress's two thousand ids and probes the index for
# each several times slower than it reads the year's rows (one per deputy of the city).
NAMED_DEPUTIES = 500


def _tally_rows(qs: QuerySet, deputy_ids, *, summed: bool) -> list[tuple[int, Decimal, int]]:
    """(deputy id, points, entries) of these tallies, summed per deputy when a deputy has
    several rows in the period."""
    many = isinstance(deputy_ids, list | tuple | set) and len(deputy_ids) > NAMED_DEPUTIES
    if not many:
        qs = _of_deputies(qs, deputy_ids)
    if summed:
        qs = qs.values("deputy_id").annotate(total=Sum("points"), n=Sum("entries")).order_by()
        rows = list(qs.values_list("deputy_id", "total", "n"))
    else:
        rows = list(qs.values_list("deputy_id", "points", "entries"))
    if many:
        wanted = set(deputy_ids)
        rows = [row for row in rows if row[0] in wanted]
    return rows


def period_sums(deputy_ids, period: Period) -> dict[int, tuple[Decimal, int]]:
    """(points, entries) per deputy over the period: whole years from the yearly tallies, the
    other whole months from the monthly tallies, the days before the first whole month and
    after the last one from the ledger."""
    first = period.start if period.start.day == 1 else _month_after(period.start)
    after_last = _month_after(period.end)
    if after_last - dt.timedelta(days=1) != period.end:
        after_last = period.end.replace(day=1)  # the last month is partial
    sums: dict[int, list] = defaultdict(lambda: [Decimal(0), 0])

    def add(rows) -> None:
        for deputy_id, points, n in rows:
            sums[deputy_id][0] += points
            sums[deputy_id][1] += n

    edges: list[tuple[dt.date, dt.date]] = []
    if first < after_last:
        # Years first..after_last-1 whole within the whole months, and the months around them.
        first_year = first.year if first.month == 1 else first.year + 1
        after_year = after_last.year
        months = [(first, after_last)]
        if first_year < after_year:
            years = PointYearTally.objects.filter(year__gte=first_year, year__lt=after_year)
            add(_tally_rows(years, deputy_ids, summed=after_year - first_year > 1))
            months = [
                (first, dt.date(first_year, 1, 1)),
                (dt.date(after_year, 1, 1), after_last),
            ]
        for lo, hi in months:
            if lo < hi:
                tallies = PointTally.objects.filter(month__gte=lo, month__lt=hi)
                add(_tally_rows(tallies, deputy_ids, summed=True))
        if period.start < first:
            edges.append((period.start, first - dt.timedelta(days=1)))
        if after_last <= period.end:
            edges.append((after_last, period.end))
    else:
        edges.append((period.start, period.end))
    for start, end in edges:
        add(
            _of_deputies(active_entries(), deputy_ids)
            .filter(date__range=(start, end))
            .values("deputy_id")
            .annotate(total=Sum("points"), n=Count("pk"))
            .values_list("deputy_id", "total", "n")
            .order_by()
        )
    return {k: (v[0], v[1]) for k, v in sums.items()}


# ---------------------------------------------------------------------------------------------
# Rankings


def congresses_for_user(user) -> QuerySet[OrgUnit]:
    units = units_for_user(user).filter(kind__in=OrgUnit.CONGRESS_KINDS, is_active=True)
    return units.order_by("path")


def ranking_stations_for_user(user) -> QuerySet[Station]:
    return stations_for_user(user).filter(is_active=True).order_by("path")


@dataclass(frozen=True)
class RankRow:
    rank: int
    deputy: Deputy
    total: Decimal
    entries: int


def _deputies_of(
    user, *, congress: OrgUnit | None, station: Station | None, lower: bool
) -> QuerySet[Deputy]:
    require(user, Perm.DEPUTIES_VIEW)
    qs = deputies_for_user(user)
    if congress is not None:
        seats = Seat.objects.filter(status=Seat.Status.SERVING)
        seats = (
            seats.filter(term__congress__path__startswith=congress.path)
            if lower
            else seats.filter(term__congress=congress)
        )
        qs = qs.filter(pk__in=seats.values("deputy_id"))
    if station is not None:
        qs = qs.filter(station_memberships__station__path__startswith=station.path).distinct()
    return qs


def _ranked(
    user, *, period: Period, congress: OrgUnit | None, station: Station | None, lower: bool
) -> list[tuple[int, int, Decimal, int]]:
    """(rank, deputy id, total, entries), best first; equal totals share a rank (1, 1, 3) and
    keep the order of names. Only ids and names are read: the rows of a page are loaded
    afterwards."""
    in_scope = _deputies_of(user, congress=congress, station=station, lower=lower)
    ids = list(in_scope.order_by("name", "pk").values_list("pk", flat=True))
    # The ids, not the scope query again as a subquery: the scoped query is the costly part.
    sums = period_sums(ids, period)
    zero = (Decimal(0), 0)
    scored = sorted(ids, key=lambda pk: -sums.get(pk, zero)[0])
    rows: list[tuple[int, int, Decimal, int]] = []
    for position, pk in enumerate(scored, start=1):
        value, n = sums.get(pk, zero)
        rank = rows[-1][0] if rows and rows[-1][2] == value else position
        rows.append((rank, pk, value, n))
    return rows


def _rank_rows(ranked) -> list[RankRow]:
    deputies = Deputy.objects.only("pk", "name", "work_unit", "post").in_bulk(
        [pk for _, pk, _, _ in ranked]
    )
    return [
        RankRow(rank=rank, deputy=deputies[pk], total=value, entries=n)
        for rank, pk, value, n in ranked
    ]


def ranking(
    user,
    *,
    period: Period,
    congress: OrgUnit | None = None,
    station: Station | None = None,
    lower: bool = False,
) -> list[RankRow]:
    """The deputies of a congress (with `lower`, also those of the congresses below it) or of
    a station and its points, best first; equal totals share a rank (1, 1, 3)."""
    ranked = _ranked(user, period=period, congress=congress, station=station, lower=lower)
    return _rank_rows(ranked)


def ranking_page(
    user,
    *,
    period: Period,
    number,
    per_page: int,
    congress: OrgUnit | None = None,
    station: Station | None = None,
    lower: bool = False,
) -> Page:
    """One page of `ranking`: every deputy is ranked, only the page's deputies are loaded."""
    ranked = _ranked(user, period=period, congress=congress, station=station, lower=lower)
    page = Paginator(ranked, per_page).get_page(number)
    page.object_list = _rank_rows(page.object_list)
    return page


# ---------------------------------------------------------------------------------------------
# The annual evaluation sheet (考评表)


@dataclass
class RuleLine:
    name: str
    source: str
    count: int
    points: Decimal


@dataclass
class Evaluation:
    deputy: Deputy
    period: Period
    seats: list[Seat]
    stations: list[str]
    lines: list[RuleLine]
    total: Decimal
    by_source: dict[str, Decimal] = field(default_factory=dict)
    ranks: list[tuple[str, int, int]] = field(default_factory=list)  # (congress, rank, of)


def evaluation(user, deputy: Deputy, period: Period, *, lines: bool = True) -> Evaluation:
    """The deputy's sheet for the period. Without `lines` (a deputy's /me/, which shows the
    total and the places only) the total is read from the tallies (`total`) and neither the
    lines by rule nor the stations are read: the lines sum every entry of the period (a
    deputy's two thousand entries of a year, each on its own page of the ledger)."""
    if lines:
        entries = active_entries().filter(deputy=deputy, date__range=(period.start, period.end))
        rule_lines = [
            RuleLine(
                name=row["rule__name"],
                source=PointRule.Source(row["source"]).label,
                count=row["n"],
                points=row["total"],
            )
            for row in entries.values("rule__name", "source")
            .annotate(n=Count("pk"), total=Sum("points"))
            .order_by("source", "rule__name")
        ]
        mine = sum((line.points for line in rule_lines), Decimal(0))
    else:
        rule_lines, mine = [], total(deputy, period)
    by_source: dict[str, Decimal] = defaultdict(Decimal)
    for line in rule_lines:
        by_source[line.source] += line.points
    seats = list(
        deputy.seats.filter(status=Seat.Status.SERVING)
        .select_related("term__congress__region")
        .order_by("term__congress__path")
    )
    ranks = []
    own = deputy.user_id is not None and deputy.user_id == user.pk
    visible = (
        set(congresses_for_user(user).values_list("pk", flat=True))
        if not own and user_can(user, Perm.ORG_VIEW)
        else set()
    )
    for seat in seats:
        congress = seat.term.congress
        if not own and congress.pk not in visible:
            continue
        place = _place_within(congress, period, deputy.pk, mine)
        if place is not None:
            ranks.append((congress.name, *place))
    stations = (
        [m.station.name for m in deputy.station_memberships.select_related("station")]
        if lines
        else []
    )
    return Evaluation(
        deputy=deputy,
        period=period,
        seats=seats,
        stations=stations,
        lines=rule_lines,
        total=mine,
        by_source=dict(by_source),
        ranks=ranks,
    )


def _whole_months(period: Period) -> bool:
    return period.start.day == 1 and _month_after(period.end) - dt.timedelta(days=1) == period.end


def _place_within(
    congress: OrgUnit, period: Period, deputy_id: int, mine: Decimal
) -> tuple[int, int] | None:
    """(rank, of) of a deputy serving in one congress with `mine` points in the period,
    unscoped (the deputy's own place is shown on their sheet even to a reader who may not see
    the others). For whole months, one query counts the deputies with more points from the
    monthly tallies, instead of reading every deputy's total into Python; other periods rank
    them all (`_rank_within`)."""
    if not _whole_months(period):
        rows = _rank_within(congress, period)
        place = next((r for r, d in rows if d == deputy_id), None)
        return None if place is None else (place, len(rows))
    seats = Seat.objects.filter(term__congress=congress, status=Seat.Status.SERVING)
    seats_sql, seats_params = seats.values("deputy_id").query.sql_with_params()
    if period.start.month == 1 and period.end.month == 12:
        # Whole years: one yearly tally per deputy and year.
        tally, column = PointYearTally._meta.db_table, "year"
        bounds = [period.start.year, period.end.year]
    else:
        tally, column = PointTally._meta.db_table, "month"
        bounds = [period.start, period.end]
    # Tenths as integers: SQLite compares a SUM with a bound decimal as text otherwise.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN CAST(ROUND(s.total * 10) AS integer) > %s "
            f"THEN 1 ELSE 0 END), 0), (SELECT COUNT(*) FROM ({seats_sql}) x) FROM "
            f'(SELECT t.deputy_id, SUM(t.points) AS total FROM "{tally}" t '
            f"WHERE t.{column} >= %s AND t.{column} <= %s AND t.deputy_id IN ({seats_sql}) "
            "GROUP BY t.deputy_id) s",
            [int(mine * 10), *seats_params, *bounds, *seats_params],
        )
        with_tallies, above, of = cursor.fetchone()
    # A deputy without tallies has 0 points: ahead of this one only when this one is below 0.
    without = of - with_tallies if mine < 0 else 0
    return 1 + above + without, of


def _rank_within(congress: OrgUnit, period: Period) -> list[tuple[int, int]]:
    """(rank, deputy id) of the serving deputies of one congress, unscoped: the deputy's own
    place is shown on their sheet even to a reader who may not see the others."""
    seats = Seat.objects.filter(term__congress=congress, status=Seat.Status.SERVING)
    ids = list(seats.values_list("deputy_id", flat=True))
    sums = period_sums(seats.values("deputy_id"), period)
    ordered = sorted(ids, key=lambda d: -sums.get(d, (0, 0))[0])
    result: list[tuple[int, int]] = []
    last = None
    for position, deputy_id in enumerate(ordered, start=1):
        value = sums.get(deputy_id, (0, 0))[0]
        rank = result[-1][0] if result and last == value else position
        result.append((rank, deputy_id))
        last = value
    return result


# ---------------------------------------------------------------------------------------------
# A deputy's own pages


def deputy_of(user) -> Deputy | None:
    if not user.is_authenticated:
        return None
    return Deputy.objects.filter(user_id=user.pk).first()


def my_cases(deputy: Deputy):
    from renda.cases.models import Case

    mine = Q(collected_by=deputy)
    if deputy.user_id:
        mine |= Q(submitter_id=deputy.user_id)
    return (
        Case.objects.filter(mine)
        .select_related("category", "region")
        .order_by("-created_at", "-pk")
    )
