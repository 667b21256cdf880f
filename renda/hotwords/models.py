"""民意热点: the terms of every case, stored when the case is saved, and their daily counts.

Two tables, both derived from `renda.cases.models.Case` and rebuilt from it by
`manage.py rebuild_case_terms`:

- `CaseTerms`: one row per case — the few terms that say what it is about
  (`renda.textmine.hotterms.document_terms`), with the day, the area (the town the case is in)
  and the category they are counted under. Hot issues group cases by these terms; a reader
  whose scope is not a set of regions (a handling unit's assigned cases) gets hot words
  counted from these rows.
- `DailyTermCount`: how many cases of one day, area and category mention a term (the term ""
  counts the cases themselves). A case saved moves its terms' counts by one
  (`renda.hotwords.services.case_terms_index`).
- `TermRollup`: the same counts summed over coarser cells, so that hot words for a county or
  the city over a year read thousands of rows, not millions: by month for every region above
  the case's area (and the area itself), by day for the city and above; by category and over
  every category (category 0). Which region levels get which tier is `renda.hotwords.tiers`;
  it is kept up to date in the same statements as the daily counts and rebuilt from them by
  `manage.py rebuild_term_rollup`.

Hot words for any region subtree, category and period are then one `SUM(cases) … GROUP BY
term` over the whole months of the period in `TermRollup` and its ragged ends in the daily
counts (`renda.hotwords.tiers.plan`).

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


class TermRollup(models.Model):
    """Term counts of a region subtree over a month (grain "m") or a day (grain "d"), for one
    category or for every category (category 0). Derived from `DailyTermCount`; see
    `renda.hotwords.tiers` for the cells kept."""

    class Grain(models.TextChoices):
        DAY = "d", "日"
        MONTH = "m", "月"

    # Derived rows, written in bulk by the rebuild: no database-level foreign key to check
    # per row (the region is protected by its cases).
    node = models.ForeignKey(
        Region,
        verbose_name="地区",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    grain = models.CharField("粒度", max_length=1, choices=Grain.choices)
    # The category's id, or 0 for every category (a plain integer so that the upsert's
    # conflict target never holds a NULL).
    category = models.IntegerField("分类编号（0 为全部分类）")
    start = models.DateField("起始日")  # the day, or the first day of the month
    term = models.CharField("词", max_length=32)
    cases = models.IntegerField("提及件数", default=0)

    class Meta:
        verbose_name = "热词汇总"
        verbose_name_plural = "热词汇总"
        constraints = [
            # The upsert of `case_terms_index` and `term_rollup_rebuild` (ON CONFLICT on
            # these columns).
            models.UniqueConstraint(
                fields=["node", "grain", "category", "start", "term"], name="termrollup_cell_term"
            ),
            models.CheckConstraint(condition=Q(cases__gte=0), name="termrollup_cases_not_negative"),
            models.CheckConstraint(condition=Q(grain__in=["d", "m"]), name="termrollup_grain"),
        ]
        indexes = [
            # Hot words, rising terms and case totals (`renda.hotwords.tiers.plan`):
            # WHERE node = … AND grain = … AND category = … AND start BETWEEN … GROUP BY term,
            # SUM(cases). Every column the query reads is in the index (an index-only scan on
            # both databases).
            models.Index(
                fields=["node", "grain", "category", "start", "term", "cases"],
                name="termrollup_read",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.node_id} {self.grain}{self.start} {self.category} {self.term} {self.cases}"
