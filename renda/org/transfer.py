"""Excel import and export of units, stations and grids (组织单位、联络站、网格).

Codes are the keys: a row whose code exists updates that row, a new code creates one through
`renda.org.services`. A file is imported all or nothing (`renda.lib.excel.import_rows`).
Everything read or written stays inside the importer's data scope; the sets of ids in scope
are taken once before the first write, because inserting into a sorted tree renumbers the
paths that scope filters rely on.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Model

from renda.lib.excel import ImportResult, ImportState, RowReader, SheetRow, import_rows, write_sheet
from renda.lib.masking import mask_phone
from renda.org.models import LEVEL_DEPTH, Grid, Level, OrgUnit, Region, Station
from renda.org.roles import DataScope, Perm
from renda.org.scope import require, scope_for
from renda.org.selectors import grids_for_user, regions_for_user, stations_for_user, units_for_user
from renda.org.services import grid_create, station_create, unit_create

STATUS_CHOICES = [("active", "启用"), ("inactive", "停用")]

UNIT_HEADERS = (
    "单位编码",
    "单位名称",
    "类别",
    "承办单位类型",
    "所在区划代码",
    "所在区划",
    "上级单位编码",
    "联系电话",
    "状态",
)
UNIT_REQUIRED = ("单位编码", "单位名称", "类别", "所在区划代码")
UNIT_COLUMNS = {
    "code": "单位编码",
    "name": "单位名称",
    "kind": "类别",
    "handling_kind": "承办单位类型",
    "region": "所在区划代码",
    "phone": "联系电话",
    "is_active": "状态",
    "parent": "上级单位编码",
}

STATION_HEADERS = (
    "站点编码",
    "站点名称",
    "层级",
    "类型",
    "行业领域",
    "所在区划代码",
    "服务区划代码",
    "主管人大编码",
    "上级站点编码",
    "地址",
    "开放时间",
    "联系电话",
    "状态",
)
STATION_REQUIRED = ("站点编码", "站点名称", "层级", "所在区划代码", "主管人大编码")
STATION_COLUMNS = {
    "code": "站点编码",
    "name": "站点名称",
    "kind": "层级",
    "specialty": "类型",
    "sector": "行业领域",
    "region": "所在区划代码",
    "serves_region": "服务区划代码",
    "congress": "主管人大编码",
    "parent": "上级站点编码",
    "address": "地址",
    "opening_hours": "开放时间",
    "phone": "联系电话",
    "is_active": "状态",
}

GRID_HEADERS = ("网格编码", "网格名称", "所属区划代码", "所属区划", "状态")
GRID_REQUIRED = ("网格编码", "网格名称", "所属区划代码")
GRID_COLUMNS = {
    "code": "网格编码",
    "name": "网格名称",
    "region": "所属区划代码",
    "is_active": "状态",
}

# An export lists part of the organisation, so it needs a scope over the organisation: a
# handling unit's clerk sees only the work assigned to it, and exports nothing.
_ORG_WIDE_SCOPES = {DataScope.ALL, DataScope.UNIT_AND_BELOW, DataScope.UNIT_ONLY}
_STATION_PARENT_KIND = {
    Station.Kind.STATION: Station.Kind.HUB,
    Station.Kind.POINT: Station.Kind.STATION,
}
_TREE_FIELDS = ["path", "depth", "numchild"]


def can_export_org(user) -> bool:
    scope = scope_for(user)
    return (
        user.is_authenticated
        and scope.can(Perm.ORG_VIEW)
        and any(g.spec.scope in _ORG_WIDE_SCOPES for g in scope.grants)
    )


def can_import_org(user) -> bool:
    return (
        user.is_authenticated
        and scope_for(user).can(Perm.ORG_MANAGE)
        and not scope_for(user).read_only
    )


def require_org_export(user) -> None:
    require(user, Perm.ORG_VIEW)
    if not can_export_org(user):
        raise PermissionDenied("您的数据权限不能导出组织数据。")


def require_org_import(user) -> None:
    require(user, Perm.ORG_MANAGE)
    if scope_for(user).read_only:
        raise PermissionDenied("只读角色不能导入数据。")


def _status_label(active: bool) -> str:
    return "启用" if active else "停用"


def _phone(value: str, show: bool) -> str:
    return value if show or not value else mask_phone(value)


def _parent_codes(model: type[Model], nodes: Iterable) -> dict[str, str]:
    """path → code of the parents of `nodes` (which may lie outside the reader's scope: a
    code is what lets the file re-import)."""
    steplen = model.steplen
    paths = {n.path[:-steplen] for n in nodes if n.depth > 1}
    return dict(model.objects.filter(path__in=paths).values_list("path", "code"))


# --- export -------------------------------------------------------------------------------


def units_export(*, actor) -> bytes:
    require_org_export(actor)
    units = list(units_for_user(actor).order_by("path"))
    parents = _parent_codes(OrgUnit, units)
    show = scope_for(actor).can(Perm.PERSONAL_DATA)
    rows = [
        (
            u.code,
            u.name,
            u.get_kind_display(),
            u.get_handling_kind_display(),
            u.region.code,
            u.region.name,
            parents.get(u.path[: -OrgUnit.steplen], ""),
            _phone(u.phone, show),
            _status_label(u.is_active),
        )
        for u in units
    ]
    return write_sheet(title="组织单位", headers=UNIT_HEADERS, rows=rows)


def stations_export(*, actor) -> bytes:
    require_org_export(actor)
    stations = list(stations_for_user(actor).order_by("path"))
    parents = _parent_codes(Station, stations)
    show = scope_for(actor).can(Perm.PERSONAL_DATA)
    rows = [
        (
            s.code,
            s.name,
            s.get_kind_display(),
            s.get_specialty_display(),
            s.sector,
            s.region.code,
            s.serves_region.code if s.serves_region else "",
            s.congress.code,
            parents.get(s.path[: -Station.steplen], ""),
            s.address,
            s.opening_hours,
            _phone(s.phone, show),
            _status_label(s.is_active),
        )
        for s in stations
    ]
    return write_sheet(title="联络站", headers=STATION_HEADERS, rows=rows)


def grids_export(*, actor) -> bytes:
    require_org_export(actor)
    grids = grids_for_user(actor).order_by("code")
    rows = [
        (g.code, g.name, g.region.code, g.region.name, _status_label(g.is_active)) for g in grids
    ]
    return write_sheet(title="网格", headers=GRID_HEADERS, rows=rows)


# --- import -------------------------------------------------------------------------------


class _Known:
    """The importer's scope as id sets, plus lookups by code that name what is wrong."""

    def __init__(self, actor) -> None:
        self.actor = actor
        self.region_ids = set(regions_for_user(actor).values_list("pk", flat=True))
        self.unit_ids = set(units_for_user(actor).values_list("pk", flat=True))
        self.station_ids = set(stations_for_user(actor).values_list("pk", flat=True))
        self._regions: dict[str, Region | None] = {}

    def region(
        self,
        reader: RowReader,
        column: str,
        *,
        required: bool,
        in_scope: bool = True,
        keep: int | None = None,
    ) -> Region | None:
        """The region named by code in `column`. `keep` is the id the row already points
        at: an unchanged reference is fine even where it lies outside the scope."""
        code = reader.text(column, required=required)
        if not code:
            return None
        if code not in self._regions:
            self._regions[code] = Region.objects.filter(code=code).first()
        region = self._regions[code]
        if region is None:
            reader.problem(column, f"区划代码“{code}”不存在。")
        elif in_scope and region.pk not in self.region_ids and region.pk != keep:
            reader.problem(column, f"区划“{region.name}”（{code}）不在您的数据范围内。")
            return None
        return region

    def node(
        self,
        reader: RowReader,
        column: str,
        model: type[Model],
        *,
        ids: set[int],
        what: str,
        required: bool = False,
        keep: int | None = None,
        file: tuple[ImportState, SheetRow] | None = None,
    ):
        """A unit or station named by code in `column`: it must exist and sit in scope (or
        be the one the row already points at). With `file`, the code may be an earlier row
        of this file, which must itself be good."""
        code = reader.text(column, required=required)
        if not code:
            return None
        if file is not None:
            state, row = file
            if code in state.failed:
                reader.problem(column, f"“{code}”所在的第 {state.failed[code]} 行有错误。")
                return None
            first = state.first_row.get(code)
            if first is not None and first > row.number:
                reader.problem(column, f"“{code}”在第 {first} 行，上级须写在下级之前。")
                return None
        obj = model.objects.filter(code=code).first()
        if obj is None:
            reader.problem(column, f"{what}编码“{code}”不存在。")
        elif obj.pk not in ids and obj.pk != keep:
            reader.problem(column, f"{what}“{obj}”（{code}）不在您的数据范围内。")
            return None
        return obj

    def existing(self, reader: RowReader, column: str, code: str, model: type[Model], ids):
        """The row this code updates, or None for a new one; refuses rows outside scope."""
        if not code:
            return None
        obj = model.objects.filter(code=code).first()
        if obj is not None and obj.pk not in ids:
            reader.problem(column, f"“{code}”已被您数据范围以外的“{obj}”使用，不能修改。")
        return obj


