"""代表建议 and 议案: what a deputy's suggestion or motion adds to its `Case`.

The case (kind `suggestion` or `motion`) carries the state, the events, the assignments (主办
lead / 协办 co) and the answer; a `Suggestion` row beside it holds what is theirs: the session
it was filed in (大会期间, numbered per session) or none (闭会期间), the lead deputy and the
co-signers (联名), the committee's review (立案 / 不予立案), the statutory deadline, the
co-units' views, the B-class promise and the deputy's ratings. Nothing here is ever deleted.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from renda.cases.models import Assignment, Case
from renda.deputies.models import Deputy, Term
from renda.org.models import OrgUnit, Region


class CongressSession(models.Model):
    """A session (次会议) of one term of a congress, e.g. 第八届人大第三次会议: suggestions
    filed while it is open are numbered in it."""

    class Status(models.TextChoices):
        OPEN = "open", "会议期间"
        CLOSED = "closed", "已闭会"

    term = models.ForeignKey(
        Term, verbose_name="届次", on_delete=models.PROTECT, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField("会议次数")
    opens_on = models.DateField("开幕日期")
    closes_on = models.DateField("闭幕日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = verbose_name_plural = "人民代表大会会议"
        ordering = ["term", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="sugg_session_unique_number"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="sugg_session_closes_after_opens"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="sugg_session_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.term}第{self.number}次会议"


class Suggestion(models.Model):
    class Review(models.TextChoices):
        PENDING = "pending", "待审查"
        ACCEPTED = "accepted", "已立案"
        NOT_ACCEPTED = "not_accepted", "不予立案（转为意见）"

    class AnswerClass(models.TextChoices):
        A = "A", "A类（已解决或采纳）"
        B = "B", "B类（列入计划逐步解决）"
        C = "C", "C类（因条件限制留作参考）"

    # The answer class is the case's result class (DESIGN: 答复 已解决/列入计划/解释说明; A/B/C).
    CLASS_OF_RESULT = {
        Case.ResultClass.SOLVED: AnswerClass.A,
        Case.ResultClass.PLANNED: AnswerClass.B,
        Case.ResultClass.EXPLAINED: AnswerClass.C,
    }
    RESULT_OF_CLASS = {v: k for k, v in CLASS_OF_RESULT.items()}

    case = models.OneToOneField(
        Case, verbose_name="事项", on_delete=models.PROTECT, related_name="suggestion"
    )
    # The case's kind when it was numbered (a converted motion is numbered again).
    kind = models.CharField(
        "类型",
        max_length=20,
        choices=[(Case.Kind.SUGGESTION, "代表建议"), (Case.Kind.MOTION, "代表议案")],
    )
    congress = models.ForeignKey(
        OrgUnit, verbose_name="人大", on_delete=models.PROTECT, related_name="suggestions"
    )
    session = models.ForeignKey(
        CongressSession,
        verbose_name="会议",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        help_text="留空为闭会期间提出",
    )
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveIntegerField("编号")
    lead_deputy = models.ForeignKey(
        Deputy, verbose_name="领衔代表", on_delete=models.PROTECT, related_name="led_suggestions"
    )
    review = models.CharField("审查", max_length=20, choices=Review.choices, default=Review.PENDING)
    review_reason = models.CharField("审查意见", max_length=500, blank=True)
    reviewed_at = models.DateTimeField("审查时间", null=True, blank=True)
    # Counted from the first assignment: three months, six for a complex matter (延期).
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    is_complex = models.BooleanField("复杂建议（已延期）", default=False)
    motion_reason = models.CharField("议案转建议理由", max_length=500, blank=True)

    # Copied from the case and its counted lead assignment (the first round's, not returned)
    # for the rates (`renda.suggestions.rates`), so the table is counted from this table alone
    # instead of joining a case and an assignment per suggestion. `renda.suggestions.copies`
    # writes them: the suggestion services in their transaction, and `case_changed` after any
    # other case step (a unit's return, a reply or rating through the case pages). `lead_unit`
    # is empty while nothing is counted: not assigned, returned and not yet assigned again, or
    # not a suggestion any more (不予立案).
    lead_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="主办单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deadline = models.DateField("办理期限", null=True, blank=True)
    answered_at = models.DateTimeField("首次答复时间", null=True, blank=True)
    result_class = models.CharField(
        "答复类别", max_length=20, choices=Case.ResultClass.choices, blank=True
    )
    rating = models.CharField(
        "评价", max_length=20, choices=Case.Rating.choices, null=True, blank=True
    )
    region = models.ForeignKey(
        Region,
        verbose_name="行政区划",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "代表建议"
        ordering = ["-year", "-number", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "kind", "number"],
                condition=Q(session__isnull=False),
                name="sugg_number_per_session",
            ),
            models.UniqueConstraint(
                fields=["congress", "year", "kind", "number"],
                condition=Q(session__isnull=True),
                name="sugg_number_between_sessions",
            ),
            models.CheckConstraint(
                condition=~Q(review="not_accepted") | ~Q(review_reason=""),
                name="sugg_not_accepted_has_reason",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="sugg_number_positive"),
        ]
        indexes = [
            # The clerk's list in a congress, newest first (`suggestions_for_user` filtered to a
            # congress and ordered by year and number).
            models.Index(fields=["congress", "year", "number"], name="sugg_congress_year_no"),
            # The rates table (`renda.suggestions.rates.counted_for_user`: counts grouped by
            # session, year and lead unit, filtered by kind and the reader's scope): read from
            # this index alone, in group order, without the table or a sort. SQLite, 20,000
            # suggestions, the city clerk: 94 ms CPU through the session index, 26 ms here.
            models.Index(
                fields=[
                    "session",
                    "year",
                    "lead_unit",
                    "kind",
                    "answered_at",
                    "deadline",
                    "result_class",
                    "rating",
                    "region",
                    "congress",
                    "lead_deputy",
                ],
                name="sugg_rates_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.case.title}"

    @property
    def label(self) -> str:
        """第3次会议第12号建议 / 2026年闭会期间第5号建议."""
        noun = "建议" if self.kind == Case.Kind.SUGGESTION else "议案"
        if self.session_id is not None:
            return f"第{self.session.number}次会议第{self.number}号{noun}"
        return f"{self.year}年闭会期间第{self.number}号{noun}"

    @property
    def answer_class(self) -> str:
        return self.CLASS_OF_RESULT.get(self.case.result_class, "")


class CoSigner(models.Model):
    """A deputy who signs with the lead deputy (联名); each confirms before the review."""

    class State(models.TextChoices):
        PENDING = "pending", "待确认"
        CONFIRMED = "confirmed", "已确认"
        DECLINED = "declined", "不同意联名"

    suggestion = models.ForeignKey(
        Suggestion, verbose_name="建议", on_delete=models.PROTECT, related_name="cosigners"
    )
    deputy = models.ForeignKey(
        Deputy, verbose_name="联名代表", on_delete=models.PROTECT, related_name="cosigned"
    )
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    responded_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "联名代表"
        ordering = ["suggestion", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "deputy"], name="sugg_cosigner_once_per_suggestion"
            ),
            models.CheckConstraint(
                condition=Q(state="pending", responded_at__isnull=True)
                | (~Q(state="pending") & Q(responded_at__isnull=False)),
                name="sugg_cosigner_responded_when_not_pending",
            ),
        ]
        indexes = [
            # A deputy's suggestions to confirm: cosigners.filter(deputy=..., state="pending").
            models.Index(fields=["deputy", "state"], name="sugg_cosigner_deputy_state"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.get_state_display()}"


class CoView(models.Model):
    """A co-unit's view (协办意见), sent to the lead unit, which answers the deputy."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name="建议", on_delete=models.PROTECT, related_name="co_views"
    )
    assignment = models.OneToOneField(
        Assignment, verbose_name="协办记录", on_delete=models.PROTECT, related_name="co_view"
    )
    content = models.TextField("协办意见", max_length=5000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField("提出时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "协办意见"
        ordering = ["suggestion", "pk"]

    def __str__(self) -> str:
        return f"{self.assignment.unit} 协办意见"


class Promise(models.Model):
    """What a B-class answer promises (列入计划逐步解决), tracked until it is kept."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name="建议", on_delete=models.PROTECT, related_name="promises"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name="承诺单位", on_delete=models.PROTECT, related_name="+"
    )
    content = models.CharField("承诺事项", max_length=500)
    due_on = models.DateField("计划完成日期")
    made_at = models.DateTimeField("承诺时间", auto_now_add=True)
    kept_at = models.DateTimeField("兑现时间", null=True, blank=True)
    kept_note = models.CharField("兑现情况", max_length=500, blank=True)
    kept_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "B类答复承诺"
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kept_at__isnull=True) | ~Q(kept_note=""),
                name="sugg_promise_kept_has_note",
            ),
        ]
        indexes = [
            # The tracking list: promises not yet kept, the earliest due first.
            models.Index(fields=["kept_at", "due_on"], name="sugg_promise_open_due"),
        ]

    def __str__(self) -> str:
        return self.content


class Rating(models.Model):
    """The deputy's rating of one answer (办理结果) and of the unit's contact with them
    (办前/办中/办后沟通). 不满意 with the answer sends the suggestion back (重办)."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name="建议", on_delete=models.PROTECT, related_name="ratings"
    )
    round = models.PositiveSmallIntegerField("办理轮次")
    answer = models.CharField("对办理结果", max_length=20, choices=Case.Rating.choices)
    contact = models.CharField("对沟通联系", max_length=20, choices=Case.Rating.choices)
    contact_before = models.BooleanField("办前沟通", default=False)
    contact_during = models.BooleanField("办中沟通", default=False)
    contact_after = models.BooleanField("办后沟通", default=False)
    note = models.CharField("评价意见", max_length=500, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评价人", on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField("评价时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "代表评价"
        ordering = ["suggestion", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "round"], name="sugg_rating_once_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_answer_display()} / {self.get_contact_display()}"
