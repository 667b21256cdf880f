"""Reads of monthly reports, always through the reader's data scope.

A congress clerk or leader sees the reporting units under their unit (a city clerk: every
county and town; a county clerk: the county and its towns; a town clerk: their own). Station
clerks, handlers, deputies and citizens have no reporting unit in scope: the pages answer 403.
Only a congress clerk of the unit itself (or the system administrator) submits its report.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from renda.cases.models import Case
from renda.cases.selectors import CASE_LOOKUPS
from renda.org.models import OrgUnit
from renda.org.roles import DataScope, Role
from renda.org.scope import scope_for
from renda.reports import figures as F
from renda.reports.models import MonthlyReport, ReportSettings

DEFAULT_DEADLINE_DAY = 20
DEFAULT_TITLE = "三级人大万名代表助力“稳企助企、稳进提质”活动情况汇总表"


def report_settings() -> ReportSettings:
    """The settings row, or its defaults when nobody has saved one (not written on read)."""
    return ReportSettings.objects.filter(pk=1).first() or ReportSettings(
        pk=1, deadline_day=DEFAULT_DEADLINE_DAY, title=DEFAULT_TITLE
    )


def deadline_for(month: F.Month, settings: ReportSettings | None = None) -> dt.date:
    settings = settings or report_settings()
    return month.next.first_day.replace(day=settings.deadline_day)


def units_for_user(user) -> QuerySet[OrgUnit]:
    return scope_for(user).filter(F.reporting_units(), unit="").order_by("path")


def get_unit_for_user(user, code: str) -> OrgUnit:
    """A reporting unit by code; 404 outside the scope, 403 for a role that reports nothing."""
    units = units_for_user(user)
    unit = units.filter(code=code).first()
    if unit is None:
        if not units.exists():
            raise PermissionDenied("您没有查看月报的权限。")
        raise Http404("没有找到该单位，或该单位不在您的管辖范围内。")
    return unit


def can_submit(user, unit: OrgUnit) -> bool:
    scope = scope_for(user)
    for grant in scope.grants:
        if grant.spec.scope == DataScope.ALL and not grant.spec.read_only:
            return True
        if grant.spec.role == Role.CONGRESS_CLERK and grant.unit and grant.unit.pk == unit.pk:
            return True
    return False


def cases_for_report(user, unit: OrgUnit) -> QuerySet[Case]:
    """Cases of the unit's region subtree that the user may see (the rows behind a figure and
    the candidates for a typical case)."""
    qs = F.in_region(Case.objects.select_related("region"), "region", unit.region.path)
    return scope_for(user).filter(qs, **CASE_LOOKUPS)


def typical_candidates(user, unit: OrgUnit, month: F.Month, limit: int = 30) -> list[Case]:
    """The month's solved, escalated and new cases of the unit, solved first."""
    picked: dict[int, Case] = {}
    city_ids = F.city_congress_ids()
    sources = [
        F.solved_rows(month),
        F.escalated_cases(month, city_ids),
        F.collected_rows(month),
    ]
    base = cases_for_report(user, unit)
    for source in sources:
        for case in base.filter(pk__in=source.values("pk")).order_by("-created_at", "-pk")[:limit]:
            picked.setdefault(case.pk, case)
    return list(picked.values())[:limit]


def latest_reports(units: list[OrgUnit], month: F.Month) -> dict[int, MonthlyReport]:
    latest: dict[int, MonthlyReport] = {}
    rows = (
        MonthlyReport.objects.filter(month=month.first_day, unit__in=[u.pk for u in units])
        .select_related("submitted_by")
        .order_by("unit_id", "version")
    )
    for report in rows:
        latest[report.unit_id] = report
    return latest


def report_history(unit: OrgUnit, month: F.Month) -> list[MonthlyReport]:
    return list(
        MonthlyReport.objects.filter(unit=unit, month=month.first_day)
        .select_related("submitted_by")
        .order_by("-version")
    )


@dataclass
class UnitRow:
    unit: OrgUnit
    depth: int
    report: MonthlyReport | None
    live: dict[str, int]
    deadline: dt.date
    today: dt.date
    is_top: bool = False

    @property
    def figures(self) -> dict[str, int]:
        """What counts for the roll-up: the frozen figures once submitted, live before."""
        return self.report.figures if self.report else self.live

    @property
    def values(self) -> list[tuple[F.Figure, int]]:
        return [(f, int(self.figures.get(f.key, 0))) for f in F.FIGURES]

    @property
    def status(self) -> str:
        if self.report:
            return "逾期报送" if self.report.is_late else "已报送"
        return "逾期未报" if self.today > self.deadline else "未报送"

    @property
    def status_class(self) -> str:
        return {
            "已报送": "success",
            "逾期报送": "warning",
            "逾期未报": "danger",
            "未报送": "secondary",
        }[self.status]

    @property
    def is_late(self) -> bool:
        return self.status in ("逾期报送", "逾期未报")


@dataclass
class Overview:
    month: F.Month
    deadline: dt.date
    rows: list[UnitRow]
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def total_values(self) -> list[tuple[F.Figure, int]]:
        return [(f, self.totals.get(f.key, 0)) for f in F.FIGURES]

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.rows if r.report)

    @property
    def late(self) -> int:
        return sum(1 for r in self.rows if r.is_late)

    @property
    def missing(self) -> int:
        return sum(1 for r in self.rows if not r.report)


def month_overview(
    units: list[OrgUnit],
    month: F.Month,
    *,
    today: dt.date | None = None,
    settings: ReportSettings | None = None,
) -> Overview:
    """Status and figures of each unit, and the roll-up: the sum over the top units (those with
    no reporting unit above them in the list), each counted by its submitted figures or, while
    not submitted, its live ones. A county's figures already hold its towns'.

    Queries: the latest reports (1), the live roll-up (see figures.rollup), the settings (1).
    """
    today = today or timezone.localdate()
    deadline = deadline_for(month, settings)
    live = F.rollup(month, [u.region.path for u in units])
    latest = latest_reports(units, month)
    paths = [u.path for u in units]
    rows: list[UnitRow] = []
    for unit in units:
        above = [p for p in paths if p != unit.path and unit.path.startswith(p)]
        rows.append(
            UnitRow(
                unit=unit,
                depth=len(above),
                report=latest.get(unit.pk),
                live=live[unit.region.path],
                deadline=deadline,
                today=today,
                is_top=not above,
            )
        )
    totals = F.empty_figures()
    for row in rows:
        if row.is_top:
            for key in totals:
                totals[key] += int(row.figures.get(key, 0))
    return Overview(month=month, deadline=deadline, rows=rows, totals=totals)


def overview_for_user(user, month: F.Month, *, settings: ReportSettings | None = None) -> Overview:
    units = list(units_for_user(user))
    if not units:
        raise PermissionDenied("您没有查看月报的权限。")
    return month_overview(units, month, settings=settings)