def _status(reader: RowReader, column: str) -> bool | None:
    value = reader.choice(column, STATUS_CHOICES)
    return None if not value else value == "active"


def _apply(obj: Model, values: dict[str, object]) -> list[str]:
    """Set the fields whose value differs and return their names, for save(update_fields)."""
    changed = []
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.is_relation:
            current = getattr(obj, field.attname)
            new = value.pk if value is not None else None
        else:
            current, new = getattr(obj, name), value
        if current != new:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _same_parent(reader: RowReader, column: str, node, parent_code: str) -> None:
    parent = type(node).objects.get_parent(node)
    current = parent.code if parent is not None else ""
    if parent_code != current:
        was = f"“{current}”" if current else "空（顶级）"
        reader.problem(column, f"不能通过导入调整上级（现为{was}），请在组织机构中调整。")


def _save(obj: Model, changed: list[str]) -> None:
    if changed:
        obj.full_clean(exclude=_TREE_FIELDS)
        obj.save(update_fields=changed)


def units_import(*, actor, rows: list[SheetRow]) -> ImportResult:
    require_org_import(actor)
    known = _Known(actor)

    def handle(row: SheetRow, state: ImportState) -> bool:
        return _unit_row(known, row, state)

    return import_rows(
        rows,
        handle=handle,
        key=lambda row: ("单位编码", row.get("单位编码")),
        field_columns=UNIT_COLUMNS,
        default_column="单位编码",
    )


