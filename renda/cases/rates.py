"""办理统计: the handling rates per handling unit, per town and in total, over a period.

Every rate is a `Rate`: its definition (shown on the page, in the export and here), the rows it
counts (its source) and two filters over those rows — the denominator, and the numerator
inside it. The figures (`rates_for_user`) and the drill-down lists (`rate_rows`) are built
from the same source queryset and the same filters, so a figure and its list never disagree.

Sources, always inside the reader's data scope (`cases_for_user`, never outside it):

- 交办记录 (`assignment_rows`): the lead (主办) `Assignment`s of the cases in scope. A handler
  sees only their own unit's assignments, not those of the other units on the same case.
- 评价 (`rating_rows`): the rating events (`rate`: 满意/基本满意; `reopen`: 不满意 → 重办),
  each joined to the reply (答复) it judged: the case's last reply event before it, whose data
  holds the unit that answered and the result class.

The definitions:

- 响应率 = 时限内签收的交办 ÷ 应签收的交办. 交办: a lead assignment a congress made
  (`assigned_by` set) in the period; the assignment a re-handling (重办) creates is signed
  already and does not count. Within the limit: `working_days_between(交办日, 签收日)` is at most
  `SIGN_LIMIT_URGENT` working days for a 紧急 case (its tier allows at most
  `URGENT_TIER_MAX_DAYS` working days), `SIGN_LIMIT_DEFAULT` otherwise. There is no signing
  limit among the admin settings (`CaseSettings`), hence these constants. An assignment not yet
  signed (nor returned) whose limit has not passed yet is left out: it cannot be judged yet.
  The urgency is the case's current tier (a case returned and waiting for a new assignment has
  none and gets the default limit).
- 按时办结率 = 按期答复 ÷ 答复: lead assignments replied in the period; on time when the reply's
  date is not after the assignment's deadline (extensions included) — the same test
  `case_reply` stores as `on_time` in the reply event. A case answered again after 重办 counts
  once per reply.
- 解决率 = 评价时办理结果为“已解决”的 ÷ 评价: ratings given in the period.
- 满意率 = (满意 + 基本满意) ÷ 评价: ratings given in the period.
- 重办率 = 曾因不满意重办的事项 ÷ 有答复的事项: distinct cases whose lead unit replied in the
  period, of which those reopened (不满意) at least once so far.
- 退回率 = 被退回的交办 ÷ 交办: lead assignments made in the period (as for 响应率, without
  leaving out the pending ones), of which those the unit returned (退回).

Every query aggregates in the database (conditional counts), so the number of queries does not
depend on the number of cases.
"""

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_

from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as SqlCase
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Substr, TruncDate
from django.utils import timezone

from renda.cases.inbox import towns_for_user
from renda.cases.models import Assignment, Case, CaseEvent
from renda.cases.workflow import Action
from renda.org.models import Level, OrgUnit, Region
from renda.org.scope import scope_for
from renda.workcal.models import CalendarDay

# 签收时限 (the response clock): no admin setting exists for it, so the rule is written here.
SIGN_LIMIT_URGENT = 1  # working days, for a 紧急 case
SIGN_LIMIT_DEFAULT = 3  # working days, for every other case
URGENT_TIER_MAX_DAYS = 1  # a tier allowing at most this many working days is 紧急
# A custom range may span at most this many days: long enough for a three-year comparison,
# short enough that the signing-limit expression stays small.
MAX_PERIOD_DAYS = 3 * 366

ASSIGNMENTS = "assignments"
RATINGS = "ratings"
NUMERATOR = "numerator"
DENOMINATOR = "denominator"

_OWNER = ("case__submitter", "case__collected_by__user")


@dataclass(frozen=True)
class Rate:
    key: str
    label: str
    numerator_label: str
    denominator_label: str
    definition: str
    source: str
    # What one counted row is: the source row itself, or its case (distinct).
    counts_cases: bool = False


RATES: tuple[Rate, ...] = (
    Rate(
        "response",
        "响应率",
        "时限内签收",
        "应签收的交办",
        f"期间内人大交办给主办单位的交办记录中，在时限内签收的比例。签收时限：紧急事项"
        f"{SIGN_LIMIT_URGENT}个工作日，其他{SIGN_LIMIT_DEFAULT}个工作日（自交办之日起按工作日"
        "计算）。重办时系统自动生成的交办不计；尚未签收且仍在时限内的暂不计入。",
        ASSIGNMENTS,
    ),
    Rate(
        "on_time",
        "按时办结率",
        "按期答复",
        "答复",
        "期间内主办单位的答复中，答复日期不晚于办理期限（含批准的延期）的比例。重办后再次答复另计一次。",
        ASSIGNMENTS,
    ),
    Rate(
        "solved",
        "解决率",
        "已解决",
        "评价",
        "期间内收到的评价中，所评答复的办理结果为“已解决”的比例。",
        RATINGS,
    ),
    Rate(
        "satisfied",
        "满意率",
        "满意+基本满意",
        "评价",
        "期间内收到的评价中，评为“满意”或“基本满意”的比例（“不满意”即转重办）。",
        RATINGS,
    ),
    Rate(
        "reopened",
        "重办率",
        "曾重办的事项",
        "有答复的事项",
        "期间内有主办单位答复的事项中，至今曾因评价不满意而重办过的事项所占比例（按事项计，不重复）。",
        ASSIGNMENTS,
        counts_cases=True,
    ),
    Rate(
        "returned",
        "退回率",
        "被退回",
        "交办",
        "期间内人大交办给主办单位的交办记录中，被承办单位退回的比例。",
        ASSIGNMENTS,
    ),
)
RATES_BY_KEY = {rate.key: rate for rate in RATES}


