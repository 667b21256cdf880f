"""审议意见 and their 问题清单: the standing committee deliberates a report of the government,
issues its opinion with a list of problems, and tracks the rectification (整改) item by item.

Each `ProblemItem` becomes a `Case` of kind `supervision_item` when the opinion is issued, so
the assignment to its unit, the deadline in working days, signing, the reply, extensions,
reminders and the timeline are the case workflow's own (`renda.cases`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from renda.cases.models import Case, Category
from renda.org.models import OrgUnit


class ReviewOpinion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ISSUED = "issued", "已交办"

    congress = models.ForeignKey(
        OrgUnit, verbose_name="人大", on_delete=models.PROTECT, related_name="review_opinions"
    )
    title = models.CharField("审议意见标题", max_length=200)
    subject = models.CharField("审议的报告", max_length=200)
    meeting = models.CharField("会议名称", max_length=100, blank=True)
    meeting_date = models.DateField("审议日期")
    text = models.TextField("审议意见", max_length=20000, blank=True)
    # The cases' own dictionary: each item's case is filed under it.
    category = models.ForeignKey(
        Category, verbose_name="所属领域", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="交办人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField("交办时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "审议意见"
        ordering = ["-meeting_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(issued_at__isnull=False),
                name="reviews_opinion_issued_has_time",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="reviews_opinion_has_title"),
        ]
        indexes = [
            # The list: opinions of the congresses in scope (congress__in subtree), newest first.
            models.Index(fields=["congress", "-meeting_date"], name="reviews_opinion_congress"),
        ]

    def __str__(self) -> str:
        return self.title


class ProblemItem(models.Model):
    """One item of the 问题清单: its category (类), number, the problem and what is asked, the
    responsible unit and the time it has; its case once the opinion is issued."""

    opinion = models.ForeignKey(
        ReviewOpinion, verbose_name="审议意见", on_delete=models.PROTECT, related_name="items"
    )
    category = models.CharField("问题类别", max_length=50)
    number = models.PositiveSmallIntegerField("序号")
    text = models.TextField("问题及整改要求", max_length=2000)
    unit = models.ForeignKey(
        OrgUnit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="problem_items"
    )
    working_days = models.PositiveSmallIntegerField("整改时限（工作日）")
    case = models.OneToOneField(
        Case,
        verbose_name="督办事项",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problem_item",
    )

    class Meta:
        verbose_name = verbose_name_plural = "问题清单事项"
        # An opinion's items in list order: items.filter(opinion=...) by the unique index.
        ordering = ["opinion", "number"]
        constraints = [
            models.UniqueConstraint(fields=["opinion", "number"], name="reviews_item_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="reviews_item_number_pos"),
            models.CheckConstraint(condition=Q(working_days__gte=1), name="reviews_item_days"),
            models.CheckConstraint(condition=~Q(text=""), name="reviews_item_has_text"),
            models.CheckConstraint(condition=~Q(category=""), name="reviews_item_has_category"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:30]}"