def _unit_row(known: _Known, row: SheetRow, state: ImportState) -> bool:
    r = RowReader(row)
    code = r.text("单位编码", required=True, max_length=40)
    unit = known.existing(r, "单位编码", code, OrgUnit, known.unit_ids)
    name = r.text("单位名称", required=True, max_length=100)
    kind = r.choice("类别", OrgUnit.Kind.choices, required=True)
    handling_kind = r.choice("承办单位类型", OrgUnit.HandlingKind.choices)
    if unit is not None and kind == unit.kind and not r.present("承办单位类型"):
        handling_kind = unit.handling_kind
    elif kind == OrgUnit.Kind.HANDLING_UNIT and not r.text("承办单位类型"):
        r.problem("承办单位类型", "承办单位必须填写承办单位类型。")
    if kind and kind != OrgUnit.Kind.HANDLING_UNIT and handling_kind:
        r.problem("承办单位类型", "只有承办单位填写承办单位类型，请留空。")
    region = known.region(
        r, "所在区划代码", required=True, keep=unit.region_id if unit is not None else None
    )
    phone = r.phone("联系电话")
    active = _status(r, "状态")

    if unit is None:
        parent = known.node(
            r, "上级单位编码", OrgUnit, ids=known.unit_ids, what="单位", file=(state, row)
        )
        r.done()
        unit = unit_create(
            code=code,
            name=name,
            kind=kind,
            region=region,
            parent=parent,
            handling_kind=handling_kind,
            phone=phone,
        )
        if active is False:
            unit.is_active = False
            unit.save(update_fields=["is_active"])
        known.unit_ids.add(unit.pk)
        return True

    if r.present("上级单位编码"):
        _same_parent(r, "上级单位编码", unit, r.text("上级单位编码"))
    r.done()
    values: dict[str, object] = {
        "name": name,
        "kind": kind,
        "handling_kind": handling_kind,
        "region": region,
    }
    if r.present("联系电话"):
        values["phone"] = phone
    if active is not None:
        values["is_active"] = active
    was_congress = unit.is_congress
    changed = _apply(unit, values)
    if "region" in changed:
        _check_unit_region(r, unit, region)
    if was_congress and not unit.is_congress and unit.stations.exists():
        r.problem("类别", "该单位是联络站的主管人大，不能改为其他类别。")
    r.done()
    _save(unit, changed)
    return False


def _check_unit_region(r: RowReader, unit: OrgUnit, region: Region) -> None:
    parent = OrgUnit.objects.get_parent(unit)
    if parent is not None and not region.path.startswith(parent.region.path):
        r.problem("所在区划代码", f"必须在上级单位“{parent.name}”的辖区内。")
    below = OrgUnit.objects.filter(path__startswith=unit.path, depth__gt=unit.depth)
    if below.exclude(region__path__startswith=region.path).exists():
        r.problem("所在区划代码", "有下级单位不在新的区划内，不能修改。")


def stations_import(*, actor, rows: list[SheetRow]) -> ImportResult:
    require_org_import(actor)
    known = _Known(actor)

    def handle(row: SheetRow, state: ImportState) -> bool:
        return _station_row(known, row, state)

    return import_rows(
        rows,
        handle=handle,
        key=lambda row: ("站点编码", row.get("站点编码")),
        field_columns=STATION_COLUMNS,
        default_column="站点编码",
    )


