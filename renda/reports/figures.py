"""What the monthly report counts, and how: one definition per figure, shared by the live
roll-up (a few GROUP BY queries for every unit at once) and the lists behind each figure.

Every figure of a reporting unit counts rows in the unit's region subtree (the region and
everything under it), so a county's figures hold its towns' and its own without adding reports
together. The roll-up groups each query by region id once and adds each region's counts to its
ancestors' in Python (a region path's prefixes are its ancestors), so the cost grows with the
rows of the month and the number of regions, never with the number of units.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.utils import timezone

from renda.activities.models import Activity, Attendance
from renda.cases.models import Case, CaseEvent
from renda.cases.workflow import Action
from renda.org.models import Level, OrgUnit, Region

# Seed 001's four kinds of activity and the activity kinds (ActivityKind.code) counted as each.
# 学习培训, 代表小组活动 and 工作人员进站 are not activities with the people or on the ground,
# so they are not counted.
ACTIVITY_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "inspection": ("视察", ("inspection", "law_check", "special_supervision")),
    "research": ("调研", ("research",)),
    "forum": ("座谈", ("forum",)),
    "contact": ("联系群众", ("visit_voters", "reception_day", "mediation")),
}
COUNTED_KIND_CODES = tuple(code for _, codes in ACTIVITY_TYPES.values() for code in codes)
TYPE_OF_KIND = {code: key for key, (_, codes) in ACTIVITY_TYPES.items() for code in codes}

# Opinions, deputies' suggestions and motions are 意见建议; commitments and supervision items
# are the congress's own work items, not collected from anyone.
COLLECTED_KINDS = (Case.Kind.OPINION, Case.Kind.SUGGESTION, Case.Kind.MOTION)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str  # the seed's column header
    short: str
    definition: str


# The five counted columns of seed 001's table, in its order (the sixth is 典型案例).
FIGURES = (
    Figure(
        "activities",
        "辖区内各级人大开展有关视察、调研、座谈、联系群众活动次数",
        "活动次数",
        "本月活动日期在辖区内、状态为“已开展”的履职活动。视察＝视察、执法检查、专题监督；"
        "调研＝调研；座谈＝座谈；联系群众＝走访选民、接待日、调解矛盾纠纷。学习培训、"
        "代表小组活动、工作人员进站不计入。",
    ),
    Figure(
        "attendances",
        "辖区内各级人大代表参与活动人次",
        "代表参与人次",
        "上述计入的活动中，出席情况为“出席”的代表人次（一名代表参加两次活动计 2 人次）。",
    ),
    Figure(
        "collected",
        "收集意见建议数量 (件)",
        "收集意见建议",
        "本月提交、所在区划在辖区内的民情意见、代表建议和议案（已合并的重复件不计）。",
    ),
    Figure(
        "solved",
        "解决问题数量 (件)",
        "解决问题",
        "本月答复且办理结果为“已解决”的上述事项（待评价或已办结；评价不满意退回重办的不计）。",
    ),
    Figure(
        "escalated",
        "上报市级处理研究的意见建议数量 (件)",
        "上报市级",
        "本月上报至市人大常委会的辖区内事项（按上报记录计，同一事项本月多次上报计 1 件）。",
    ),
)
FIGURE_KEYS = tuple(f.key for f in FIGURES)
TYPICAL_LABEL = "典型案例 (可另行文本发送)"
# Bumped when a definition changes, and frozen into each report with its figures.
DEFINITIONS_VERSION = 1

# The units that report: congresses, town presidiums and street committees of counties and
# towns (seed 001: 县（市、区）人大 统计汇总所辖乡镇（街道）情况).
REPORTING_LEVELS = (Level.COUNTY, Level.TOWN)


def reporting_units() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(
        kind__in=OrgUnit.CONGRESS_KINDS, is_active=True, region__level__in=REPORTING_LEVELS
    ).select_related("region")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        try:
            year_s, month_s = (text or "").strip().split("-")
            month = cls(int(year_s), int(month_s))
        except ValueError:
            raise ValidationError(f"“{text}”不是有效的月份，应写作 2026-09。") from None
        if not (2000 <= month.year <= 2100 and 1 <= month.month <= 12):
            raise ValidationError(f"“{text}”不是有效的月份，应写作 2026-09。")
        return month

    @classmethod
    def of(cls, day: dt.date) -> "Month":
        return cls(day.year, day.month)

    @classmethod
    def previous(cls, today: dt.date | None = None) -> "Month":
        today = today or timezone.localdate()
        return cls.of(today.replace(day=1) - dt.timedelta(days=1))

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def next(self) -> "Month":
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    @property
    def prev(self) -> "Month":
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    @property
    def start(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.first_day, dt.time.min))

    @property
    def end(self) -> dt.datetime:
        """The first instant of the next month (exclusive)."""
        return self.next.start

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"


# --- the rows each figure counts (shared by the roll-up and the lists behind it) ----------


def activity_rows(month: Month) -> QuerySet[Activity]:
    return Activity.objects.filter(
        status=Activity.Status.HELD,
        date__gte=month.first_day,
        date__lt=month.next.first_day,
        kind__code__in=COUNTED_KIND_CODES,
    )


def attendance_rows(month: Month) -> QuerySet[Attendance]:
    return Attendance.objects.filter(
        status=Attendance.Status.ATTENDED,
        activity__status=Activity.Status.HELD,
        activity__date__gte=month.first_day,
        activity__date__lt=month.next.first_day,
        activity__kind__code__in=COUNTED_KIND_CODES,
    )


def collected_rows(month: Month) -> QuerySet[Case]:
    # case_created_scope (created_at, id, region, congress) finds the month's cases.
    return Case.objects.filter(
        created_at__gte=month.start, created_at__lt=month.end, kind__in=COLLECTED_KINDS
    ).exclude(state=Case.State.MERGED)


def solved_rows(month: Month) -> QuerySet[Case]:
    # case_state_replied_at (state, replied_at) finds the month's answers.
    return Case.objects.filter(
        state__in=(Case.State.REPLIED, Case.State.CLOSED),
        replied_at__gte=month.start,
        replied_at__lt=month.end,
        result_class=Case.ResultClass.SOLVED,
        kind__in=COLLECTED_KINDS,
    )


def city_congress_ids() -> list[int]:
    return list(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.CONGRESS, region__level=Level.CITY).values_list(
            "pk", flat=True
        )
    )


def escalation_rows(month: Month, city_ids: Iterable[int]) -> QuerySet[CaseEvent]:
    # caseevent_action_created (action, created_at) finds the month's escalations.
    return CaseEvent.objects.filter(
        action=Action.ESCALATE,
        created_at__gte=month.start,
        created_at__lt=month.end,
        data__to_congress__in=list(city_ids),
    )


def escalated_cases(month: Month, city_ids: Iterable[int]) -> QuerySet[Case]:
    return Case.objects.filter(pk__in=escalation_rows(month, city_ids).values("case_id"))


def in_region(qs: QuerySet, lookup: str, path: str) -> QuerySet:
    """`qs` narrowed to a region subtree through `lookup` (a semi-join on the region ids)."""
    if not path:
        return qs
    return qs.filter(**{f"{lookup}__in": Region.objects.filter(path__startswith=path).values("pk")})


# --- the roll-up -----------------------------------------------------------------------------


def empty_figures() -> dict[str, int]:
    return dict.fromkeys((*FIGURE_KEYS, *ACTIVITY_TYPES), 0)


def rollup(month: Month, paths: Iterable[str], *, within: str = "") -> dict[str, dict[str, int]]:
    """The figures of each region subtree named by its path, for one month.

    Six queries whatever the number of units: the regions, then one GROUP BY region per figure
    (activities by region and kind). `within` limits every query to one subtree (a unit's own
    page needs only its region).
    """
    totals: dict[str, Counter] = {path: Counter() for path in paths}
    if not totals:
        return {}
    path_of = dict(
        Region.objects.filter(path__startswith=within).values_list("pk", "path")
        if within
        else Region.objects.values_list("pk", "path")
    )
    step = Region.steplen

    def add(region_id: int, key: str, n: int) -> None:
        path = path_of.get(region_id)
        if path is None:
            return
        for end in range(step, len(path) + 1, step):
            counter = totals.get(path[:end])
            if counter is not None:
                counter[key] += n

    by_kind = (
        in_region(activity_rows(month), "region", within)
        .values_list("region_id", "kind__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for region_id, code, n in by_kind:
        add(region_id, "activities", n)
        add(region_id, TYPE_OF_KIND[code], n)
    grouped = [
        (
            "attendances",
            in_region(attendance_rows(month), "activity__region", within),
            "activity__region_id",
            "pk",
        ),
        ("collected", in_region(collected_rows(month), "region", within), "region_id", "pk"),
        ("solved", in_region(solved_rows(month), "region", within), "region_id", "pk"),
    ]
    for key, qs, region_field, counted in grouped:
        for region_id, n in qs.values_list(region_field).annotate(n=Count(counted)).order_by():
            add(region_id, key, n)
    city_ids = city_congress_ids()
    if city_ids:
        escalations = (
            in_region(escalation_rows(month, city_ids), "case__region", within)
            .values_list("case__region_id")
            .annotate(n=Count("case_id", distinct=True))
            .order_by()
        )
        for region_id, n in escalations:
            add(region_id, "escalated", n)
    return {path: {**empty_figures(), **counter} for path, counter in totals.items()}


def figures_for_unit(unit: OrgUnit, month: Month) -> dict[str, int]:
    path = unit.region.path
    return rollup(month, [path], within=path)[path]
