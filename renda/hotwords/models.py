"""民意热点: the terms of every case, stored when the case is saved, and their daily counts.

Two tables, both derived from `renda.cases.models.Case` and rebuilt from it by
`manage.py rebuild_case_terms`:

- `CaseTerms`: one row per case — the few terms that say what it is about
  (`renda.textmine.hotterms.document_terms`), with the day, the area (the town the case is in)
  and the category they are counted under. Hot issues group cases by these terms; a reader
  whose scope is not a set of regions (a handling unit's assigned cases) gets hot words
  counted from these rows.
- `DailyTermCount`: how many cases of one day, area and category mention a term. Hot words for
  any region subtree, category and period are one `SUM(cases) … GROUP BY term` over it; a case
  saved moves its terms' counts by one (`renda.hotwords.services.case_terms_index`).

The area is the case's town (乡镇街道): a case filed against a village counts under the
village's town, one filed against a county or the city under that region itself. A region
subtree is then the areas whose path starts with the region's path.
"""

from django.db import models
from django.db.models import Q

from renda.cases.models import Case, Category
from renda.org.models import Region


class CaseTerms(models.Model):
    case = models.OneToOneField(
        Case, verbose_name="事项", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("提交日期")
    area = models.ForeignKey(
        Region, verbose_name="所在乡镇街道", on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        Category, verbose_name="分类", on_delete=models.PROTECT, related_name="+"
    )
    # [[term, occurrences], ...], most telling first (`hotterms.document_terms`).
    terms = models.JSONField("词项", default=list, blank=True)
    # What the terms were computed from (analyser version, title, content): a save that does
    # not change it keeps the terms.
    fingerprint = models.CharField("文本摘要", max_length=40)
    analyzed_at = models.DateTimeField("分析时间", auto_now=True)

    class Meta:
        verbose_name = "事项词项"
        verbose_name_plural = "事项词项"
        indexes = [
            # Case totals and hot issues in a region subtree: filter(area__in=…, day__range=…,
            # category=…).
            models.Index(fields=["area", "day", "category"], name="caseterms_area_day"),
            # The same for a reader who sees every region: filter(day__range=…, category=…).
            models.Index(fields=["day", "category"], name="caseterms_day_category"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {' '.join(t for t, _ in self.terms[:5])}"


class DailyTermCount(models.Model):
    day = models.DateField("日期")
    area = models.ForeignKey(
        Region, verbose_name="乡镇街道", on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        Category, verbose_name="分类", on_delete=models.PROTECT, related_name="+"
    )
    term = models.CharField("词", max_length=32)
    cases = models.IntegerField("提及件数", default=0)

    class Meta:
        verbose_name = "热词日汇总"
        verbose_name_plural = "热词日汇总"
        constraints = [
            # The upsert of `case_terms_index` (ON CONFLICT on these columns). Read by day, it
            # also serves hot words over every region: filter(day__range=…) GROUP BY term.
            models.UniqueConstraint(
                fields=["day", "area", "category", "term"], name="dailyterm_cell_term"
            ),
            models.CheckConstraint(condition=Q(cases__gte=0), name="dailyterm_cases_not_negative"),
        ]
        indexes = [
            # Hot words and rising terms in a region subtree: filter(area__in=…,
            # day__range=…, category=…) GROUP BY term, SUM(cases). Every column the query
            # reads is in the index (an index-only scan on both databases).
            models.Index(
                fields=["area", "day", "category", "term", "cases"], name="dailyterm_area_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.term} {self.cases}"
