"""The organisation: regions, org units, liaison stations and grids.

Regions, units and stations are trees stored as materialised paths (django-treebeard), so a
subtree is one `path__startswith` filter: that is what data scopes are built on.
"""

from django.db import models
from django.db.models import Q
from treebeard.mp_tree import MP_Node

from renda.org.roles import Role


class Level(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县区"
    TOWN = "town", "乡镇街道"
    VILLAGE = "village", "村社区"


LEVEL_DEPTH = {
    Level.PROVINCE: 1,
    Level.CITY: 2,
    Level.COUNTY: 3,
    Level.TOWN: 4,
    Level.VILLAGE: 5,
}


class Region(MP_Node):
    """An administrative division with a GB/T 2260-style code (12 digits with the town and
    village parts, e.g. 331002001001)."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=Level.choices)

    node_order_by = ["code"]

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{6}([0-9]{3}([0-9]{3})?)?$"),
                name="region_code_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrgUnit(MP_Node):
    """A congress body or a handling unit, pinned to the region whose affairs it serves."""

    class Kind(models.TextChoices):
        CONGRESS = "congress", "人大常委会"
        COMMITTEE = "committee", "工作委员会"
        PRESIDIUM = "presidium", "乡镇人大主席团"
        STREET_COMMITTEE = "street_committee", "街道人大工委"
        HANDLING_UNIT = "handling_unit", "承办单位"

    class HandlingKind(models.TextChoices):
        DEPARTMENT = "department", "政府部门"
        TOWN_GOVERNMENT = "town_government", "乡镇政府/街道办事处"
        COURT = "court", "法院"
        PROCURATORATE = "procuratorate", "检察院"
        OTHER = "other", "其他单位"

    CONGRESS_KINDS = (Kind.CONGRESS, Kind.PRESIDIUM, Kind.STREET_COMMITTEE)

    code = models.CharField("单位编码", max_length=40, unique=True)
    name = models.CharField("单位名称", max_length=100)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    handling_kind = models.CharField(
        "承办单位类型", max_length=20, choices=HandlingKind.choices, blank=True
    )
    region = models.ForeignKey(
        Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="units"
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("启用", default=True)

    node_order_by = ["code"]

    class Meta:
        verbose_name = "组织单位"
        verbose_name_plural = "组织单位"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="handling_unit", handling_kind__gt="")
                | (~Q(kind="handling_unit") & Q(handling_kind="")),
                name="orgunit_handling_kind_only_for_handling_units",
            ),
        ]
        indexes = [
            # The unit list of a region and level: units_in_scope().filter(region=..., kind=...)
            models.Index(fields=["region", "kind"], name="orgunit_region_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        return self.region.level

    def get_level_display(self) -> str:
        return self.region.get_level_display()

    @property
    def is_congress(self) -> bool:
        return self.kind in self.CONGRESS_KINDS


class Station(MP_Node):
    """A deputies' liaison station (代表联络站): 总站 → 站 → 点."""

    class Kind(models.TextChoices):
        HUB = "hub", "总站"
        STATION = "station", "联络站"
        POINT = "point", "联络点"

    class Specialty(models.TextChoices):
        REGIONAL = "regional", "区域站"
        SECTOR = "sector", "行业站"
        CROSS_REGION = "cross_region", "跨区域站"

    code = models.CharField("站点编码", max_length=40, unique=True)
    name = models.CharField("站点名称", max_length=100)
    kind = models.CharField("层级", max_length=10, choices=Kind.choices)
    specialty = models.CharField(
        "类型", max_length=20, choices=Specialty.choices, default=Specialty.REGIONAL
    )
    sector = models.CharField("行业领域", max_length=50, blank=True)
    region = models.ForeignKey(
        Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="stations"
    )
    serves_region = models.ForeignKey(
        Region,
        verbose_name="服务区划",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="served_by_stations",
        help_text="跨区域站服务的另一乡镇",
    )
    congress = models.ForeignKey(
        OrgUnit,
        verbose_name="主管人大",
        on_delete=models.PROTECT,
        related_name="stations",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    opening_hours = models.CharField("开放时间", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("启用", default=True)

    node_order_by = ["code"]

    class Meta:
        verbose_name = "代表联络站"
        verbose_name_plural = "代表联络站"
        constraints = [
            models.CheckConstraint(
                condition=Q(specialty="cross_region", serves_region__isnull=False)
                | (~Q(specialty="cross_region") & Q(serves_region__isnull=True)),
                name="station_serves_region_only_when_cross_region",
            ),
            models.CheckConstraint(
                condition=~Q(specialty="sector") | Q(sector__gt=""),
                name="station_sector_named",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Grid(models.Model):
    """A grid (网格) under a town or a village; deputies are assigned to grids."""

    code = models.CharField("网格编码", max_length=40, unique=True)
    name = models.CharField("网格名称", max_length=100)
    region = models.ForeignKey(
        Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="grids"
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "网格"
        verbose_name_plural = "网格"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Installation(models.Model):
    """What this deployment is: one row, read by every page's shell."""

    name = models.CharField("平台名称", max_length=100, default="人大履职服务平台")
    is_demo = models.BooleanField("演示数据", default=False)
    demo_seed = models.IntegerField("演示数据种子", null=True, blank=True)
    demo_size = models.CharField("演示规模", max_length=20, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "平台信息"
        verbose_name_plural = "平台信息"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A staff user's seat in a unit (or a station) with one role; the role decides the scope."""

    user = models.ForeignKey(
        "accounts.User",
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name="所在单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    station = models.ForeignKey(
        Station,
        verbose_name="所在联络站",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="station_clerk", station__isnull=False, unit__isnull=True)
                    | Q(role="system_admin", station__isnull=True)
                    | (
                        ~Q(role__in=["station_clerk", "system_admin", "citizen"])
                        & Q(unit__isnull=False, station__isnull=True)
                    )
                ),
                name="membership_anchor_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit", "station"],
                name="membership_unique_per_user_role_place",
            ),
        ]

    def __str__(self) -> str:
        place = self.station or self.unit or "全系统"
        return f"{place} · {self.get_role_display()}"
