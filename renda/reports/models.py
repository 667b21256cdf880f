"""The monthly report (月报) of a reporting unit: what Renda counted, frozen at submission.

A report is never edited: a correction is a new version of the same unit and month, and every
version is kept. The live figures come from `renda.reports.figures`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from renda.org.models import OrgUnit


class ReportSettings(models.Model):
    """One row: when the month's report is due (seed 001: 每月 20 日前)."""

    deadline_day = models.PositiveSmallIntegerField(
        "报送截止日（次月几日）",
        default=20,
        help_text="月报须在次月该日（含）前报送，取 1–28。",
    )
    title = models.CharField(
        "报表标题",
        max_length=100,
        default="三级人大万名代表助力“稳企助企、稳进提质”活动情况汇总表",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "月报设置"
        verbose_name_plural = "月报设置"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="reportsettings_singleton"),
            models.CheckConstraint(
                condition=Q(deadline_day__gte=1, deadline_day__lte=28),
                name="reportsettings_deadline_day_range",
            ),
        ]

    def __str__(self) -> str:
        return f"次月 {self.deadline_day} 日前报送"


class MonthlyReport(models.Model):
    """One submitted version of a unit's report for a month."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name="填报单位", on_delete=models.PROTECT, related_name="monthly_reports"
    )
    # The first day of the month reported on.
    month = models.DateField("月份")
    version = models.PositiveSmallIntegerField("版本", default=1)
    # The six figures as they were at submission (keys: renda.reports.figures.FIGURE_KEYS),
    # with the definitions' version, so later changes to the data never alter a report.
    figures = models.JSONField("统计数据", default=dict)
    notes = models.TextField("备注", max_length=2000, blank=True)
    # [{"code": "MQ2026-000123", "title": "...", "text": "..."}] as picked by the unit.
    typical_cases = models.JSONField("典型案例", default=list, blank=True)
    correction_reason = models.CharField("更正说明", max_length=500, blank=True)
    deadline = models.DateField("报送截止日")
    is_late = models.BooleanField("逾期报送", default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("填报时间")

    class Meta:
        verbose_name = "月报"
        verbose_name_plural = "月报"
        ordering = ["-month", "unit", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "version"], name="monthlyreport_unit_month_version"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="monthlyreport_version_min"),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(correction_reason=""),
                name="monthlyreport_correction_has_reason",
            ),
        ]
        indexes = [
            # The overview of a month: reports.filter(month=..., unit__in=...) newest version.
            models.Index(fields=["month", "unit", "version"], name="monthlyreport_month_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m} 第{self.version}版"

    @property
    def is_correction(self) -> bool:
        return self.version > 1
