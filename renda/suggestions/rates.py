"""建议办理统计: the handling rates of deputies' suggestions per lead unit (主办单位) and in
total, for one congress session (届次/会次) or the suggestions filed between sessions, and for
one year; and the counts of the annual handling table (年度建议办理情况表).

One row is counted per suggestion: its lead assignment of the first round (主办, `round` 1)
that the unit did not return. That row holds the lead unit, the statutory deadline and the
first answer's time: `suggestion_assign` gives it the deadline three months from the first
assignment, `suggestion_extend` moves it (at most six months, with approval) and a unit's
return followed by a new assignment keeps the first assignment's clock. The answer class (A/B/C)
and the deputy's rating are the case's (`result_class`, `rating`): the latest answer and the
latest rating. A suggestion returned by its unit and not yet assigned again has no such row and
is not counted until it is.

Those values are read from their copies on the `Suggestion` (`lead_unit`, `deadline`,
`answered_at`, `result_class`, `rating`, and `region` for the scope), which
`renda.suggestions.copies` keeps equal to the case and assignment: the table is then a scan of
the suggestions, with no join per suggestion.

The definitions (the page and the Excel show `RATES` and `MEASURES`):

- 按时办结率 = 按时答复 ÷ 应办结: suggestions first answered on or before their deadline, over
  those answered or whose deadline has passed (a suggestion still within its deadline and not
  answered cannot be judged yet).
- 解决率 = A类答复 ÷ 已答复: of the suggestions answered, those whose answer is A class
  (已解决或采纳).
- 满意率 = (满意 + 基本满意) ÷ 已评价: of the suggestions the deputy rated, those whose latest
  rating of the answer is 满意 or 基本满意 (不满意 sends it back; a later rating replaces it).

Figures and the lists behind them come from the same rows (`suggestion_rows`) and the same
filters (`measure_q`), so a figure and its list never disagree. Everything is counted in one
grouped query (conditional counts per lead unit, session and year; the filter, the total and
the filter's choices are summed from those groups), so the number of queries does not depend
on the number of suggestions.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.db.models.functions import Concat, TruncDate
from django.utils import timezone

from renda.cases.models import Case
from renda.cases.rates import Figure
from renda.org.models import OrgUnit
from renda.org.scope import scope_for
from renda.suggestions.models import CongressSession, Suggestion

A, B, C = Suggestion.AnswerClass.A, Suggestion.AnswerClass.B, Suggestion.AnswerClass.C
RESULT_OF = Suggestion.RESULT_OF_CLASS
SATISFIED = (Case.Rating.SATISFIED, Case.Rating.BASICALLY_SATISFIED)


@dataclass(frozen=True)
class Measure:
    """One count of the table: its column title and what it counts."""

    key: str
    label: str
    definition: str


MEASURES: tuple[Measure, ...] = (
    Measure("assigned", "交办件数", "已交办主办单位的建议（被退回尚待重新交办的暂不计）。"),
    Measure("answered", "已答复", "主办单位已答复的建议（以首次答复为准）。"),
    Measure("due", "应办结", "已答复或办理期限已过的建议。"),
    Measure("on_time", "按时答复", "首次答复日期不晚于办理期限的建议。"),
    Measure("class_a", "A类", "已答复、答复类别为A类（已解决或采纳）的建议。"),
    Measure("class_b", "B类", "已答复、答复类别为B类（列入计划逐步解决）的建议。"),
    Measure("class_c", "C类", "已答复、答复类别为C类（因条件限制留作参考）的建议。"),
    Measure("rated", "已评价", "代表已对办理结果作出评价的建议。"),
    Measure("satisfied", "满意+基本满意", "代表最近一次评价为“满意”或“基本满意”的建议。"),
    Measure("unanswered", "未答复", "已交办、尚未答复的建议。"),
    Measure("overdue", "超期未答复", "尚未答复且办理期限已过的建议。"),
)
MEASURES_BY_KEY = {m.key: m for m in MEASURES}


@dataclass(frozen=True)
class Rate:
    key: str
    label: str
    numerator: str  # a measure key
    denominator: str  # a measure key
    definition: str

    @property
    def numerator_label(self) -> str:
        return MEASURES_BY_KEY[self.numerator].label

    @property
    def denominator_label(self) -> str:
        return MEASURES_BY_KEY[self.denominator].label


RATES: tuple[Rate, ...] = (
    Rate(
        "on_time",
        "按时办结率",
        "on_time",
        "due",
        "已交办的建议中，在法定办理期限内答复的件数 ÷ 已答复或办理期限已过的件数。办理期限自"
        "交办之日起三个月，复杂建议经批准延期的最长六个月（以延期后的期限为准）；以首次答复的"
        "日期为准，不晚于办理期限即为按时。尚未答复且仍在期限内的暂不计入。",
    ),
    Rate(
        "solved",
        "解决率",
        "class_a",
        "answered",
        "已答复的建议中，答复类别为A类（已解决或采纳）的比例；重办后再次答复的，以最近一次"
        "答复的类别为准。",
    ),
    Rate(
        "satisfied",
        "满意率",
        "satisfied",
        "rated",
        "代表已评价的建议中，对办理结果评为“满意”或“基本满意”的比例；评“不满意”转重办后"
        "再次评价的，以最近一次评价为准。",
    ),
)
RATES_BY_KEY = {r.key: r for r in RATES}


def measure_q(key: str, today: dt.date) -> Q:
    """The filter of one measure over `suggestion_rows` (`today` decides what is overdue)."""
    answered = Q(answered_at__isnull=False)
    overdue = Q(answered_at__isnull=True, deadline__lt=today)
    filters = {
        "assigned": Q(),
        "answered": answered,
        "due": answered | overdue,
        "on_time": answered & _answered_by_deadline(),
        "class_a": answered & Q(result_class=RESULT_OF[A]),
        "class_b": answered & Q(result_class=RESULT_OF[B]),
        "class_c": answered & Q(result_class=RESULT_OF[C]),
        "rated": Q(rating__in=Case.Rating.values),
        "satisfied": Q(rating__in=SATISFIED),
        "unanswered": Q(answered_at__isnull=True),
        "overdue": overdue,
    }
    return filters[key]


def _answered_by_deadline() -> Q:
    """The answer's local date is not after the deadline.

    On SQLite `TruncDate` is a Python function called for every row (most of the query's
    time over 20,000 suggestions), so there, in a zone with one fixed offset east of UTC
    (Asia/Shanghai), the test is a comparison of the stored UTC text with the UTC time of the
    midnight that ends the deadline day: 2026-12-15 ends at '2026-12-15 16:00:00'.
    """
    hours = _fixed_offset_hours()
    if connection.vendor == "sqlite" and hours is not None:
        end = Concat("deadline", Value(f" {24 - hours:02d}:00:00"), output_field=CharField())
        return Q(answered_at__lt=end)
    return Q(deadline__gte=TruncDate("answered_at"))


def _fixed_offset_hours() -> int | None:
    """The current zone's offset in whole hours (1 to 23) when it is the same all year."""
    zone = timezone.get_current_timezone()
    offsets = {zone.utcoffset(dt.datetime(2026, month, 1)) for month in (1, 7)}
    if len(offsets) != 1:
        return None
    offset = offsets.pop()
    hours, rest = divmod(int(offset.total_seconds()), 3600) if offset else (0, 1)
    return hours if rest == 0 and 0 < hours < 24 else None