# --- the period -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    label: str

    @staticmethod
    def _midnight(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time()))

    @property
    def start_at(self) -> dt.datetime:
        return self._midnight(self.start)

    @property
    def end_at(self) -> dt.datetime:
        """The first moment after the period."""
        return self._midnight(self.end + dt.timedelta(days=1))

    def q(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.start_at, f"{field_name}__lt": self.end_at})

    @property
    def full_label(self) -> str:
        """The label with its dates, unless the label is the dates."""
        dates = f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"
        return self.label if self.label == dates else f"{self.label}（{dates}）"

    @property
    def query(self) -> dict[str, str]:
        """The parameters that reproduce this period in a link (from, to)."""
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def month_period(year: int, month: int) -> Period:
    start = dt.date(year, month, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return Period(start, end, f"{year}年{month}月")


def quarter_period(year: int, quarter: int) -> Period:
    start = dt.date(year, 3 * quarter - 2, 1)
    end = month_period(year, 3 * quarter).end
    return Period(start, end, f"{year}年第{quarter}季度")


def year_period(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年")


def range_period(start: dt.date, end: dt.date) -> Period:
    return Period(start, end, f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}")


# --- the signing limit in working days ------------------------------------------------------


def _working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    """The working days in [first, last], by the rule of `renda.workcal.calendar` (a stored
    day overrides; otherwise Monday to Friday work), read in one query."""
    stored = dict(CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "kind"))
    days = []
    day = first
    while day <= last:
        kind = stored.get(day)
        if kind == CalendarDay.Kind.WORKDAY or (kind is None and day.weekday() < 5):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


@dataclass(frozen=True)
class SignLimit:
    """The signing limit over one period, as database expressions.

    `working_days_between(a, s)` counts the working days after day a up to day s; it is at
    most L exactly when s falls before the (L+1)-th working day after a. Days group into runs
    (a working day and the rest days after it) that share that bound, so the bound is a CASE
    over the assignment time with one branch per run, and the whole test stays in the query.
    """

    deadline: SqlCase  # the first moment that is too late to sign
    # Unsigned assignments made at or after this moment are still within their limit.
    pending_q: Q
    limit: SqlCase  # the limit in working days, for the lists

    @classmethod
    def build(
        cls, period: Period, now: dt.datetime, *, urgency: str = "case__urgency"
    ) -> "SignLimit":
        """`urgency`: the path from the counted rows to the case's urgency tier (rows that
        carry a copy of it, as the dashboard's, name their own field)."""
        slack = dt.timedelta(days=30)  # longer than any holiday season
        days = _working_days(period.start - slack, period.end + slack)
        urgent = Q(**{f"{urgency}__working_days__lte": URGENT_TIER_MAX_DAYS})
        deadlines, pending = {}, {}
        for limit in (SIGN_LIMIT_URGENT, SIGN_LIMIT_DEFAULT):
            deadlines[limit], pending[limit] = cls._runs(period, now, days, limit)
        deadline = SqlCase(
            When(urgent, then=deadlines[SIGN_LIMIT_URGENT]),
            default=deadlines[SIGN_LIMIT_DEFAULT],
            output_field=DateTimeField(),
        )
        waiting = Q(signed_at__isnull=True, returned_at__isnull=True)
        pending_q = waiting & (
            (urgent & Q(assigned_at__gte=pending[SIGN_LIMIT_URGENT]))
            | (~urgent & Q(assigned_at__gte=pending[SIGN_LIMIT_DEFAULT]))
        )
        limit = SqlCase(
            When(urgent, then=Value(SIGN_LIMIT_URGENT)),
            default=Value(SIGN_LIMIT_DEFAULT),
            output_field=IntegerField(),
        )
        return cls(deadline=deadline, pending_q=pending_q, limit=limit)

    @staticmethod
    def _runs(
        period: Period, now: dt.datetime, days: list[dt.date], limit: int
    ) -> tuple[SqlCase, dt.datetime]:
        midnight = Period._midnight
        i = bisect_right(days, period.start) - 1  # the run that holds the first day
        whens = []
        pending_from = period.end_at
        while i + limit + 1 < len(days) and days[i] <= period.end:
            too_late = midnight(days[i + limit + 1])
            whens.append(When(assigned_at__lt=midnight(days[i + 1]), then=Value(too_late)))
            if too_late > now and pending_from == period.end_at:
                pending_from = midnight(days[i])
            i += 1
        return SqlCase(*whens, default=Value(None), output_field=DateTimeField()), pending_from


# --- the filters of every rate --------------------------------------------------------------


def rate_filters(
    period: Period, sign: SignLimit, *, replied_on: str | None = None
) -> dict[str, tuple[Q, Q]]:
    """(denominator, numerator) of every rate over its source rows; the numerator is the
    denominator narrowed further. `replied_on`: a field of the rows holding the local day of
    `replied_at`, for rows that keep it (the dashboard's; SQLite computes `TruncDate` in
    Python, row by row)."""
    made = Q(assigned_by__isnull=False) & period.q("assigned_at")
    replied = period.q("replied_at")
    rated = period.q("created_at")
    replied_day = F(replied_on) if replied_on else TruncDate("replied_at")
    filters = {
        "response": (made & ~sign.pending_q, Q(signed_at__lt=sign.deadline)),
        "on_time": (replied, Q(deadline__gte=replied_day)),
        "solved": (rated, Q(reply_result=Case.ResultClass.SOLVED)),
        "satisfied": (rated, Q(action=Action.RATE)),
        "reopened": (replied, Q(case__unsatisfied_count__gte=1)),
        "returned": (made, Q(state=Assignment.State.RETURNED)),
    }
    return {key: (den, den & num) for key, (den, num) in filters.items()}


# --- the rows, in the reader's scope --------------------------------------------------------


# The rows' own scope filter is the case scope (`cases_for_user`) with each grant's part
# written through the row's case, except a handler's, which is narrower: the row's unit (an
# assignment to the unit, a reply by it) implies that the case was assigned to the unit. So
# it alone is the scope, without a semi-join over every case in scope: a city leader's
# 30-day rates read the period's rows, not a million cases (bench/bench_dashboard.py, cold).


def assignment_rows(user) -> QuerySet[Assignment]:
    """Lead assignments of the cases in the user's scope; a handler's only of their unit."""
    scope = scope_for(user)
    return Assignment.objects.filter(role=Assignment.Role.LEAD).filter(
        scope.q(region="case__region", unit="case__congress", assigned_unit="unit", owner=_OWNER)
    )


def rating_events() -> QuerySet[CaseEvent]:
    """Every rating event (评价, or 不满意 → 重办) with the unit and result class of the reply it
    judged (`reply_unit`, `reply_result`): the case's last reply event before it."""
    reply = CaseEvent.objects.filter(
        case=OuterRef("case"), action=Action.REPLY, pk__lt=OuterRef("pk")
    ).order_by("-pk")
    unit = reply.annotate(v=Cast(KeyTextTransform("unit", "data"), IntegerField())).values("v")
    result = reply.annotate(v=KeyTextTransform("result_class", "data")).values("v")
    return CaseEvent.objects.filter(action__in=[Action.RATE, Action.REOPEN]).annotate(
        reply_unit=Subquery(unit[:1], output_field=IntegerField()),
        reply_result=Subquery(result[:1]),
    )


def rating_rows(user) -> QuerySet[CaseEvent]:
    """Rating events of the cases in the user's scope, with the unit and result class of the
    reply each one judged (`reply_unit`, `reply_result`); a handler's only of their unit."""
    scope = scope_for(user)
    return rating_events().filter(
        scope.q(
            region="case__region",
            unit="case__congress",
            assigned_unit="reply_unit",
            owner=_OWNER,
        )
    )


def _source(user, source: str) -> QuerySet:
    return assignment_rows(user) if source == ASSIGNMENTS else rating_rows(user)


_UNIT_FIELD = {ASSIGNMENTS: "unit", RATINGS: "reply_unit"}


def _town_length() -> int:
    """How many characters of a region path name its town (乡镇街道)."""
    depth = Region.objects.filter(level=Level.TOWN).values_list("depth", flat=True).first()
    return Region.steplen * (depth or 4)


def _group_q(source: str, *, unit: int | None, town_path: str | None) -> Q:
    q = Q()
    if unit is not None:
        q &= Q(**{_UNIT_FIELD[source]: unit})
    if town_path is not None:
        # A case in the town or below it; a case placed above town level is its region's own.
        q &= Q(case__region__path__startswith=town_path)
        if len(town_path) < _town_length():
            q &= Q(case__region__path=town_path)
    return q


# --- the figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    numerator: int
    denominator: int

    @property
    def percent(self) -> str:
        """One decimal, rounded half up; "—" when there is nothing to divide by."""
        if not self.denominator:
            return "—"
        value = Decimal(self.numerator * 100) / Decimal(self.denominator)
        return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


@dataclass
class Row:
    kind: str  # "unit", "town" or "total"
    key: int | None
    name: str
    figures: dict[str, Figure] = field(default_factory=dict)

    @property
    def group_query(self) -> dict[str, str]:
        return {self.kind: str(self.key)} if self.kind != "total" else {}

    def cells(self) -> list[tuple[Rate, Figure]]:
        return [(rate, self.figures[rate.key]) for rate in RATES]


@dataclass
class RatesTable:
    period: Period
    units: list[Row]
    towns: list[Row]
    total: Row


def _aggregates(source: str, filters: dict[str, tuple[Q, Q]]) -> dict[str, Count]:
    aggregates = {}
    for rate in RATES:
        if rate.source != source:
            continue
        den, num = filters[rate.key]
        counted = "case" if rate.counts_cases else "pk"
        distinct = rate.counts_cases
        aggregates[f"{rate.key}__d"] = Count(counted, filter=den, distinct=distinct)
        aggregates[f"{rate.key}__n"] = Count(counted, filter=num, distinct=distinct)
    return aggregates


def _any_of(source: str, filters: dict[str, tuple[Q, Q]]) -> Q:
    return reduce(or_, (filters[r.key][0] for r in RATES if r.source == source))


def _figures(values: dict) -> dict[str, Figure]:
    return {
        rate.key: Figure(values.get(f"{rate.key}__n") or 0, values.get(f"{rate.key}__d") or 0)
        for rate in RATES
    }


def rates_for_user(user, period: Period, *, now: dt.datetime | None = None) -> RatesTable:
    """The rates per lead unit, per town and in total over the user's scope.

    Queries: per source (assignments, ratings) one grouped by unit, one by town and one total;
    the calendar, the town depth, the unit names and the region names: ten in all.
    """
    filters = rate_filters(period, SignLimit.build(period, now or timezone.now()))
    town_length = _town_length()
    by_unit: dict[int, dict] = {}
    by_town: dict[str, dict] = {}
    total: dict = {}
    for source in (ASSIGNMENTS, RATINGS):
        qs = _source(user, source).filter(_any_of(source, filters)).order_by()
        aggregates = _aggregates(source, filters)
        unit_field = _UNIT_FIELD[source]
        for values in qs.values(unit_field).annotate(**aggregates):
            if values[unit_field] is not None:
                by_unit.setdefault(values[unit_field], {}).update(values)
        town = Substr("case__region__path", 1, town_length)
        for values in qs.annotate(town_path=town).values("town_path").annotate(**aggregates):
            by_town.setdefault(values["town_path"], {}).update(values)
        total.update(qs.aggregate(**aggregates))

    units = OrgUnit.objects.filter(pk__in=by_unit).order_by("path")
    unit_rows = [Row("unit", u.pk, u.name, _figures(by_unit[u.pk])) for u in units]

    regions = (towns_for_user(user) | Region.objects.filter(path__in=by_town)).order_by("path")
    town_rows = []
    for region in regions:
        name = region.name if region.level == Level.TOWN else f"{region.name}（本级）"
        town_rows.append(Row("town", region.pk, name, _figures(by_town.get(region.path, {}))))
    return RatesTable(
        period=period,
        units=unit_rows,
        towns=town_rows,
        total=Row("total", None, "合计", _figures(total)),
    )


# --- the rows behind a figure ---------------------------------------------------------------


def rate_rows(
    user,
    *,
    rate: Rate,
    part: str,
    period: Period,
    unit: int | None = None,
    town: Region | None = None,
    now: dt.datetime | None = None,
) -> QuerySet:
    """The rows a figure counts: source rows (assignments or rating events) annotated with
    `counted` (whether the row is in the numerator), or for a rate that counts cases, the
    cases. Filtered exactly as `rates_for_user` counts them."""
    sign = SignLimit.build(period, now or timezone.now())
    den, num = rate_filters(period, sign)[rate.key]
    qs = _source(user, rate.source)
    qs = qs.filter(num if part == NUMERATOR else den)
    qs = qs.filter(_group_q(rate.source, unit=unit, town_path=town.path if town else None))
    if rate.counts_cases:
        return Case.objects.filter(pk__in=qs.values("case")).annotate(
            counted=SqlCase(
                When(unsatisfied_count__gte=1, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    qs = qs.annotate(
        counted=SqlCase(
            When(num, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )
    if rate.key == "response":
        qs = qs.annotate(sign_limit=sign.limit)
    if rate.source == ASSIGNMENTS:
        qs = qs.select_related("unit")
    return qs.select_related("case")
