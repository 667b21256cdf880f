from django.db import models


class CalendarDay(models.Model):
    """A day that breaks the Monday–Friday rule: a public holiday on a weekday, or a
    make-up working day (调休上班) on a weekend. Days not stored follow the rule."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=50, blank=True)
    source = models.CharField("来源", max_length=60, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}"