# --- the filter: a session (or between sessions) and a year ---------------------------------

BETWEEN_SESSIONS = "none"


@dataclass(frozen=True)
class Filter:
    session: CongressSession | None = None
    between_sessions: bool = False  # 闭会期间 (filed while no session was open)
    year: int | None = None

    def q(self) -> Q:
        q = Q()
        if self.session is not None:
            q &= Q(session=self.session.pk)
        elif self.between_sessions:
            q &= Q(session__isnull=True)
        if self.year is not None:
            q &= Q(year=self.year)
        return q

    def matches(self, *, session: int | None, year: int) -> bool:
        """`q()` for one group of `counted_for_user`."""
        if self.session is not None and session != self.session.pk:
            return False
        if self.between_sessions and session is not None:
            return False
        return self.year is None or year == self.year

    @property
    def query(self) -> dict[str, str]:
        """The parameters that reproduce this filter in a link."""
        query = {}
        if self.session is not None:
            query["session"] = str(self.session.pk)
        elif self.between_sessions:
            query["session"] = BETWEEN_SESSIONS
        if self.year is not None:
            query["year"] = str(self.year)
        return query

    @property
    def label(self) -> str:
        parts = []
        if self.session is not None:
            parts.append(f"{self.session.term.congress.name}{self.session}")
        elif self.between_sessions:
            parts.append("闭会期间提出的建议")
        if self.year is not None:
            parts.append(f"{self.year}年度")
        return "，".join(parts) or "全部年度和会议"


# --- the rows, in the reader's scope --------------------------------------------------------


