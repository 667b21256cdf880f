"""Deputies (代表) as persons, and their seats at one or more levels.

A person may sit in the city congress and in a town congress at once: one `Deputy`, two
`Seat`s, each tied to a `Term` (届) of one congress.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from renda.org.models import Grid, OrgUnit, Station


class Sector(models.Model):
    """The sector a deputy comes from (企业, 农业, 教科文卫 …): an admin-edited dictionary."""

    name = models.CharField("名称", max_length=30, unique=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "代表界别"
        verbose_name_plural = "代表界别"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Deputy(models.Model):
    class Gender(models.TextChoices):
        MALE = "male", "男"
        FEMALE = "female", "女"

    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices)
    phone = models.CharField("手机号", max_length=20, blank=True)
    work_unit = models.CharField("工作单位", max_length=100, blank=True)
    post = models.CharField("职务", max_length=100, blank=True)
    sector = models.ForeignKey(
        Sector, verbose_name="界别", on_delete=models.PROTECT, null=True, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "人大代表"
        verbose_name_plural = "人大代表"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="deputy_phone_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """A term (届) of one congress, e.g. 某市第十七届人民代表大会."""

    congress = models.ForeignKey(
        OrgUnit, verbose_name="人大", on_delete=models.PROTECT, related_name="terms"
    )
    number = models.PositiveSmallIntegerField("届次")
    start_date = models.DateField("起始日期")
    end_date = models.DateField("届满日期", null=True, blank=True)

    class Meta:
        verbose_name = "届次"
        verbose_name_plural = "届次"
        ordering = ["congress", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="term_unique_number"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.congress.name}第{self.number}届"


class Seat(models.Model):
    class Status(models.TextChoices):
        SERVING = "serving", "在任"
        RESIGNED = "resigned", "辞职"
        RECALLED = "recalled", "罢免"
        TERMINATED = "terminated", "终止"

    deputy = models.ForeignKey(
        Deputy, verbose_name="代表", on_delete=models.PROTECT, related_name="seats"
    )
    term = models.ForeignKey(
        Term, verbose_name="届次", on_delete=models.PROTECT, related_name="seats"
    )
    constituency = models.CharField("选区", max_length=100, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.SERVING)

    class Meta:
        verbose_name = "代表资格"
        verbose_name_plural = "代表资格"
        constraints = [
            models.UniqueConstraint(fields=["deputy", "term"], name="seat_one_per_term"),
        ]
        indexes = [
            # Deputies of a congress: scope filter on seats__term__congress.
            models.Index(fields=["term", "status"], name="seat_term_status"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.term}"


class StationMembership(models.Model):
    """进站代表: a deputy who takes duty at a liaison station."""

    deputy = models.ForeignKey(
        Deputy, verbose_name="代表", on_delete=models.PROTECT, related_name="station_memberships"
    )
    station = models.ForeignKey(
        Station, verbose_name="联络站", on_delete=models.PROTECT, related_name="deputy_memberships"
    )
    since = models.DateField("进站日期", null=True, blank=True)

    class Meta:
        verbose_name = "进站代表"
        verbose_name_plural = "进站代表"
        constraints = [
            models.UniqueConstraint(fields=["deputy", "station"], name="station_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.station}"


class GridAssignment(models.Model):
    """代表进网格: a deputy assigned to a grid."""

    deputy = models.ForeignKey(
        Deputy, verbose_name="代表", on_delete=models.PROTECT, related_name="grid_assignments"
    )
    grid = models.ForeignKey(
        Grid, verbose_name="网格", on_delete=models.PROTECT, related_name="deputy_assignments"
    )

    class Meta:
        verbose_name = "代表进网格"
        verbose_name_plural = "代表进网格"
        constraints = [
            models.UniqueConstraint(fields=["deputy", "grid"], name="grid_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.grid}"
