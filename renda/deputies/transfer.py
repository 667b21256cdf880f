"""Excel import and export of deputies (代表名册) with their seats, stations and grids.

A deputy has no code, so the mobile number is the key: a row whose 手机号 is registered
updates that deputy. A row without one matches a deputy of the same name and work unit who
has no number either. Seats, station memberships and grid assignments named in a row are
added (or a seat's constituency updated); the import never removes any, and touches only
those inside the importer's data scope, which is also all that an export lists.
"""

import re

from django.core.exceptions import PermissionDenied

from renda.deputies.models import Deputy, GridAssignment, Seat, Sector, StationMembership, Term
from renda.deputies.selectors import can_see_personal_data, deputies_for_user
from renda.lib.excel import (
    ImportResult,
    ImportState,
    RowReader,
    SheetRow,
    import_rows,
    write_sheet,
)
from renda.lib.masking import mask_phone
from renda.org.models import Grid, OrgUnit, Station
from renda.org.roles import Perm
from renda.org.scope import require, scope_for, user_can
from renda.org.selectors import grids_for_user, stations_for_user, units_for_user

DEPUTY_HEADERS = (
    "姓名",
    "性别",
    "手机号",
    "工作单位",
    "职务",
    "界别",
    "代表资格",
    "进站",
    "进网格",
)
DEPUTY_REQUIRED = ("姓名", "性别", "手机号")
DEPUTY_COLUMNS = {
    "name": "姓名",
    "gender": "性别",
    "phone": "手机号",
    "work_unit": "工作单位",
    "post": "职务",
    "sector": "界别",
    "term": "代表资格",
    "constituency": "代表资格",
    "station": "进站",
    "grid": "进网格",
}
SEPARATOR = "；"
_ENTRIES = re.compile(r"[；;\n]+")
_SEAT_PARTS = re.compile(r"[:：]")


def can_import_deputies(user) -> bool:
    return user_can(user, Perm.DEPUTIES_MANAGE) and not scope_for(user).read_only


def require_deputies_import(user) -> None:
    require(user, Perm.DEPUTIES_MANAGE)
    if scope_for(user).read_only:
        raise PermissionDenied("只读角色不能导入数据。")


class _Scope:
    """Ids of what the user may see, taken once: membership checks are then set lookups."""

    def __init__(self, actor) -> None:
        self.unit_ids = set(units_for_user(actor).values_list("pk", flat=True))
        self.station_ids = set(stations_for_user(actor).values_list("pk", flat=True))
        self.grid_ids = set(grids_for_user(actor).values_list("pk", flat=True))
        self.deputy_ids = set(deputies_for_user(actor).values_list("pk", flat=True))


def _seat_text(seat: Seat) -> str:
    parts = [seat.term.congress.code, str(seat.term.number)]
    if seat.constituency:
        parts.append(seat.constituency)
    return ":".join(parts)


def deputies_export(*, actor) -> bytes:
    require(actor, Perm.DEPUTIES_VIEW)
    scope = _Scope(actor)
    show = can_see_personal_data(actor)
    deputies = (
        deputies_for_user(actor)
        .select_related("sector")
        .prefetch_related(
            "seats__term__congress", "station_memberships__station", "grid_assignments__grid"
        )
        .order_by("name", "pk")
    )
    rows = []
    for d in deputies:
        seats = sorted(
            (
                s
                for s in d.seats.all()
                if s.status == Seat.Status.SERVING and s.term.congress_id in scope.unit_ids
            ),
            key=lambda s: (s.term.congress.path, -s.term.number),
        )
        stations = sorted(
            m.station.code for m in d.station_memberships.all() if m.station_id in scope.station_ids
        )
        grids = sorted(a.grid.code for a in d.grid_assignments.all() if a.grid_id in scope.grid_ids)
        rows.append(
            (
                d.name,
                d.get_gender_display(),
                d.phone if show or not d.phone else mask_phone(d.phone),
                d.work_unit,
                d.post,
                d.sector.name if d.sector else "",
                SEPARATOR.join(_seat_text(s) for s in seats),
                SEPARATOR.join(stations),
                SEPARATOR.join(grids),
            )
        )
    return write_sheet(title="代表", headers=DEPUTY_HEADERS, rows=rows)


