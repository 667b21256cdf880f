"""The dashboard's counters: the monthly figures kept as counts, so that a page computed
afresh reads a few thousand rows instead of counting a million cases.

`CaseCount` holds, per month, region, congress and category, how many cases were received,
closed, and answered late (the part of 逾期 that no longer moves; the cases still waiting
past their deadline are counted live, see `renda.dashboard.selectors`). `CaseTally` holds
what each case adds to them, so that a change is applied as the difference between what the
case added and what it adds now: applying the same change twice moves nothing, and a missed
change is made good by the next one. `PlaceCount` and `CountyCount` are `CaseCount` summed
coarser (without the category; with the regions cut to their counties), for the readers they
answer exactly with fewer rows. `renda.dashboard.counters` keeps them all;
`manage.py rebuild_dashboard_counts` rebuilds them from the cases.
"""

from django.db import models

from renda.cases.models import Case, Category
from renda.org.models import LEVEL_DEPTH, Level, OrgUnit, Region


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


class MonthlyCounts(models.Model):
    """The figures of one month and place (region and congress) that the dashboard sums:
    `CaseCount` and its coarser sums share them."""

    month = models.DateField("月份")  # its first day
    region = models.ForeignKey(Region, on_delete=models.PROTECT, db_index=False, related_name="+")
    congress = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, db_index=False, related_name="+"
    )
    received = models.IntegerField("收到", default=0)
    closed = models.IntegerField("办结", default=0)
    late = models.IntegerField("逾期（已答复）", default=0)

    class Meta:
        abstract = True


class CaseCount(MonthlyCounts):
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, db_index=False, related_name="+"
    )

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


class PlaceCount(MonthlyCounts):
    """`CaseCount` without the category: per month, region and congress (a city's window is
    about a seventh of its `CaseCount` rows). The trend and the by-region figures read it; the
    by-category figures read `CaseCount`. Kept beside it by the same hook and rebuild."""

    class Meta:
        verbose_name = "驾驶舱月度计数（按区划）"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["month", "region", "congress"], name="placecount_key"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} 区划 {self.region_id}"


# The depth of the regions `CountyCount` keeps: a province's counties (`LEVEL_DEPTH`).
COUNTY_DEPTH = LEVEL_DEPTH[Level.COUNTY]


class CountyCount(MonthlyCounts):
    """`CaseCount` with each case's region cut to its ancestor at `COUNTY_DEPTH` (a region no
    deeper stays itself): per month, county, congress and category. A city's window is a
    seventeenth of its `CaseCount` rows (bench_dashboard's million cases: 4,884 against
    82,196; 528 once summed by month, county and category). Whether a region lies under
    another one no deeper than `COUNTY_DEPTH` does not change with the cut, so a reader whose
    seats are at a county or above is counted from it exactly: the by-category figures and
    the trend, and the by-region ones where the regions shown are counties or above (the
    city's page). Kept beside `CaseCount` by the same hook and rebuild
    (`renda.dashboard.counters`)."""

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, db_index=False, related_name="+"
    )

    class Meta:
        verbose_name = "驾驶舱月度计数（按县区）"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["month", "region", "congress", "category"], name="countycount_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} 县区 {self.region_id} 分类 {self.category_id}"


# --- the rows the dashboard's handling rates read ----------------------------------------------
#
# The rates by unit (`renda.dashboard.selectors.unit_rates`) count lead assignments and ratings
# over the last 30 days, as the rates page does (`renda.cases.rates`). Read from the cases, each
# row joins its case (the reader's scope, the urgency tier) and each rating looks up the reply it
# judged: seconds for a city of a million cases. These tables hold the same rows with what they
# need of their case copied beside them, under the fields' own names, so the rates page's very
# filters (`rates.rate_filters`) read them without a join. `renda.dashboard.counters` rewrites a
# case's rows after every change of the case, and rebuilds them all with the counts.


class RateAssignment(models.Model):
    """A lead assignment (`Assignment`, role 主办) with its case's region, congress and urgency."""

    assignment = models.OneToOneField(
        "cases.Assignment", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, db_index=False, related_name="+")
    congress = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, db_index=False, related_name="+"
    )
    urgency = models.ForeignKey(
        "cases.UrgencyTier",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    assigned_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    deadline = models.DateField()
    assigned_at = models.DateTimeField()
    signed_at = models.DateTimeField(null=True)
    replied_at = models.DateTimeField(null=True)
    replied_on = models.DateField(null=True)  # replied_at's local day (`rates.rate_filters`)
    returned_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "驾驶舱交办记录"
        verbose_name_plural = verbose_name
        # The rates by unit read the period's rows from these alone (`unit_rates`: the
        # scope, the unit, each rate's fields and the key they count), without visiting the
        # rows themselves. The key is listed: on SQLite a "bigint" primary key is not the
        # rowid that every index carries.
        indexes = [
            models.Index(
                fields=[
                    "assigned_at",
                    "assigned_by",
                    "region",
                    "congress",
                    "unit",
                    "urgency",
                    "signed_at",
                    "returned_at",
                    "assignment",
                ],
                name="rateassignment_made",
            ),
            models.Index(
                fields=[
                    "replied_at",
                    "region",
                    "congress",
                    "unit",
                    "deadline",
                    "replied_on",
                    "assignment",
                ],
                name="rateassignment_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"交办记录 {self.assignment_id}"


class RateRating(models.Model):
    """A rating event (评价 or 不满意 → 重办) with its case's region and congress, and the unit
    and result class of the reply it judged (`rates.rating_events`)."""

    event = models.OneToOneField(
        "cases.CaseEvent", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, db_index=False, related_name="+")
    congress = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, db_index=False, related_name="+"
    )
    action = models.CharField(max_length=30)
    created_at = models.DateTimeField()
    reply_unit = models.IntegerField(null=True)
    reply_result = models.CharField(max_length=30, null=True)

    class Meta:
        verbose_name = "驾驶舱评价记录"
        verbose_name_plural = verbose_name
        # As `RateAssignment`'s: the rates by unit read the period's ratings from it alone.
        indexes = [
            models.Index(
                fields=[
                    "created_at",
                    "region",
                    "congress",
                    "reply_unit",
                    "action",
                    "reply_result",
                    "event",
                ],
                name="raterating_rated",
            )
        ]

    def __str__(self) -> str:
        return f"评价记录 {self.event_id}"
