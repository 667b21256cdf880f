"""Cases (民情 / 意见建议 / 工单): what citizens and deputies raise, and how it is handled.

A `Case` moves through the states of `renda.cases.workflow`; every move is made by a service
in `renda.cases.services`, checks `version`, and appends one `CaseEvent`. Handling units work
through `Assignment`s (主办 lead / 协办 co). Nothing here is ever deleted.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from renda.deputies.models import Deputy
from renda.org.models import Grid, OrgUnit, Region

MOBILE_PHONE_REGEX = r"^1[3-9][0-9]{9}$"


class Category(models.Model):
    """What a case is about (城乡建设, 环境保护 …): an admin-edited dictionary."""

    name = models.CharField("名称", max_length=30, unique=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "民情分类"
        verbose_name_plural = "民情分类"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class UrgencyTier(models.Model):
    """How many working days a handling unit has (紧急 1, 一般 15, 复杂 30)."""

    name = models.CharField("名称", max_length=20, unique=True)
    working_days = models.PositiveSmallIntegerField("办理时限（工作日）")
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "办理时限档次"
        verbose_name_plural = "办理时限档次"
        ordering = ["sort_order", "working_days"]
        constraints = [
            models.CheckConstraint(
                condition=Q(working_days__gte=1), name="urgencytier_at_least_one_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.working_days}个工作日）"


class CaseSettings(models.Model):
    """The workflow's admin-set numbers: one row (pk 1)."""

    # Calendar days, not working days: the rating window is the citizen's time, and people
    # rate from their phones at weekends too. Offices commonly write "答复后15日内未评价的，
    # 视为办结" in their rules, so 15 natural days is the default.
    rating_days = models.PositiveSmallIntegerField(
        "评价期限（自然日）", default=15, help_text="答复后超过该天数未评价的，自动办结（未评价）"
    )
    max_extension_days = models.PositiveSmallIntegerField("单次延期上限（工作日）", default=30)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "办理设置"
        verbose_name_plural = "办理设置"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="casesettings_singleton"),
            models.CheckConstraint(condition=Q(rating_days__gte=1), name="casesettings_rating"),
            models.CheckConstraint(
                condition=Q(max_extension_days__gte=1), name="casesettings_extension"
            ),
        ]

    def __str__(self) -> str:
        return "办理设置"

    @classmethod
    def load(cls) -> "CaseSettings":
        return cls.objects.get_or_create(pk=1)[0]


class CodeCounter(models.Model):
    """The last number handed out for one prefix and year; locked while a code is taken, so
    concurrent submissions never share or skip a number."""

    prefix = models.CharField("前缀", max_length=4)
    year = models.PositiveSmallIntegerField("年份")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "编号计数器"
        verbose_name_plural = "编号计数器"
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="codecounter_prefix_year"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{self.year}: {self.last}"