def _station_row(known: _Known, row: SheetRow, state: ImportState) -> bool:
    r = RowReader(row)
    code = r.text("站点编码", required=True, max_length=40)
    station = known.existing(r, "站点编码", code, Station, known.station_ids)
    name = r.text("站点名称", required=True, max_length=100)
    kind = r.choice("层级", Station.Kind.choices, required=True)
    specialty = r.choice("类型", Station.Specialty.choices) or Station.Specialty.REGIONAL
    sector = r.text("行业领域", max_length=50)
    if specialty == Station.Specialty.SECTOR and not sector:
        r.problem("行业领域", "行业站必须填写行业领域。")
    region = known.region(
        r, "所在区划代码", required=True, keep=station.region_id if station else None
    )
    # A cross-region station serves a neighbouring town, which may lie outside the scope.
    serves_region = known.region(r, "服务区划代码", required=False, in_scope=False)
    if specialty == Station.Specialty.CROSS_REGION and not r.text("服务区划代码"):
        r.problem("服务区划代码", "跨区域站必须填写服务区划代码。")
    if specialty != Station.Specialty.CROSS_REGION and r.text("服务区划代码"):
        r.problem("服务区划代码", "只有跨区域站填写服务区划，请留空。")
    congress = known.node(
        r,
        "主管人大编码",
        OrgUnit,
        ids=known.unit_ids,
        what="单位",
        required=True,
        keep=station.congress_id if station else None,
    )
    if congress is not None and not congress.is_congress:
        r.problem("主管人大编码", f"“{congress}”不是人大常委会、主席团或街道人大工委。")
    address = r.text("地址", max_length=200)
    hours = r.text("开放时间", max_length=100)
    phone = r.phone("联系电话")
    active = _status(r, "状态")

    if station is None:
        parent = known.node(
            r, "上级站点编码", Station, ids=known.station_ids, what="站点", file=(state, row)
        )
        r.done()
        station = station_create(
            code=code,
            name=name,
            kind=kind,
            region=region,
            congress=congress,
            parent=parent,
            specialty=specialty,
            sector=sector,
            serves_region=serves_region,
            address=address,
            opening_hours=hours,
            phone=phone,
        )
        if active is False:
            station.is_active = False
            station.save(update_fields=["is_active"])
        known.station_ids.add(station.pk)
        return True

    if r.present("上级站点编码"):
        _same_parent(r, "上级站点编码", station, r.text("上级站点编码"))
    r.done()
    values: dict[str, object] = {
        "name": name,
        "kind": kind,
        "region": region,
        "congress": congress,
    }
    optional = {
        "类型": ("specialty", specialty),
        "行业领域": ("sector", sector),
        "服务区划代码": ("serves_region", serves_region),
        "地址": ("address", address),
        "开放时间": ("opening_hours", hours),
        "联系电话": ("phone", phone),
    }
    values.update({f: v for column, (f, v) in optional.items() if r.present(column)})
    if active is not None:
        values["is_active"] = active
    changed = _apply(station, values)
    if "kind" in changed:
        _check_station_kind(r, station)
    r.done()
    _save(station, changed)
    return False


def _check_station_kind(r: RowReader, station: Station) -> None:
    parent = Station.objects.get_parent(station)
    wanted = _STATION_PARENT_KIND.get(station.kind)
    if (parent.kind if parent is not None else None) != wanted:
        under = f"“{parent.name}”（{parent.get_kind_display()}）下" if parent else "顶级"
        r.problem("层级", f"{under}不能设{station.get_kind_display()}。")
    if station.numchild:
        r.problem("层级", "已有下级站点，不能修改层级。")


def grids_import(*, actor, rows: list[SheetRow]) -> ImportResult:
    require_org_import(actor)
    known = _Known(actor)
    grid_ids = set(grids_for_user(actor).values_list("pk", flat=True))

    def handle(row: SheetRow, state: ImportState) -> bool:
        r = RowReader(row)
        code = r.text("网格编码", required=True, max_length=40)
        name = r.text("网格名称", required=True, max_length=100)
        region = known.region(r, "所属区划代码", required=True)
        active = _status(r, "状态")
        grid = known.existing(r, "网格编码", code, Grid, grid_ids)
        r.done()
        if grid is None:
            grid = grid_create(code=code, name=name, region=region)
            if active is False:
                grid.is_active = False
                grid.save(update_fields=["is_active"])
            grid_ids.add(grid.pk)
            return True
        if LEVEL_DEPTH.get(region.level, 0) < LEVEL_DEPTH[Level.TOWN]:
            r.problem("所属区划代码", "网格只能设在乡镇街道或村社区下。")
        r.done()
        values: dict[str, object] = {"name": name, "region": region}
        if active is not None:
            values["is_active"] = active
        _save(grid, _apply(grid, values))
        return False

    return import_rows(
        rows,
        handle=handle,
        key=lambda row: ("网格编码", row.get("网格编码")),
        field_columns=GRID_COLUMNS,
        default_column="网格编码",
    )