def _entries(text: str) -> list[str]:
    return [e.strip() for e in _ENTRIES.split(text) if e.strip()]


class _Refs:
    """Resolves the codes a row names, caching what does not change during an import."""

    def __init__(self, scope: _Scope) -> None:
        self.scope = scope
        self._terms: dict[tuple[str, int], Term | None] = {}
        self._sectors = {s.name: s for s in Sector.objects.all()}

    def sector(self, r: RowReader) -> Sector | None:
        name = r.text("界别")
        if not name:
            return None
        if name not in self._sectors:
            r.problem("界别", f"“{name}”不在界别字典中，请先在系统管理中添加。")
            return None
        return self._sectors[name]

    def seats(self, r: RowReader) -> list[tuple[Term, str]]:
        seats: list[tuple[Term, str]] = []
        for entry in _entries(r.text("代表资格")):
            parts = [p.strip() for p in _SEAT_PARTS.split(entry, maxsplit=2)]
            number = parts[1].removeprefix("第").removesuffix("届") if len(parts) > 1 else ""
            if len(parts) < 2 or not number.isdigit():
                r.problem("代表资格", f"“{entry}”格式不正确，应为“人大编码:届次:选区”。")
                continue
            term = self._term(r, parts[0], int(number))
            if term is not None:
                seats.append((term, parts[2] if len(parts) > 2 else ""))
        if len({t.pk for t, _ in seats}) < len(seats):
            r.problem("代表资格", "同一届次填写了多次。")
        return seats

    def _term(self, r: RowReader, code: str, number: int) -> Term | None:
        congress = OrgUnit.objects.filter(code=code).first()
        if congress is None:
            r.problem("代表资格", f"人大编码“{code}”不存在。")
            return None
        if congress.pk not in self.scope.unit_ids:
            r.problem("代表资格", f"“{congress}”（{code}）不在您的数据范围内。")
            return None
        if not congress.is_congress:
            r.problem("代表资格", f"“{congress}”（{code}）不是人大常委会、主席团或街道人大工委。")
            return None
        key = (code, number)
        if key not in self._terms:
            self._terms[key] = Term.objects.filter(congress=congress, number=number).first()
        term = self._terms[key]
        if term is None:
            r.problem("代表资格", f"“{congress}”没有第 {number} 届。")
        return term

    def nodes(self, r: RowReader, column: str, model, ids: set[int], what: str) -> list:
        codes = list(dict.fromkeys(_entries(r.text(column))))
        found = {o.code: o for o in model.objects.filter(code__in=codes)}
        result = []
        for code in codes:
            obj = found.get(code)
            if obj is None:
                r.problem(column, f"{what}编码“{code}”不存在。")
            elif obj.pk not in ids:
                r.problem(column, f"{what}“{obj}”（{code}）不在您的数据范围内。")
            else:
                result.append(obj)
        return result


def _key(row: SheetRow) -> tuple[str, str] | None:
    phone = row.get("手机号").replace(" ", "")
    if phone:
        return ("手机号", phone)
    return ("姓名", f"{row.get('姓名')}（{row.get('工作单位') or '未填工作单位'}）")


def _match(r: RowReader, scope: _Scope, *, phone: str, name: str, work_unit: str):
    """The deputy this row updates, or None for a new one."""
    if phone:
        deputy = Deputy.objects.filter(phone=phone).first()
        if deputy is not None:
            if deputy.pk not in scope.deputy_ids:
                r.problem("手机号", f"“{phone}”已登记在您数据范围以外的代表名下，请联系上级人大。")
            return deputy
    # Without a registered number, a deputy recorded without one under the same name and
    # work unit is the same person (a later file may add the number).
    same = [
        d
        for d in Deputy.objects.filter(name=name, work_unit=work_unit, phone="")
        if d.pk in scope.deputy_ids
    ]
    if len(same) > 1:
        r.problem("姓名", "有多名同名、同工作单位且未登记手机号的代表，请在系统中核对后再导入。")
    return same[0] if len(same) == 1 else None