class Case(models.Model):
    class Kind(models.TextChoices):
        OPINION = "opinion", "民情意见"
        SUGGESTION = "suggestion", "代表建议"
        MOTION = "motion", "代表议案"
        COMMITMENT = "commitment", "承诺事项"
        SUPERVISION_ITEM = "supervision_item", "督办事项"

    # The letters of the tracking code, read aloud over the phone: MQ2026-000123.
    CODE_PREFIX = {
        Kind.OPINION: "MQ",
        Kind.SUGGESTION: "JY",
        Kind.MOTION: "YA",
        Kind.COMMITMENT: "CN",
        Kind.SUPERVISION_ITEM: "DB",
    }

    class Channel(models.TextChoices):
        PORTAL = "portal", "门户网站"
        DEPUTY = "deputy", "代表收集"
        RECEPTION_DAY = "reception_day", "接待日"
        ACTIVITY = "activity", "主题活动"
        CONSULTATION = "consultation", "协商会"
        HOTLINE = "hotline", "热线导入"
        OPEN311 = "open311", "Open311 接口"
        REVIEW = "review", "审议意见"

    class State(models.TextChoices):
        SUBMITTED = "submitted", "待受理"
        ACCEPTED = "accepted", "待交办"
        ASSIGNED = "assigned", "待签收"
        HANDLING = "handling", "办理中"
        REPLIED = "replied", "待评价"
        CLOSED = "closed", "已办结"
        REJECTED = "rejected", "不予受理"
        MERGED = "merged", "已合并"

    OPEN_STATES = (
        State.SUBMITTED,
        State.ACCEPTED,
        State.ASSIGNED,
        State.HANDLING,
        State.REPLIED,
    )
    # The states in which a unit's deadline runs.
    RUNNING_STATES = (State.ASSIGNED, State.HANDLING)

    class ResultClass(models.TextChoices):
        SOLVED = "solved", "已解决"
        PLANNED = "planned", "列入计划"
        EXPLAINED = "explained", "解释说明"

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
        UNSATISFIED = "unsatisfied", "不满意"

    class Supervision(models.TextChoices):
        NONE = "none", "未督办"
        SUPERVISED = "supervised", "督办"
        KEY = "key", "重点督办"

    code = models.CharField("编号", max_length=20, editable=False)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.OPINION)
    title = models.CharField("标题", max_length=100)
    content = models.TextField("内容", max_length=5000)
    category = models.ForeignKey(
        Category, verbose_name="分类", on_delete=models.PROTECT, related_name="cases"
    )
    # The foreign keys below have no index of their own: every new case would write one
    # entry in each (nearly all of them NULL), and intake's time on PostgreSQL is mostly
    # index entries (bench/bench_cases.py). region, congress and submitter lead a composite
    # index of Meta.indexes; the sparse ones have a partial index of their non-NULL rows.
    region = models.ForeignKey(
        Region,
        verbose_name="所在区划",
        on_delete=models.PROTECT,
        db_index=False,
        related_name="cases",
    )
    grid = models.ForeignKey(
        Grid,
        verbose_name="网格",
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        related_name="cases",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    channel = models.CharField("来源渠道", max_length=20, choices=Channel.choices)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人账号",
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        related_name="submitted_cases",
    )
    submitter_name = models.CharField("提交人姓名", max_length=50, blank=True)
    submitter_phone = models.CharField("提交人手机号", max_length=11, blank=True)
    collected_by = models.ForeignKey(
        Deputy,
        verbose_name="收集代表",
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        related_name="collected_cases",
    )
    is_public = models.BooleanField("公开", default=False)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.SUBMITTED)
    congress = models.ForeignKey(
        OrgUnit,
        verbose_name="受理人大",
        on_delete=models.PROTECT,
        db_index=False,
        related_name="owned_cases",
        help_text="当前负责受理与交办的人大（上报、下转时改变）",
    )
    urgency = models.ForeignKey(
        UrgencyTier,
        verbose_name="办理时限档次",
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        related_name="cases",
    )
    deadline = models.DateField("办理期限", null=True, blank=True)
    # The deadline while a unit is working on the case (RUNNING_STATES), else empty: computed
    # by the database, so no service keeps it. The 已超期 and 即将超期 tabs read its index in
    # deadline order. On `state IN (…) AND deadline < …` the database read every overdue case
    # of a city and sorted them (45-130 ms at 1M on SQLite: two states give two deadline
    # orders), and SQLite uses no partial index for a condition given as query parameters.
    running_deadline = models.GeneratedField(
        expression=models.Case(
            models.When(state__in=RUNNING_STATES, then="deadline"),
            default=None,
            output_field=models.DateField(),
        ),
        output_field=models.DateField(null=True),
        db_persist=True,
        verbose_name="办理中期限",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="合并至",
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        related_name="merged_cases",
    )
    reject_reason = models.CharField("不予受理理由", max_length=500, blank=True)
    result_class = models.CharField(
        "办理结果", max_length=20, choices=ResultClass.choices, blank=True
    )
    reply = models.TextField("答复内容", max_length=5000, blank=True)
    rating = models.CharField("评价", max_length=20, choices=Rating.choices, null=True, blank=True)
    unsatisfied_count = models.PositiveSmallIntegerField("不满意次数", default=0)
    supervision = models.CharField(
        "督办", max_length=20, choices=Supervision.choices, default=Supervision.NONE
    )
    lead_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="领办领导",
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        related_name="led_cases",
    )
    # 转为工作议题: the title of the committee work item. The work-item model comes with the
    # committee agenda feature; until then the title is the link.
    agenda_item = models.CharField("转为工作议题", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    idempotency_key = models.CharField("提交标识", max_length=64, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    last_reminded_at = models.DateTimeField("最近催办时间", null=True, blank=True)

    class Meta:
        verbose_name = "民情事项"
        verbose_name_plural = "民情事项"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="case_code_unique"),
            # A retried or double-clicked submission finds the case the first one created.
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="case_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="case_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="case_longitude_range",
            ),
            # Someone must be reachable for the answer: an account, a deputy, or a phone.
            models.CheckConstraint(
                condition=Q(submitter__isnull=False)
                | Q(collected_by__isnull=False)
                | ~Q(submitter_phone=""),
                name="case_has_contact",
            ),
            models.CheckConstraint(
                condition=Q(state="merged", merged_into__isnull=False)
                | (~Q(state="merged") & Q(merged_into__isnull=True)),
                name="case_merged_into_iff_merged",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")), name="case_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(reject_reason=""),
                name="case_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(closed_at__isnull=False),
                name="case_closed_has_time",
            ),
        ]
        indexes = [
            # A congress inbox by tab: cases.filter(congress=..., state=...).
            models.Index(fields=["congress", "state"], name="case_congress_state"),
            # Scoped lists by region subtree: region__path__startswith joins through region_id.
            models.Index(fields=["region", "state"], name="case_region_state"),
            # Overdue lists and remind_overdue_cases: state in running states, deadline < today;
            # the inbox's 即将超期 / 已超期 counts. The scope's columns are key columns, not
            # INCLUDE (which SQLite ignores): a town clerk's count then checks its scope in the
            # index, without visiting the city's overdue rows (bench/bench_cases.py).
            # Partial, like the indexes below that end in a NULL test: a case without a
            # deadline (every new one) writes no entry, and a query that compares the column
            # (`deadline < …`) implies the condition, on SQLite and PostgreSQL alike.
            models.Index(
                fields=["state", "deadline", "region", "congress"],
                condition=Q(deadline__isnull=False),
                name="case_state_deadline_region",
            ),
            # The 已超期 and 即将超期 tabs, earliest deadline first; the scope's columns as keys.
            models.Index(
                fields=["running_deadline", "region", "congress"],
                condition=Q(running_deadline__isnull=False),
                name="case_running_deadline",
            ),
            # close_unrated_cases: state = replied, replied_at older than the rating window.
            models.Index(
                fields=["state", "replied_at"],
                condition=Q(replied_at__isnull=False),
                name="case_state_replied_at",
            ),
            # "My opinions" and the newest-first lists: submitter, ordered by created_at.
            # Anonymous and collected cases (no account) write no entry.
            models.Index(
                fields=["submitter", "created_at"],
                condition=Q(submitter__isnull=False),
                name="case_submitter_created",
            ),
            # Newest first, whatever the filter: the inbox page (`cases_for_user(...)
            # .order_by("-created_at", "-pk")[:50]`) and Open311 GET requests (public or this
            # client's, newest first, at most 1000) read this index backwards and stop after
            # one page instead of sorting every case in scope (bench/bench_cases.py).
            # The scope's columns follow as keys: SQLite then checks a town clerk's scope on
            # the index entries and reads only the rows it shows (PostgreSQL likewise).
            models.Index(
                fields=["created_at", "id", "region", "congress"], name="case_created_scope"
            ),
            # An inbox tab of one state, newest first (`cases.filter(state=...).order_by(
            # "-created_at", "-pk")[:50]`), and its capped count (`inbox.capped_counts`): read
            # backwards from the newest case in that state, stopping after one page.
            # The scope's columns are key columns (SQLite ignores INCLUDE): a town clerk's count
            # of a state never visits the table, however many cases of that state the city has.
            models.Index(
                fields=["state", "created_at", "id", "region", "congress"],
                name="case_state_created_region",
            ),
            # The sparse foreign keys (a deleted row's PROTECT check, a deputy's collected
            # cases, a leader's led cases): only the rows that have one.
            *(
                models.Index(
                    fields=[name], condition=Q(**{f"{name}__isnull": False}), name=f"case_{name}"
                )
                for name in ("grid", "collected_by", "urgency", "merged_into", "lead_leader")
            ),
            # The supervised cases (督办 / 重点督办: a few in a thousand): the dashboard's 督办中
            # (open and supervised) reads them here instead of every open case (a city at 1M:
            # 33k open rows read for 559).
            models.Index(
                fields=["state", "region", "congress"],
                condition=~Q(supervision="none"),
                name="case_supervised",
            ),
            # The portal's public list (`portal.selectors.published_cases`): published answers,
            # newest answer first, one page at a time; partial, so it holds only those rows.
            models.Index(
                fields=["replied_at", "id"],
                condition=Q(is_public=True, state__in=["replied", "closed"]),
                name="case_published_replied",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def overdue_on(self, today: dt.date) -> bool:
        """已超期 on `today`: a unit is working on it and its deadline has passed. The same
        rows as `running_deadline < today` in the database (`selectors.overdue`), read from
        the state in hand, which a transition may have just changed."""
        return (
            self.state in self.RUNNING_STATES
            and self.deadline is not None
            and self.deadline < today
        )


class Assignment(models.Model):
    """A handling unit's part in a case: 主办 (lead, answers) or 协办 (co, helps)."""

    class Role(models.TextChoices):
        LEAD = "lead", "主办"
        CO = "co", "协办"

    class State(models.TextChoices):
        ASSIGNED = "assigned", "待签收"
        SIGNED = "signed", "已签收"
        EXTENSION_REQUESTED = "extension_requested", "申请延期"
        RETURNED = "returned", "已退回"
        REPLIED = "replied", "已答复"

    ACTIVE_STATES = (State.ASSIGNED, State.SIGNED, State.EXTENSION_REQUESTED)

    case = models.ForeignKey(
        Case, verbose_name="事项", on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name="承办单位", on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField("承办方式", max_length=10, choices=Role.choices)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.ASSIGNED)
    deadline = models.DateField("办理期限")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="交办人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField("交办时间")
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    returned_reason = models.CharField("退回理由", max_length=500, blank=True)
    extension_days_requested = models.PositiveSmallIntegerField(
        "申请延期（工作日）", null=True, blank=True
    )
    extension_reason = models.CharField("延期理由", max_length=500, blank=True)
    # 重办: an unsatisfied rating gives the lead unit a new assignment in the next round.
    round = models.PositiveSmallIntegerField("办理轮次", default=1)

    class Meta:
        verbose_name = "交办记录"
        verbose_name_plural = "交办记录"
        ordering = ["case", "round", "pk"]  # lead first: it is created first
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(role="lead", state__in=["assigned", "signed", "extension_requested"]),
                name="assignment_one_active_lead",
            ),
            models.UniqueConstraint(
                fields=["case", "unit"],
                condition=Q(state__in=["assigned", "signed", "extension_requested"]),
                name="assignment_one_active_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(state="extension_requested", extension_days_requested__gte=1)
                | (~Q(state="extension_requested") & Q(extension_days_requested__isnull=True)),
                name="assignment_extension_days_when_requested",
            ),
        ]
        indexes = [
            # A handling unit's inbox and the ASSIGNED data scope: assignments__unit=..., state.
            models.Index(fields=["unit", "state"], name="assignment_unit_state"),
            # Rates of a period (`rates.assignment_rows`): lead assignments made, or replied,
            # between two dates: role = lead, assigned_at / replied_at in the period.
            models.Index(fields=["role", "assigned_at"], name="assignment_role_assigned"),
            models.Index(fields=["role", "replied_at"], name="assignment_role_replied"),
        ]

    def __str__(self) -> str:
        return f"{self.case.code} {self.unit} {self.get_role_display()}"


