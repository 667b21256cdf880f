"""Deputies' duty activities (履职活动), themed campaigns (主题活动), station schedules and
officials' visits to stations.

An `Activity` is anything deputies do together (走访选民, 接待日, 视察 …), optionally inside a
`Campaign` and one of its `CampaignDirection`s. `Attendance` records each invited deputy's
attendance; `ActivityCase` links the cases raised in an activity (the case app knows nothing
of activities, so the link lives here). A `StationSchedule` is a recurring rule that generates
`DutyDay`s with the deputies on duty. Nothing here is deleted: activities are cancelled,
schedules and kinds deactivated.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from renda.cases.models import Case
from renda.deputies.models import Deputy
from renda.org.models import OrgUnit, Region, Station


class ActivityKind(models.Model):
    """What kind of activity (走访选民, 调研, 接待日 …): an admin-edited dictionary.

    `code` is a stable handle for code that must recognise a kind (the duty points rules, the
    reception-day schedule), whatever name an administrator gives it.
    """

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "活动类型"
        verbose_name_plural = "活动类型"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    """A themed campaign (主题活动, e.g. 六访六促) run by a congress over a period."""

    name = models.CharField("名称", max_length=100)
    description = models.TextField("简介", max_length=5000, blank=True)
    organiser = models.ForeignKey(
        OrgUnit, verbose_name="主办人大", on_delete=models.PROTECT, related_name="campaigns"
    )
    region = models.ForeignKey(
        Region, verbose_name="范围区划", on_delete=models.PROTECT, related_name="campaigns"
    )
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "主题活动"
        verbose_name_plural = "主题活动"
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="campaign_ends_after_start"
            ),
            models.UniqueConstraint(fields=["organiser", "name"], name="campaign_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignDirection(models.Model):
    """One direction of a campaign (六访六促 has six: 访企业生产运行，促经济高质量发展 …)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="主题活动", on_delete=models.PROTECT, related_name="directions"
    )
    name = models.CharField("方向", max_length=100)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "活动方向"
        verbose_name_plural = "活动方向"
        ordering = ["campaign", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"], name="campaigndirection_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "计划中"
        HELD = "held", "已开展"
        CANCELLED = "cancelled", "已取消"

    kind = models.ForeignKey(
        ActivityKind, verbose_name="活动类型", on_delete=models.PROTECT, related_name="activities"
    )
    title = models.CharField("活动名称", max_length=100)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="主题活动",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    direction = models.ForeignKey(
        CampaignDirection,
        verbose_name="活动方向",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    date = models.DateField("活动日期")
    start_time = models.TimeField("开始时间", null=True, blank=True)
    end_time = models.TimeField("结束时间", null=True, blank=True)
    place = models.CharField("活动地点", max_length=200, blank=True)
    station = models.ForeignKey(
        Station,
        verbose_name="联络站",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    region = models.ForeignKey(
        Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="activities"
    )
    organiser = models.ForeignKey(
        OrgUnit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="activities"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.HELD)
    summary = models.TextField("活动纪要", max_length=5000, blank=True)
    officials_count = models.PositiveIntegerField("出席领导/工作人员人数", default=0)
    officials_names = models.CharField("出席领导/工作人员", max_length=500, blank=True)
    citizens_count = models.PositiveIntegerField("参加群众人数", default=0)
    # Citizens' names are personal data: shown masked except to roles with PERSONAL_DATA.
    citizens_names = models.CharField("参加群众", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "履职活动"
        verbose_name_plural = "履职活动"
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__isnull=True) | Q(campaign__isnull=False),
                name="activity_direction_needs_campaign",
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gte=F("start_time")),
                name="activity_ends_after_start",
            ),
        ]
        indexes = [
            # Scoped activity lists and the four lists by region and period: region subtree,
            # date range, newest first.
            models.Index(fields=["region", "date"], name="activity_region_date"),
            # A station's activities and the station clerk's list.
            models.Index(fields=["station", "date"], name="activity_station_date"),
            # A campaign's four lists: activities.filter(campaign=..., date__range=...), newest
            # first, counted and cut with the reader's scope and the status read from the
            # index alone.
            models.Index(
                fields=["campaign", "date", "status", "region", "organiser", "created_by"],
                name="activity_campaign_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


class ActivityPhoto(models.Model):
    """A photo of an activity; its type is what its bytes say (checked like case attachments)."""

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.PROTECT, related_name="photos"
    )
    file = models.FileField("文件", upload_to="activities/%Y/%m/", max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=30)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "活动照片"
        verbose_name_plural = "活动照片"
        ordering = ["activity", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Attendance(models.Model):
    """An invited deputy's attendance at an activity."""

    class Status(models.TextChoices):
        INVITED = "invited", "已邀请"
        ATTENDED = "attended", "出席"
        LEAVE = "leave", "请假"
        ABSENT = "absent", "缺席"

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.PROTECT, related_name="attendances"
    )
    deputy = models.ForeignKey(
        Deputy, verbose_name="代表", on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField("出席情况", max_length=20, choices=Status.choices)
    # The activity's date, copied when the row is written (activities are never re-dated): a
    # deputy's attendances of a year are then a range of attendance_deputy_date, without
    # looking up each activity.
    activity_date = models.DateField("活动日期")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now=True)

    class Meta:
        verbose_name = "出席情况"
        verbose_name_plural = "出席情况"
        ordering = ["activity", "deputy__name", "pk"]
        constraints = [
            # A deputy cannot attend the same activity twice. (That an activity in the future
            # cannot be marked attended is checked by `attendance_record`: a database check
            # cannot compare with today.)
            models.UniqueConstraint(
                fields=["activity", "deputy"], name="attendance_one_per_deputy"
            ),
        ]
        indexes = [
            # A deputy's activities (/me/, the duty ledger): attendances.filter(deputy=...,
            # status=...) joined to their activities, the activity read from the index (a
            # deputy's thousands of attendances are not each looked up in the table).
            models.Index(
                fields=["deputy", "status", "activity"], name="attendance_deputy_activity"
            ),
            # /me/'s count of the year: attendances.filter(deputy=..., status="attended",
            # activity_date__range=...).
            models.Index(
                fields=["deputy", "status", "activity_date"], name="attendance_deputy_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.get_status_display()}"


class ActivityCase(models.Model):
    """A case raised in an activity: the link both ways between an activity and the case.

    `nature` says which of the four lists it belongs to (问题清单 or 建议清单); `campaign` is
    the activity's campaign when the case was raised, kept so a campaign's lists need no join
    through the activity. So are the activity's region, organiser, station, recorder and
    whether it was cancelled: the four lists' scope and filters read them on the link itself
    (a campaign's links are one index range, not each joined to its activity). The services
    write them with the link (`activity_raise_case`, `activity_link_case`); an activity's
    region, organiser, station and recorder never change once it is recorded, and
    `activity_cancel` marks its links cancelled.
    """

    class Nature(models.TextChoices):
        PROBLEM = "problem", "问题"
        SUGGESTION = "suggestion", "建议"

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.PROTECT, related_name="case_links"
    )
    case = models.OneToOneField(
        Case, verbose_name="民情事项", on_delete=models.PROTECT, related_name="activity_link"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="主题活动",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_links",
    )
    nature = models.CharField("性质", max_length=20, choices=Nature.choices)
    # The activity's date, copied when the link is made (activities are never re-dated): the
    # four lists are sorted by it, and a campaign's links are read in that order from
    # activitycase_campaign_nature instead of each joined to its activity to be sorted.
    activity_date = models.DateField("活动日期")
    # Copies of the activity's (see the class's docstring): no index of their own, they
    # filter the few links of a campaign or a period read from the indexes below.
    region = models.ForeignKey(
        Region,
        verbose_name="活动所在区划",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    organiser = models.ForeignKey(
        OrgUnit,
        verbose_name="活动组织单位",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    station = models.ForeignKey(
        Station,
        verbose_name="活动联络站",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    activity_created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="活动登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    activity_cancelled = models.BooleanField("活动已取消", default=False)
    raised_by = models.ForeignKey(
        Deputy,
        verbose_name="提出代表",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="raised_case_links",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "活动收集的事项"
        verbose_name_plural = "活动收集的事项"
        ordering = ["activity", "pk"]
        indexes = [
            # A campaign's 问题清单 / 建议清单: case_links.filter(campaign=..., nature=...)
            # newest first (order_by("-activity_date", "-pk")).
            models.Index(
                fields=["campaign", "nature", "activity_date"], name="activitycase_campaign_nature"
            ),
            # A campaign's 成果清单 (both natures) newest first, and the lists without a
            # campaign: case_links.filter(campaign=...).order_by("-activity_date", "-pk").
            models.Index(fields=["campaign", "activity_date"], name="activitycase_campaign_date"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} → {self.case_id}"


class StationSchedule(models.Model):
    """A recurring duty at a station that generates `DutyDay`s.

    每月接待日: `day_of_month` (1–28) every month; 每周学习日: `weekday` every week;
    代表活动月: every working day of `month` each year. Days that fall on a rest day move to
    the next working day (monthly) or are skipped (weekly, activity month).
    """

    class Kind(models.TextChoices):
        MONTHLY_RECEPTION = "monthly_reception", "每月接待日"
        WEEKLY_STUDY = "weekly_study", "每周学习日"
        ACTIVITY_MONTH = "activity_month", "代表活动月"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "星期一"
        TUESDAY = 1, "星期二"
        WEDNESDAY = 2, "星期三"
        THURSDAY = 3, "星期四"
        FRIDAY = 4, "星期五"
        SATURDAY = 5, "星期六"
        SUNDAY = 6, "星期日"

    station = models.ForeignKey(
        Station, verbose_name="联络站", on_delete=models.PROTECT, related_name="schedules"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("名称", max_length=100)
    activity_kind = models.ForeignKey(
        ActivityKind,
        verbose_name="对应活动类型",
        on_delete=models.PROTECT,
        related_name="schedules",
    )
    day_of_month = models.PositiveSmallIntegerField("每月几日", null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(
        "每周星期几", choices=Weekday.choices, null=True, blank=True
    )
    month = models.PositiveSmallIntegerField("活动月（月份）", null=True, blank=True)
    start_time = models.TimeField("开始时间", null=True, blank=True)
    end_time = models.TimeField("结束时间", null=True, blank=True)
    deputies_per_day = models.PositiveSmallIntegerField("每次值班代表人数", default=2)
    valid_from = models.DateField("生效日期")
    valid_until = models.DateField("截止日期", null=True, blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "联络站活动安排"
        verbose_name_plural = "联络站活动安排"
        ordering = ["station", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="monthly_reception",
                        day_of_month__gte=1,
                        day_of_month__lte=28,
                        weekday__isnull=True,
                        month__isnull=True,
                    )
                    | Q(
                        kind="weekly_study",
                        weekday__gte=0,
                        weekday__lte=6,
                        day_of_month__isnull=True,
                        month__isnull=True,
                    )
                    | Q(
                        kind="activity_month",
                        month__gte=1,
                        month__lte=12,
                        day_of_month__isnull=True,
                        weekday__isnull=True,
                    )
                ),
                name="stationschedule_rule_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="stationschedule_valid_period",
            ),
            models.CheckConstraint(
                condition=Q(deputies_per_day__gte=1, deputies_per_day__lte=20),
                name="stationschedule_deputies_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.title}"


class DutyDay(models.Model):
    """A calendar entry at a station: a reception day, a study day, a day of the activity month,
    with the deputies on duty. Generated by a schedule or added by hand (schedule empty)."""

    station = models.ForeignKey(
        Station, verbose_name="联络站", on_delete=models.PROTECT, related_name="duty_days"
    )
    schedule = models.ForeignKey(
        StationSchedule,
        verbose_name="活动安排",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duty_days",
    )
    date = models.DateField("日期")
    title = models.CharField("名称", max_length=100)
    start_time = models.TimeField("开始时间", null=True, blank=True)
    end_time = models.TimeField("结束时间", null=True, blank=True)
    deputies = models.ManyToManyField(
        Deputy,
        verbose_name="值班代表",
        through="DutyDayDeputy",
        related_name="duty_days",
        blank=True,
    )
    # The activity recorded for this day once it has been held.
    activity = models.OneToOneField(
        Activity,
        verbose_name="活动记录",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duty_day",
    )
    is_cancelled = models.BooleanField("已取消", default=False)

    class Meta:
        verbose_name = "值班日"
        verbose_name_plural = "值班日"
        ordering = ["date", "station", "pk"]
        constraints = [
            # Regenerating a schedule never doubles a day.
            models.UniqueConstraint(
                fields=["schedule", "date"],
                condition=Q(schedule__isnull=False),
                name="dutyday_one_per_schedule_date",
            ),
        ]
        indexes = [
            # A station's calendar for a month: duty_days.filter(station=..., date__range=...).
            models.Index(fields=["station", "date"], name="dutyday_station_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


class DutyDayDeputy(models.Model):
    """A deputy on duty on a duty day."""

    duty_day = models.ForeignKey(
        DutyDay, verbose_name="值班日", on_delete=models.CASCADE, related_name="rota"
    )
    deputy = models.ForeignKey(
        Deputy, verbose_name="代表", on_delete=models.PROTECT, related_name="duty_rota"
    )

    class Meta:
        verbose_name = "值班代表"
        verbose_name_plural = "值班代表"
        constraints = [
            models.UniqueConstraint(fields=["duty_day", "deputy"], name="dutydaydeputy_unique"),
        ]
        indexes = [
            # A deputy's coming duty days (/me/): duty_rota.filter(deputy=...,
            # duty_day__date__gte=today).
            models.Index(fields=["deputy", "duty_day"], name="dutydaydeputy_deputy"),
        ]

    def __str__(self) -> str:
        return f"{self.duty_day} · {self.deputy}"


class OfficialVisit(models.Model):
    """A state official's visit to a station (国家机关工作人员进站, 局长进站)."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", "国家机关工作人员进站"
        DIRECTOR = "director", "局长进站"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.OFFICIAL)
    station = models.ForeignKey(
        Station, verbose_name="联络站", on_delete=models.PROTECT, related_name="official_visits"
    )
    date = models.DateField("进站日期")
    official_name = models.CharField("工作人员姓名", max_length=50)
    official_post = models.CharField("职务", max_length=100, blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name="所在单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="official_visits",
    )
    # The unit as written when it is not (yet) in the organisation tree.
    unit_name = models.CharField("单位名称", max_length=100, blank=True)
    questions = models.TextField("收集问题", max_length=5000, blank=True)
    questions_count = models.PositiveIntegerField("收集问题数", default=0)
    answered_count = models.PositiveIntegerField("现场答复数", default=0)
    activity = models.OneToOneField(
        Activity,
        verbose_name="活动记录",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="official_visit",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "工作人员进站"
        verbose_name_plural = "工作人员进站"
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | ~Q(unit_name=""),
                name="officialvisit_names_unit",
            ),
            models.CheckConstraint(
                condition=Q(answered_count__lte=F("questions_count")),
                name="officialvisit_answered_within_questions",
            ),
        ]
        indexes = [
            # A station's visits, newest first.
            models.Index(fields=["station", "date"], name="officialvisit_station_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.official_name}"