def suggestion_rows(user) -> QuerySet[Suggestion]:
    """One row per suggestion in the user's scope that is counted (it has a lead unit: see
    `renda.suggestions.copies`). A handler sees only their own unit's rows."""
    scope = scope_for(user)
    rows = Suggestion.objects.filter(kind=Case.Kind.SUGGESTION, lead_unit__isnull=False)
    return scope.filter(
        rows,
        region="region",
        unit="congress",
        assigned_unit="lead_unit",
        owner=("lead_deputy__user",),
    )


def session_choices(user) -> list[CongressSession]:
    """The sessions the user's suggestions were filed in, newest first."""
    ids = suggestion_rows(user).order_by().values("session")
    return list(
        CongressSession.objects.filter(pk__in=ids)
        .select_related("term__congress")
        .order_by("-opens_on", "-pk")
    )


def year_choices(user) -> list[int]:
    rows = suggestion_rows(user).order_by().values_list("year", flat=True)
    return sorted(set(rows.distinct()), reverse=True)


# --- the figures ----------------------------------------------------------------------------


@dataclass
class Row:
    kind: str  # "unit" or "total"
    key: int | None
    name: str
    counts: dict[str, int] = field(default_factory=dict)

    def figure(self, rate: Rate) -> Figure:
        return Figure(self.counts.get(rate.numerator, 0), self.counts.get(rate.denominator, 0))

    @property
    def group_query(self) -> dict[str, str]:
        return {"unit": str(self.key)} if self.kind == "unit" else {}


@dataclass
class RatesTable:
    filter: Filter
    units: list[Row]
    total: Row
    today: dt.date


_SESSION = "session"
_YEAR = "year"


@dataclass
class Counted:
    """Every count of the user's scope per lead unit, session and year: the table of any
    filter and the filter's choices are worked out from it without another scan."""

    groups: list[dict]  # ordered by the unit's path, each with its `unit_name`
    today: dt.date

    def table(self, flt: Filter) -> RatesTable:
        """The counts per lead unit and in total (each row has one lead unit, so the total is
        the units' sum)."""
        units: dict[int, Row] = {}
        total = Row("total", None, "合计", {m.key: 0 for m in MEASURES})
        for group in self.groups:
            if not flt.matches(session=group[_SESSION], year=group[_YEAR]):
                continue
            row = units.get(group["unit"])
            if row is None:
                row = Row("unit", group["unit"], group["unit_name"], {m.key: 0 for m in MEASURES})
                units[group["unit"]] = row
            for m in MEASURES:
                row.counts[m.key] += group[m.key]
                total.counts[m.key] += group[m.key]
        return RatesTable(filter=flt, units=list(units.values()), total=total, today=self.today)

    @property
    def session_ids(self) -> set[int]:
        return {g[_SESSION] for g in self.groups if g[_SESSION] is not None}

    @property
    def years(self) -> list[int]:
        return sorted({g[_YEAR] for g in self.groups}, reverse=True)


def counted_for_user(user, *, today: dt.date | None = None) -> Counted:
    """Two queries: the user's rows grouped by lead unit, session and year, every measure a
    conditional count; then the units' names and paths (for the order). Joining the units in
    the first would look one up for every row instead of once for each."""
    today = today or timezone.localdate()
    aggregates = {m.key: Count("pk", filter=measure_q(m.key, today)) for m in MEASURES}
    groups = list(
        suggestion_rows(user)
        .order_by()
        .values(_SESSION, _YEAR, unit=F("lead_unit"))
        .annotate(**aggregates)
    )
    units = OrgUnit.objects.filter(pk__in={g["unit"] for g in groups}).values_list(
        "pk", "name", "path"
    )
    names = {pk: (path, name) for pk, name, path in units}
    groups.sort(key=lambda g: (names[g["unit"]][0], g["unit"]))
    for group in groups:
        group["unit_name"] = names[group["unit"]][1]
    return Counted(groups=groups, today=today)


def rates_for_user(user, flt: Filter, *, today: dt.date | None = None) -> RatesTable:
    """The counts and rates per lead unit and in total over the user's scope."""
    return counted_for_user(user, today=today).table(flt)


def sessions_by_ids(ids: set[int]) -> list[CongressSession]:
    return list(
        CongressSession.objects.filter(pk__in=ids)
        .select_related("term__congress")
        .order_by("-opens_on", "-pk")
    )


def measure_rows(
    user,
    *,
    measure: str,
    flt: Filter,
    unit: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[Suggestion]:
    """The rows one figure counts, filtered exactly as `rates_for_user` counts them."""
    today = today or timezone.localdate()
    qs = suggestion_rows(user).filter(flt.q(), measure_q(measure, today))
    if unit is not None:
        qs = qs.filter(lead_unit=unit)
    return qs.select_related("lead_unit", "case", "session")
