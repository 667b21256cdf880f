"""满意度测评: deputies (or committee members) rate departments and rectification items."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from renda.deputies.models import Deputy
from renda.org.models import OrgUnit


class Evaluation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        OPEN = "open", "进行中"
        CLOSED = "closed", "已结束"

    title = models.CharField("测评名称", max_length=200)
    congress = models.ForeignKey(
        OrgUnit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="evaluations"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "满意度测评"
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="oversight_evaluation_closes_after_opens",
            )
        ]
        indexes = [
            # The clerk's list: evaluations of the congress units in scope, newest first.
            models.Index(fields=["congress", "-opens_on"], name="oversight_eval_congress_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class EvaluationSubject(models.Model):
    """What is rated: an org unit (a department) or a free-text item (an 整改事项)."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="测评", on_delete=models.PROTECT, related_name="subjects"
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name="被测评单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField("测评对象", max_length=200)
    position = models.PositiveIntegerField("序号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "测评对象"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "unit"],
                condition=Q(unit__isnull=False),
                name="oversight_subject_unit_once",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="oversight_subject_has_name"),
        ]

    def __str__(self) -> str:
        return self.name


class EvaluationRater(models.Model):
    """Who rates: a deputy with an account, or any user (a committee member). Scores are
    anonymous in the results; this row only says who may rate and whether they did."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="测评", on_delete=models.PROTECT, related_name="raters"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="测评人账号",
        on_delete=models.PROTECT,
        related_name="evaluation_raters",
    )
    deputy = models.ForeignKey(
        Deputy,
        verbose_name="代表",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "测评人"
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "user"], name="oversight_rater_once_per_evaluation"
            )
        ]
        indexes = [
            # "My evaluations": the sheets a signed-in rater has to fill.
            models.Index(fields=["user", "evaluation"], name="oversight_rater_user_idx"),
        ]

    def __str__(self) -> str:
        return str(self.deputy or self.user)


class Score(models.Model):
    class Value(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASIC = "basic", "基本满意"
        UNSATISFIED = "unsatisfied", "不满意"

    rater = models.ForeignKey(
        EvaluationRater, verbose_name="测评人", on_delete=models.PROTECT, related_name="scores"
    )
    subject = models.ForeignKey(
        EvaluationSubject, verbose_name="测评对象", on_delete=models.PROTECT, related_name="scores"
    )
    value = models.CharField("评价", max_length=12, choices=Value.choices)
    comment = models.CharField("意见建议", max_length=500, blank=True)
    created_at = models.DateTimeField("测评时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "测评结果"
        constraints = [
            models.UniqueConstraint(
                fields=["rater", "subject"],
                name="oversight_score_once_per_subject",
                violation_error_message="您已对该对象测评过，不能重复测评。",
            )
        ]
        indexes = [
            # The results page counts scores per subject.
            models.Index(fields=["subject", "value"], name="oversight_score_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.get_value_display()}"
