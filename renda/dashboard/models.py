"""The dashboard's counters: the monthly figures kept as counts, so that a page computed
afresh reads a few thousand rows instead of counting a million cases.

`CaseCount` holds, per month, region, congress and category, how many cases were received,
closed, and answered late (the part of 逾期 that no longer moves; the cases still waiting
past their deadline are counted live, see `renda.dashboard.selectors`). `CaseTally` holds
what each case adds to them, so that a change is applied as the difference between what the
case added and what it adds now: applying the same change twice moves nothing, and a missed
change is made good by the next one. `renda.dashboard.counters` keeps both;
`manage.py rebuild_dashboard_counts` rebuilds them from the cases.
"""

from django.db import models

from renda.cases.models import Case, Category
from renda.org.models import OrgUnit, Region


class CaseTally(models.Model):
    """What one case adds to `CaseCount`: its place, and the month of each measure it is in
    (the first day of the month; empty when it is not in that measure)."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, related_name="dashboard_tally"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, db_index=False, related_name="+", null=True
    )
    congress = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, db_index=False, related_name="+", null=True
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, db_index=False, related_name="+", null=True
    )
    received = models.DateField(null=True)
    closed = models.DateField(null=True)
    late = models.DateField(null=True)

    class Meta:
        verbose_name = "驾驶舱计数（事项）"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"事项 {self.case_id} 的计数"


class CaseCount(models.Model):
    month = models.DateField("月份")  # its first day
    region = models.ForeignKey(Region, on_delete=models.PROTECT, db_index=False, related_name="+")
    congress = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, db_index=False, related_name="+"
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, db_index=False, related_name="+"
    )
    received = models.IntegerField("收到", default=0)
    closed = models.IntegerField("办结", default=0)
    late = models.IntegerField("逾期（已答复）", default=0)

    class Meta:
        verbose_name = "驾驶舱月度计数"
        verbose_name_plural = verbose_name
        constraints = [
            # One row per place and month; the dashboard reads the window's months through it.
            models.UniqueConstraint(
                fields=["month", "region", "congress", "category"], name="casecount_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} 区划 {self.region_id} 分类 {self.category_id}"
