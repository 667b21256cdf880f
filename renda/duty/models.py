"""Duty points (履职积分): the rules, the ledger, and honours proposed from it.

A `PointRule` says how many points one kind of record earns (attending an activity of a kind,
a case the deputy collected, a case of theirs solved, a reception duty day …) during its
validity period. The ledger (`PointEntry`) has one active entry per record, deputy and kind of
source, naming the rule and the record; entries are never deleted: when a rule or the record
changes, `renda.duty.services` supersedes the entry with a new one (or withdraws it) and the
old row stays with a pointer to what replaced it.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from renda.cases.models import Case
from renda.deputies.models import Deputy
from renda.org.models import OrgUnit


class PointRule(models.Model):
    class Source(models.TextChoices):
        ATTENDANCE = "attendance", "履职活动出勤"
        DUTY_DAY = "duty_day", "联络站接待值班"
        CASE_COLLECTED = "case_collected", "收集意见建议"
        CASE_SOLVED = "case_solved", "意见建议得到解决（A类）"

    # The values of `activities.Attendance.Status` that can earn or lose points (an invited
    # deputy whose attendance is not taken yet earns nothing).
    class AttendanceStatus(models.TextChoices):
        ATTENDED = "attended", "出席"
        LEAVE = "leave", "请假"
        ABSENT = "absent", "缺席"

    CASE_SOURCES = (Source.CASE_COLLECTED, Source.CASE_SOLVED)

    name = models.CharField(
        "规则名称", max_length=50, help_text="显示在积分明细中，如“参加接待日”“无故缺席”"
    )
    source = models.CharField("积分来源", max_length=20, choices=Source.choices)
    attendance_status = models.CharField(
        "出勤情况",
        max_length=10,
        choices=AttendanceStatus.choices,
        blank=True,
        help_text="仅用于“履职活动出勤”",
    )
    activity_kind = models.ForeignKey(
        "activities.ActivityKind",
        verbose_name="活动类型",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="point_rules",
        help_text="仅用于“履职活动出勤”；留空表示所有类型",
    )
    case_kind = models.CharField(
        "事项类型",
        max_length=20,
        choices=Case.Kind.choices,
        blank=True,
        help_text="仅用于意见建议类规则；留空表示所有类型",
    )
    points = models.DecimalField(
        "分值", max_digits=5, decimal_places=1, help_text="可为负数（扣分），如 -2"
    )
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="留空表示长期有效")
    basis = models.CharField(
        "依据", max_length=300, blank=True, help_text="分值出处，如考评办法条款"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "积分规则"
        verbose_name_plural = "积分规则"
        ordering = ["source", "name", "valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="pointrule_period_ordered",
            ),
            models.CheckConstraint(
                condition=(Q(source="attendance") & ~Q(attendance_status=""))
                | (~Q(source="attendance") & Q(attendance_status="")),
                name="pointrule_status_only_for_attendance",
            ),
            models.CheckConstraint(
                condition=Q(source="attendance") | Q(activity_kind__isnull=True),
                name="pointrule_kind_only_for_attendance",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["case_collected", "case_solved"]) | Q(case_kind=""),
                name="pointrule_case_kind_only_for_cases",
            ),
            models.CheckConstraint(
                condition=Q(points__gte=-100, points__lte=100), name="pointrule_points_range"
            ),
        ]
        indexes = [
            # Matching a record: rules.filter(source=..., valid_from__lte=date) per sync.
            models.Index(fields=["source", "valid_from"], name="pointrule_source_from"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{format_points(self.points)} 分）"

    def period_display(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "长期"
        return f"{self.valid_from.isoformat()} 至 {end}"


def format_points(points) -> str:
    """+2, -1.5, 0: how points read in a reason and on every page."""
    text = f"{points:+.1f}".rstrip("0").rstrip(".") if points else "0"
    return text


class PointRuleChange(models.Model):
    """One change of a rule (or its creation), with what it did to the ledger."""

    rule = models.ForeignKey(
        PointRule, verbose_name="规则", on_delete=models.PROTECT, related_name="changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    before = models.JSONField("修改前", default=dict, blank=True)
    after = models.JSONField("修改后", default=dict)
    entries_created = models.PositiveIntegerField("新增明细", default=0)
    entries_ended = models.PositiveIntegerField("作废或替代明细", default=0)
    negative_confirmed = models.BooleanField("已确认出现负分", default=False)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "积分规则修改记录"
        verbose_name_plural = "积分规则修改记录"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.created_at:%Y-%m-%d %H:%M}"


class PointEntry(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "有效"
        SUPERSEDED = "superseded", "已被替代"
        WITHDRAWN = "withdrawn", "已撤销"

    # No index of their own on deputy, rule and content type: each leads a composite index
    # below, and every index costs the writes of a rule change over the whole ledger. Nor a
    # database foreign key: PostgreSQL checks one row at a time, three lookups per entry a
    # rule change writes (together as long as the writes themselves). Entries are written only by
    # `renda.duty.services`, from records and rules it has just read, and PROTECT keeps a
    # deputy, rule or content type with entries from being deleted through Django.
    deputy = models.ForeignKey(
        Deputy,
        verbose_name="代表",
        on_delete=models.PROTECT,
        related_name="point_entries",
        db_index=False,
        db_constraint=False,
    )
    rule = models.ForeignKey(
        PointRule,
        verbose_name="规则",
        on_delete=models.PROTECT,
        related_name="entries",
        db_index=False,
        db_constraint=False,
    )
    source = models.CharField("积分来源", max_length=20, choices=PointRule.Source.choices)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name="来源类型",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    object_id = models.PositiveBigIntegerField("来源编号")
    record = GenericForeignKey("content_type", "object_id")
    date = models.DateField("日期")
    points = models.DecimalField("分值", max_digits=5, decimal_places=1)
    reason = models.CharField("积分事由", max_length=200)
    record_label = models.CharField("来源记录", max_length=200, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.ACTIVE)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name="替代为",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        # No index: nothing looks up what an entry replaced (a page shows what replaced an
        # entry, a join on the successor's id), and a rule change writes a superseded copy
        # of every entry it reprices. Nor a database key: checked by PostgreSQL, each
        # superseded row would lock its successor one at a time; the services set it only to
        # an entry they have just read or written, and count every row they write.
        db_index=False,
        db_constraint=False,
    )
    ended_at = models.DateTimeField("作废时间", null=True, blank=True)
    ended_note = models.CharField("作废原因", max_length=200, blank=True)
    created_at = models.DateTimeField("记入时间", auto_now_add=True)

    class Meta:
        verbose_name = "积分明细"
        verbose_name_plural = "积分明细"
        ordering = ["-date", "-pk"]
        constraints = [
            # One live entry per record, deputy and kind of source: a sync never counts twice.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "deputy", "source"],
                condition=Q(status="active"),
                name="pointentry_one_active_per_record",
            ),
            models.CheckConstraint(
                condition=Q(status="active", ended_at__isnull=True, replaced_by__isnull=True)
                | Q(status="superseded", ended_at__isnull=False, replaced_by__isnull=False)
                | Q(status="withdrawn", ended_at__isnull=False, replaced_by__isnull=True),
                name="pointentry_status_fields",
            ),
        ]
        # A rule change rewrites hundreds of thousands of entries, and each index an entry is
        # in costs every one of those writes: the indexes leave out what their readers do not
        # need (a status change moves an entry in the fewest of them).
        indexes = [
            # A deputy's ledger and /me/: entries.filter(deputy=..., date__range=...) ordered
            # by date, active or with history (a deputy has few ended entries to skip).
            models.Index(fields=["deputy", "date"], name="pointentry_deputy_day"),
            # A deputy's active entries of a period by rule (/me/, the evaluation sheet) and the
            # sums of the partial months of a ranking. Active entries only: superseding an
            # entry takes it out of this index without writing it. Not `points`: a rule
            # change rewrites the points of its entries in place, and a column in no index
            # leaves every index alone (PostgreSQL writes the new row version on the same
            # page, see the fillfactor in migration 0009; SQLite rewrites the row only).
            models.Index(
                fields=["deputy", "date", "rule", "source", "status"],
                condition=Q(status="active"),
                name="pointentry_active_deputy",
            ),
            # Sync of records, entries.filter(content_type=..., object_id__in=..., status=
            # "active"), reads pointentry_one_active_per_record above.
            # A rule change: the rule's active entries (its SQL says status = 'active').
            models.Index(
                fields=["rule"], condition=Q(status="active"), name="pointentry_rule_active"
            ),
        ]

    def __str__(self) -> str:
        return self.reason


class PointTally(models.Model):
    """A deputy's active points in one month, kept by the services from the ledger (never
    edited by hand): a year's ranking sums twelve rows per deputy instead of every entry."""

    # No index of its own: pointtally_deputy_month leads with it, and a rule change rewrites
    # the tallies of every deputy.
    deputy = models.ForeignKey(
        Deputy,
        verbose_name="代表",
        on_delete=models.PROTECT,
        related_name="point_tallies",
        db_index=False,
    )
    month = models.DateField("月份", help_text="当月1日")
    points = models.DecimalField("积分", max_digits=8, decimal_places=1, default=0)
    entries = models.PositiveIntegerField("明细条数", default=0)

    class Meta:
        verbose_name = "月度积分汇总"
        verbose_name_plural = "月度积分汇总"
        constraints = [
            models.UniqueConstraint(fields=["deputy", "month"], name="pointtally_deputy_month"),
        ]
        indexes = [
            # Rankings: tallies.filter(month__range=..., deputy__in=...) summed per deputy.
            models.Index(fields=["month", "deputy", "points"], name="pointtally_month_sum"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy_id} {self.month:%Y-%m} {self.points}"


class PointYearTally(models.Model):
    """A deputy's active points in one year, the sum of that year's monthly tallies, kept with
    them by the services: a year's ranking reads one row per deputy."""

    # No index of its own: pointyeartally_deputy_year leads with it.
    deputy = models.ForeignKey(
        Deputy,
        verbose_name="代表",
        on_delete=models.PROTECT,
        related_name="point_year_tallies",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField("年度")
    points = models.DecimalField("积分", max_digits=9, decimal_places=1, default=0)
    entries = models.PositiveIntegerField("明细条数", default=0)

    class Meta:
        verbose_name = "年度积分汇总"
        verbose_name_plural = "年度积分汇总"
        constraints = [
            models.UniqueConstraint(fields=["deputy", "year"], name="pointyeartally_deputy_year"),
        ]
        indexes = [
            # Rankings and a deputy's place: year_tallies.filter(year__range=...,
            # deputy__in=...) summed per deputy.
            models.Index(fields=["year", "deputy", "points"], name="pointyeartally_year_sum"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy_id} {self.year} {self.points}"


class Nomination(models.Model):
    """A deputy proposed for an honour from the ledger, confirmed or declined by a clerk."""

    class Honour(models.TextChoices):
        ACTIVIST = "activist", "年度履职积极分子"
        SUGGESTION_LEAD = "suggestion_lead", "优秀建议领衔代表"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待确认"
        CONFIRMED = "confirmed", "已确认"
        DECLINED = "declined", "未采纳"
        WITHDRAWN = "withdrawn", "已撤回"

    OPEN_OR_DECIDED = (Status.PROPOSED, Status.CONFIRMED, Status.DECLINED)

    honour = models.CharField("荣誉", max_length=20, choices=Honour.choices)
    year = models.PositiveSmallIntegerField("年度")
    congress = models.ForeignKey(
        OrgUnit, verbose_name="人大", on_delete=models.PROTECT, related_name="nominations"
    )
    deputy = models.ForeignKey(
        Deputy, verbose_name="代表", on_delete=models.PROTECT, related_name="nominations"
    )
    rank = models.PositiveSmallIntegerField("名次")
    points = models.DecimalField("积分", max_digits=7, decimal_places=1)
    basis = models.CharField("推荐依据", max_length=300)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="推荐人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_at = models.DateTimeField("推荐时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "荣誉推荐"
        verbose_name_plural = "荣誉推荐"
        ordering = ["honour", "-year", "rank", "pk"]
        constraints = [
            # A withdrawn proposal stays on record; the deputy may be proposed again.
            models.UniqueConstraint(
                fields=["honour", "year", "congress", "deputy"],
                condition=~Q(status="withdrawn"),
                name="nomination_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed", decided_at__isnull=True)
                | (~Q(status="proposed") & Q(decided_at__isnull=False)),
                name="nomination_decided_has_time",
            ),
        ]
        indexes = [
            # The nominations page: nominations.filter(congress=..., year=...).
            models.Index(fields=["congress", "year"], name="nomination_congress_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_honour_display()} {self.deputy}"