def deputies_import(*, actor, rows: list[SheetRow]) -> ImportResult:
    require_deputies_import(actor)
    scope = _Scope(actor)
    refs = _Refs(scope)

    def handle(row: SheetRow, state: ImportState) -> bool:
        return _deputy_row(scope, refs, row)

    return import_rows(
        rows,
        handle=handle,
        key=_key,
        field_columns=DEPUTY_COLUMNS,
        default_column="姓名",
    )


def _deputy_row(scope: _Scope, refs: _Refs, row: SheetRow) -> bool:
    r = RowReader(row)
    name = r.text("姓名", required=True, max_length=50)
    gender = r.choice("性别", Deputy.Gender.choices, required=True)
    phone = r.phone("手机号", mobile=True)
    work_unit = r.text("工作单位", max_length=100)
    post = r.text("职务", max_length=100)
    sector = refs.sector(r)
    seats = refs.seats(r)
    stations = refs.nodes(r, "进站", Station, scope.station_ids, "站点")
    grids = refs.nodes(r, "进网格", Grid, scope.grid_ids, "网格")
    deputy = _match(r, scope, phone=phone, name=name, work_unit=work_unit) if name else None
    if deputy is None and not seats and not r.text("代表资格"):
        # A deputy without a seat would belong to no congress, and so to no one's scope.
        r.problem("代表资格", "新增代表至少填写一项代表资格（人大编码:届次:选区）。")
    r.done()

    created = deputy is None
    if created:
        deputy = Deputy(
            name=name, gender=gender, phone=phone, work_unit=work_unit, post=post, sector=sector
        )
        deputy.full_clean()
        deputy.save()
        scope.deputy_ids.add(deputy.pk)
    else:
        changed = _apply(
            deputy,
            r,
            name=name,
            gender=gender,
            phone=phone,
            work_unit=work_unit,
            post=post,
            sector=sector,
        )
        if changed:
            deputy.full_clean()
            deputy.save(update_fields=changed)
    _link(deputy, seats=seats, stations=stations, grids=grids)
    return created


def _apply(deputy: Deputy, r: RowReader, **values) -> list[str]:
    """Set what the row changes, leaving alone the fields whose column the file lacks."""
    for column, field in (("工作单位", "work_unit"), ("职务", "post"), ("界别", "sector")):
        if not r.present(column):
            values.pop(field)
    if not values["phone"] or deputy.phone:
        values.pop("phone")  # the number is the key: it is only ever added, never changed
    changed = []
    for field, value in values.items():
        current = deputy.sector_id if field == "sector" else getattr(deputy, field)
        new = (value.pk if value else None) if field == "sector" else value
        if current != new:
            setattr(deputy, field, value)
            changed.append(field)
    return changed


def _link(
    deputy: Deputy,
    *,
    seats: list[tuple[Term, str]],
    stations: list[Station],
    grids: list[Grid],
) -> None:
    current = {s.term_id: s for s in deputy.seats.all()}
    for term, constituency in seats:
        seat = current.get(term.pk)
        if seat is None:
            seat = Seat(deputy=deputy, term=term, constituency=constituency)
            seat.full_clean()
            seat.save()
        elif seat.constituency != constituency:
            seat.constituency = constituency
            seat.full_clean()
            seat.save(update_fields=["constituency"])
    have = set(deputy.station_memberships.values_list("station_id", flat=True))
    for station in stations:
        if station.pk not in have:
            StationMembership.objects.create(deputy=deputy, station=station)
    have = set(deputy.grid_assignments.values_list("grid_id", flat=True))
    for grid in grids:
        if grid.pk not in have:
            GridAssignment.objects.create(deputy=deputy, grid=grid)