class CaseEvent(models.Model):
    """One step of a case's timeline: appended by the service that made it, never changed.

    `actor` is empty for the system (scheduled commands) and for anonymous citizens.
    """

    # Indexed by caseevent_case_created (case first) and caseevent_actor (the rows that have
    # one): an event of an anonymous submission writes three index entries, not five.
    case = models.ForeignKey(
        Case,
        verbose_name="事项",
        on_delete=models.PROTECT,
        db_index=False,
        related_name="events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField("操作", max_length=30)
    from_state = models.CharField("原状态", max_length=20, choices=Case.State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=20, choices=Case.State.choices)
    note = models.TextField("说明", max_length=5000, blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["created_at", "pk"]
        indexes = [
            # A case's timeline: events.filter(case=...).order_by("created_at").
            models.Index(fields=["case", "created_at"], name="caseevent_case_created"),
            # Rates count transitions in a period: events.filter(action=..., created_at__range).
            models.Index(fields=["action", "created_at"], name="caseevent_action_created"),
            models.Index(
                fields=["actor"], condition=Q(actor__isnull=False), name="caseevent_actor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class Attachment(models.Model):
    """A photo or PDF that came with a case. Its type is what its bytes say (checked by
    `renda.cases.attachments`), not what its name or the browser claim. Served only through
    a view that checks who may see the case; never deleted."""

    class ContentType(models.TextChoices):
        JPEG = "image/jpeg", "JPEG 图片"
        PNG = "image/png", "PNG 图片"
        WEBP = "image/webp", "WebP 图片"
        GIF = "image/gif", "GIF 图片"
        PDF = "application/pdf", "PDF 文档"

    MAX_SIZE = 10 * 1024 * 1024
    MAX_PER_CASE = 9

    case = models.ForeignKey(
        Case, verbose_name="事项", on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField("文件", upload_to="cases/%Y/%m/", max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=30, choices=ContentType.choices)
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
        verbose_name = "附件"
        verbose_name_plural = "附件"
        # A case's attachments in upload order: attachments.filter(case=...) uses the FK index.
        ordering = ["case", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gte=1, size__lte=10 * 1024 * 1024),
                name="attachment_size_limit",
            ),
            models.CheckConstraint(
                condition=Q(
                    content_type__in=[
                        "image/jpeg",
                        "image/png",
                        "image/webp",
                        "image/gif",
                        "application/pdf",
                    ]
                ),
                name="attachment_content_type_known",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
