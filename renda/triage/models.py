"""Triage (智能分办): trained suggestion models and the near-duplicate index of cases.

The models themselves are files under `settings.VAR_DIR / "models"` (shared by every process
of a deployment, like the SQLite file and the uploads); a `TrainedModel` row says which
directory is current and records how it was trained. The duplicate index lives in the
database, so every process sees a case as soon as it is indexed, with no rebuild.
"""

from django.db import models
from django.db.models import Q

from renda.cases.models import Case


class TrainedModel(models.Model):
    """One training run that produced a model; the newest row of a kind is the one in use."""

    class Kind(models.TextChoices):
        CATEGORY = "category", "分类模型"
        UNIT = "unit", "承办单位模型"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    # Relative to VAR_DIR/models, e.g. "category/20260915-100000-ab12".
    directory = models.CharField("模型目录", max_length=200)
    trained_at = models.DateTimeField("训练时间")
    training_size = models.PositiveIntegerField("训练事项数")
    training_seconds = models.FloatField("训练耗时（秒）")
    size_bytes = models.PositiveBigIntegerField("模型大小（字节）")
    # Validation figures (accuracy, macro-F1, top-3 accuracy …) and the per-label counts.
    scores = models.JSONField("验证结果", default=dict, blank=True)
    labels = models.JSONField("各类事项数", default=dict, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "分办模型"
        verbose_name_plural = "分办模型"
        constraints = [
            models.UniqueConstraint(fields=["directory"], name="trainedmodel_directory_unique"),
        ]
        indexes = [
            # The model in use: TrainedModel.objects.filter(kind=...).order_by("-trained_at").
            models.Index(fields=["kind", "-trained_at"], name="trainedmodel_kind_trained"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.trained_at:%Y-%m-%d %H:%M}"


class CaseSignature(models.Model):
    """A case's MinHash signature over character shingles (renda.textmine.dedup)."""

    case = models.OneToOneField(
        Case,
        verbose_name="事项",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="duplicate_signature",
    )
    # The county (or the case's own region above county level): duplicates are looked up in
    # the same area only.
    area = models.CharField("查重范围（区划路径）", max_length=255)
    signature = models.BinaryField("MinHash 签名")
    indexed_at = models.DateTimeField("索引时间", auto_now=True)

    class Meta:
        verbose_name = "查重签名"
        verbose_name_plural = "查重签名"

    def __str__(self) -> str:
        return str(self.case_id)


class CaseBand(models.Model):
    """One LSH band of a case's signature: cases sharing a band with a new case are its
    duplicate candidates. `key` packs the band number (high 32 bits) and the band's hash."""

    case = models.ForeignKey(
        Case, verbose_name="事项", on_delete=models.PROTECT, related_name="duplicate_bands"
    )
    area = models.CharField("查重范围（区划路径）", max_length=255)
    key = models.BigIntegerField("分段哈希")

    class Meta:
        verbose_name = "查重分段"
        verbose_name_plural = "查重分段"
        constraints = [
            models.UniqueConstraint(fields=["case", "key"], name="caseband_case_key_unique"),
        ]
        indexes = [
            # The duplicate lookup: CaseBand.objects.filter(area=..., key__in=<64 keys>).
            models.Index(fields=["area", "key"], name="caseband_area_key"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.key}"


class DuplicateCandidate(models.Model):
    """A near-duplicate found when a case came in: `case` (the newer) resembles `other`."""

    case = models.ForeignKey(
        Case, verbose_name="事项", on_delete=models.PROTECT, related_name="duplicate_candidates"
    )
    other = models.ForeignKey(
        Case, verbose_name="疑似重复事项", on_delete=models.PROTECT, related_name="+"
    )
    similarity = models.FloatField("相似度")
    found_at = models.DateTimeField("发现时间", auto_now_add=True)

    class Meta:
        verbose_name = "疑似重复"
        verbose_name_plural = "疑似重复"
        constraints = [
            models.UniqueConstraint(fields=["case", "other"], name="duplicatecandidate_pair"),
            models.CheckConstraint(
                condition=~Q(case=models.F("other")), name="duplicatecandidate_not_self"
            ),
            models.CheckConstraint(
                condition=Q(similarity__gte=0, similarity__lte=1),
                name="duplicatecandidate_similarity_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} ~ {self.other_id} ({self.similarity:.2f})"
