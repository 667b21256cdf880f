"""Excel export and import of units, stations and grids (/org/transfer/)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from renda.org.models import Grid, OrgUnit, Station
from renda.org.services import grid_create
from renda.org.transfer import GRID_HEADERS, STATION_HEADERS, UNIT_HEADERS

PAGE = reverse("org:transfer")


def export_url(kind: str) -> str:
    return reverse("org:transfer_export", args=[kind])


def xlsx(headers, rows, *, name: str = "data.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def sheet_rows(content: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def upload(client, kind: str, file):
    return client.post(PAGE, {"kind": kind, "file": file}, follow=True)


def unit_row(**values) -> list[str]:
    row = dict.fromkeys(UNIT_HEADERS, "")
    row.update(values)
    return [row[h] for h in UNIT_HEADERS]


def station_row(**values) -> list[str]:
    row = dict.fromkeys(STATION_HEADERS, "")
    row.update(values)
    return [row[h] for h in STATION_HEADERS]


def snapshot():
    return (
        list(OrgUnit.objects.order_by("code").values()),
        list(Station.objects.order_by("code").values()),
        list(Grid.objects.order_by("code").values()),
    )


def errors_of(response) -> str:
    return response.content.decode()


# --- export -------------------------------------------------------------------------------


def test_it_exports_units_parents_first_with_a_chinese_file_name(personas, login):
    client = login(personas.city_clerk)
    response = client.get(export_url("units"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        "filename*=UTF-8''%E7%BB%84%E7%BB%87%E5%8D%95%E4%BD%8D_"
        in (response["Content-Disposition"])
    )
    rows = sheet_rows(response.content)
    assert tuple(rows[0]) == UNIT_HEADERS
    codes = [r[0] for r in rows[1:]]
    assert len(codes) == 10
    # Every parent comes before its children, so the file re-imports in order.
    for row in rows[1:]:
        if row[6]:
            assert codes.index(row[6]) < codes.index(row[0])
    town = next(r for r in rows if r[0] == "T1-BSC")
    assert town[2:9] == [
        "承办单位",
        "乡镇政府/街道办事处",
        "331002001",
        "东湖街道",
        "C-ZF",
        "",
        "启用",
    ]


def test_it_exports_with_a_bold_frozen_header(personas, login):
    client = login(personas.city_clerk)
    sheet = load_workbook(io.BytesIO(client.get(export_url("stations")).content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet.column_dimensions["B"].width > 10


def test_it_exports_only_the_readers_scope(personas, login):
    client = login(personas.other_town_clerk)
    units = sheet_rows(client.get(export_url("units")).content)[1:]
    stations = sheet_rows(client.get(export_url("stations")).content)[1:]
    grids = sheet_rows(client.get(export_url("grids")).content)[1:]
    assert {r[0] for r in units} == {"T3-ZXT", "T3-ZF"}
    assert {r[0] for r in stations} == {"S-T3"}
    assert {r[0] for r in grids} == {"G-T3-01"}
    everything = str(units + stations + grids)
    assert "331002001" not in everything
    assert "东湖" not in everything


def test_it_masks_office_phones_without_personal_data_permission(personas, login):
    unit = personas.units["town"]
    unit.phone = "05768881234"
    unit.save(update_fields=["phone"])
    leader_rows = sheet_rows(login(personas.leader).get(export_url("units")).content)
    assert next(r for r in leader_rows if r[0] == "T1-GW")[7] == "057****1234"
    clerk_rows = sheet_rows(login(personas.city_clerk).get(export_url("units")).content)
    assert next(r for r in clerk_rows if r[0] == "T1-GW")[7] == "05768881234"


def test_it_exports_in_a_fixed_number_of_queries(personas, login, django_assert_num_queries):
    client = login(personas.city_clerk)
    client.get(export_url("units"))  # warm the session
    # session, user, memberships (scope), the units with their regions, the parents' codes:
    # however many units.
    with django_assert_num_queries(5):
        assert client.get(export_url("units")).status_code == 200


# --- round trips --------------------------------------------------------------------------


@pytest.mark.parametrize("kind,count", [("units", 10), ("stations", 4), ("grids", 2)])
def test_it_round_trips_an_export(personas, login, kind, count):
    client = login(personas.city_clerk)
    content = client.get(export_url(kind)).content
    before = snapshot()
    response = upload(client, kind, SimpleUploadedFile("导出.xlsx", content))
    assert response.status_code == 200
    assert f"已导入 {count} 行：新增 0，更新 {count}。" in response.content.decode()
    assert snapshot() == before


def test_it_round_trips_a_town_clerks_export(personas, login):
    # 东湖街道办事处 hangs under the city government, outside the town clerk's scope: an
    # unchanged parent does not stop the row from re-importing.
    client = login(personas.town_clerk)
    before = snapshot()
    for kind in ("units", "stations", "grids"):
        content = client.get(export_url(kind)).content
        response = upload(client, kind, SimpleUploadedFile("x.xlsx", content))
        assert "新增 0" in response.content.decode(), kind
    assert snapshot() == before


# --- imports that succeed -----------------------------------------------------------------


def test_it_creates_and_updates_units_with_parents_from_the_same_file(personas, login):
    client = login(personas.town_clerk)
    file = xlsx(
        UNIT_HEADERS,
        [
            unit_row(单位编码="T1-GW", 单位名称="东湖街道人大工作委员会", 类别="街道人大工委",
                     所在区划代码="331002001", 上级单位编码="D1-RD", 状态="启用"),
            unit_row(单位编码="T1-SQ", 单位名称="湖滨社区居委会", 类别="承办单位",
                     承办单位类型="其他单位", 所在区划代码="331002001001", 上级单位编码="T1-BSC",
                     联系电话="0576-8888123"),
            unit_row(单位编码="T1-SQ-1", 单位名称="湖滨社区网格站", 类别="承办单位",
                     承办单位类型="其他单位", 所在区划代码=331002001001, 上级单位编码="T1-SQ",
                     状态="停用"),
        ],
    )  # fmt: skip
    response = upload(client, "units", file)
    assert "已导入 3 行：新增 2，更新 1。" in response.content.decode()
    assert OrgUnit.objects.get(code="T1-GW").name == "东湖街道人大工作委员会"
    child = OrgUnit.objects.get(code="T1-SQ-1")
    assert OrgUnit.objects.get_parent(child).code == "T1-SQ"
    assert child.region == personas.regions["village"]
    assert not child.is_active
    assert OrgUnit.objects.get(code="T1-SQ").phone == "0576-8888123"


def test_it_matches_headers_by_name_in_any_order(personas, login):
    client = login(personas.city_clerk)
    file = xlsx(
        ["所属区划代码", "备注", "网格名称", "网格编码"],
        [["331002002", "新设", "南湖第一网格", "G-T2-01"]],
    )
    response = upload(client, "grids", file)
    assert "新增 1" in response.content.decode()
    assert Grid.objects.get(code="G-T2-01").region == personas.regions["town2"]


def test_it_leaves_fields_alone_whose_column_the_file_lacks(personas, login):
    client = login(personas.city_clerk)
    file = xlsx(
        ["单位编码", "单位名称", "类别", "所在区划代码"],
        [["C-ZJJ", "示例市住房和城乡建设局（改）", "承办单位", "331000"]],
    )
    response = upload(client, "units", file)
    assert "已导入 1 行：新增 0，更新 1。" in response.content.decode()
    unit = OrgUnit.objects.get(code="C-ZJJ")
    assert unit.name == "示例市住房和城乡建设局（改）"
    assert unit.handling_kind == "department"
    assert OrgUnit.objects.get_parent(unit).code == "C-ZF"


def test_it_creates_a_station_under_a_station_as_a_point(personas, login):
    client = login(personas.town_clerk)
    file = xlsx(
        STATION_HEADERS,
        [station_row(站点编码="S-T1-2", 站点名称="东湖第二联络点", 层级="联络点", 类型="行业站",
                     行业领域="物流", 所在区划代码="331002001", 主管人大编码="T1-GW",
                     上级站点编码="S-T1")],
    )  # fmt: skip
    response = upload(client, "stations", file)
    assert "新增 1" in response.content.decode()
    station = Station.objects.get(code="S-T1-2")
    assert Station.objects.get_parent(station) == personas.stations["town"]
    assert station.sector == "物流"


def test_it_round_trips_a_cross_region_station_for_the_town_it_serves(personas, login):
    # 东湖街道 opens a station serving 西山镇: 西山镇's clerk sees it through the region it
    # serves and re-imports it although its region, congress and parent are not theirs.
    file = xlsx(
        STATION_HEADERS,
        [station_row(站点编码="S-T1-X", 站点名称="东西联络站", 层级="联络站", 类型="跨区域站",
                     所在区划代码="331002001", 服务区划代码="331003001", 主管人大编码="T1-GW",
                     上级站点编码="S", 状态="启用")],
    )  # fmt: skip
    client = login(personas.city_clerk)
    assert "新增 1" in upload(client, "stations", file).content.decode()
    client = login(personas.other_town_clerk)
    content = client.get(export_url("stations")).content
    assert "S-T1-X" in {r[0] for r in sheet_rows(content)}
    before = snapshot()
    response = upload(client, "stations", SimpleUploadedFile("s.xlsx", content))
    assert "已导入 2 行：新增 0，更新 2。" in response.content.decode()
    assert snapshot() == before


def test_it_exports_a_name_that_looks_like_a_formula_as_text(personas, login):
    grid = grid_create(code="G-F", name='=HYPERLINK("http://x")', region=personas.regions["town"])
    client = login(personas.city_clerk)
    sheet = load_workbook(io.BytesIO(client.get(export_url("grids")).content)).active
    cell = next(row[1] for row in sheet.iter_rows(min_row=2) if row[0].value == "G-F")
    assert cell.data_type == "s"
    assert cell.value == grid.name


# --- imports that are refused, all or nothing ---------------------------------------------


def test_it_imports_nothing_when_one_row_is_bad(personas, login):
    client = login(personas.city_clerk)
    file = xlsx(
        UNIT_HEADERS,
        [
            unit_row(单位编码="N-1", 单位名称="新单位一", 类别="承办单位", 承办单位类型="政府部门",
                     所在区划代码="331000", 上级单位编码="C-ZF"),
            unit_row(单位编码="N-2", 单位名称="新单位二", 类别="承办单位", 承办单位类型="政府部门",
                     所在区划代码="999999", 上级单位编码="C-ZF"),
        ],
    )  # fmt: skip
    response = upload(client, "units", file)
    assert response.status_code == 200
    page = response.content.decode()
    assert "第 3 行：所在区划代码 区划代码“999999”不存在。" in page
    assert "第 2 行：" not in page
    assert "文件中的数据均未导入" in page
    assert not OrgUnit.objects.filter(code__in=["N-1", "N-2"]).exists()


def test_it_refuses_a_town_clerks_unit_in_another_town(personas, login):
    client = login(personas.town_clerk)
    file = xlsx(
        UNIT_HEADERS,
        [unit_row(单位编码="T3-X", 单位名称="越界单位", 类别="承办单位", 承办单位类型="其他单位",
                  所在区划代码="331003001", 上级单位编码="T1-BSC")],
    )  # fmt: skip
    page = upload(client, "units", file).content.decode()
    assert "第 2 行：所在区划代码 区划“西山镇”（331003001）不在您的数据范围内。" in page
    assert not OrgUnit.objects.filter(code="T3-X").exists()


def test_it_refuses_to_update_a_code_outside_the_scope(personas, login):
    client = login(personas.town_clerk)
    file = xlsx(
        UNIT_HEADERS,
        [unit_row(单位编码="T3-ZF", 单位名称="改名", 类别="承办单位", 承办单位类型="其他单位",
                  所在区划代码="331002001")],
    )  # fmt: skip
    page = upload(client, "units", file).content.decode()
    assert "第 2 行：单位编码 “T3-ZF”已被您数据范围以外的“西山镇人民政府”使用" in page
    assert OrgUnit.objects.get(code="T3-ZF").name == "西山镇人民政府"


def test_it_reports_every_bad_row_with_its_reason(personas, login):
    client = login(personas.city_clerk)
    file = xlsx(
        UNIT_HEADERS,
        [
            unit_row(单位编码="N-1", 单位名称="", 类别="局", 所在区划代码="331000"),
            unit_row(单位编码="N-2", 单位名称="新单位", 类别="承办单位", 所在区划代码="331000",
                     联系电话="电话"),
            unit_row(单位编码="N-3", 单位名称="新单位", 类别="工作委员会", 所在区划代码="331000",
                     上级单位编码="N-4"),
            unit_row(单位编码="N-4", 单位名称="新单位", 类别="工作委员会", 所在区划代码="331000",
                     上级单位编码="NOPE"),
            unit_row(单位编码="N-4", 单位名称="新单位", 类别="工作委员会", 所在区划代码="331000"),
            unit_row(单位编码="N-5", 单位名称="新单位", 类别="工作委员会", 所在区划代码="331000",
                     上级单位编码="N-1"),
        ],
    )  # fmt: skip
    page = upload(client, "units", file).content.decode()
    assert "第 2 行：单位名称 不能为空。" in page
    assert "第 2 行：类别 “局”不是有效选项，应为：人大常委会" in page
    assert "第 3 行：承办单位类型 承办单位必须填写承办单位类型。" in page
    assert "第 3 行：联系电话 “电话”不是有效的电话号码。" in page
    assert "第 4 行：上级单位编码 “N-4”在第 5 行，上级须写在下级之前。" in page
    assert "第 5 行：上级单位编码 单位编码“NOPE”不存在。" in page
    assert "第 6 行：单位编码 “N-4”与第 5 行重复。" in page
    assert "第 7 行：上级单位编码 “N-1”所在的第 2 行有错误。" in page
    assert not OrgUnit.objects.filter(code__startswith="N-").exists()


def test_it_reports_a_station_kind_that_does_not_fit_its_parent(personas, login):
    client = login(personas.city_clerk)
    file = xlsx(
        STATION_HEADERS,
        [
            station_row(站点编码="S-X", 站点名称="错层级", 层级="联络点", 所在区划代码="331002001",
                        主管人大编码="T1-GW", 上级站点编码="S"),
            station_row(站点编码="S-Y", 站点名称="无上级", 层级="联络站", 所在区划代码="331002001",
                        主管人大编码="C-ZF"),
            station_row(站点编码="S-T1", 站点名称="东湖街道代表联络站", 层级="联络点",
                        所在区划代码="331002001", 主管人大编码="T1-GW", 上级站点编码="S"),
        ],
    )  # fmt: skip
    page = upload(client, "stations", file).content.decode()
    assert "第 2 行：层级 “示例市代表联络总站”（总站）下不能设联络点。" in page
    assert "第 3 行：主管人大编码 “示例市人民政府”不是人大常委会" in page
    assert "第 4 行：层级 “示例市代表联络总站”（总站）下不能设联络点。" in page
    assert "第 4 行：层级 已有下级站点，不能修改层级。" in page
    assert Station.objects.get(code="S-T1").kind == "station"


def test_it_refuses_to_move_a_node_to_another_parent(personas, login):
    client = login(personas.city_clerk)
    file = xlsx(
        UNIT_HEADERS,
        [unit_row(单位编码="T1-BSC", 单位名称="东湖街道办事处", 类别="承办单位",
                  承办单位类型="乡镇政府/街道办事处", 所在区划代码="331002001", 上级单位编码="")],
    )  # fmt: skip
    page = upload(client, "units", file).content.decode()
    assert "第 2 行：上级单位编码 不能通过导入调整上级（现为“C-ZF”）" in page


def test_it_reports_a_database_conflict_as_a_row_error(personas, login, monkeypatch):
    # Another clerk inserting the same code between our check and our INSERT: a real failed
    # INSERT, which on PostgreSQL aborts the transaction unless the row had its savepoint.
    def conflicting_create(*, code, name, region):
        return Grid.objects.create(code="G-T1-01", name=name, region=region)

    monkeypatch.setattr("renda.org.transfer.grid_create", conflicting_create)
    client = login(personas.city_clerk)
    file = xlsx(GRID_HEADERS, [["G-A", "甲", "331002001"], ["G-B", "乙", "331002001"]])
    response = upload(client, "grids", file)
    assert response.status_code == 200
    page = response.content.decode()
    assert "第 2 行：网格编码 与已有数据冲突" in page
    assert "第 3 行：网格编码 与已有数据冲突" in page


def test_it_reports_missing_required_columns(personas, login):
    client = login(personas.city_clerk)
    file = xlsx(["单位编码", "单位名称"], [["N-1", "新单位"]])
    response = upload(client, "units", file)
    assert response.status_code == 200
    assert "缺少必需的列：类别、所在区划代码。" in response.content.decode()


@pytest.mark.parametrize(
    "file,message",
    [
        (SimpleUploadedFile("data.xlsx", b"this is not a spreadsheet"), "不是有效的 Excel"),
        (SimpleUploadedFile("data.csv", b"a,b\n1,2\n"), "只能导入 Excel 文件（.xlsx）"),
        (SimpleUploadedFile("data.xlsx", b""), "上传的文件是空的。"),
        (SimpleUploadedFile("data.xlsx", b"PK\x03\x04broken zip"), "不是有效的 Excel"),
    ],
)
def test_it_shows_a_message_for_a_file_that_is_not_xlsx(personas, login, file, message):
    client = login(personas.city_clerk)
    response = upload(client, "units", file)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'type="file"' in response.content.decode()  # the form is shown again


def test_it_shows_a_message_for_a_sheet_with_only_a_header(personas, login):
    client = login(personas.city_clerk)
    response = upload(client, "grids", xlsx(GRID_HEADERS, []))
    assert "文件中没有数据行" in response.content.decode()


def test_it_refuses_more_than_5000_rows(personas, login):
    client = login(personas.city_clerk)
    rows = [[f"G-{i}", f"网格{i}", "331002001"] for i in range(5001)]
    response = upload(client, "grids", xlsx(["网格编码", "网格名称", "所属区划代码"], rows))
    assert "文件超过 5000 行数据，请分批导入。" in response.content.decode()
    assert not Grid.objects.filter(code="G-0").exists()


# --- who may do what ----------------------------------------------------------------------


def test_it_shows_the_page_with_all_four_cards_to_a_clerk(personas, login):
    response = login(personas.city_clerk).get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    for title in ("组织单位", "联络站", "网格", "代表"):
        assert f'<h2 class="h6 mb-0">{title}</h2>' in page
    assert reverse("deputies:transfer_export") in page
    assert reverse("deputies:transfer_import") in page
    assert "正在导入…" in page
    assert page.count('type="file"') == 4


def test_it_lets_the_leader_export_but_not_import(personas, login):
    client = login(personas.leader)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert 'type="file"' not in page.content.decode()
    assert client.get(export_url("units")).status_code == 200
    before = snapshot()
    content = client.get(export_url("grids")).content
    response = client.post(PAGE, {"kind": "grids", "file": SimpleUploadedFile("g.xlsx", content)})
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("who", ["unit_handler", "deputy", "citizen"])
def test_it_forbids_export_and_import_to_others(personas, login, who):
    client = login(getattr(personas, who))
    assert client.get(PAGE).status_code == 403
    for kind in ("units", "stations", "grids"):
        assert client.get(export_url(kind)).status_code == 403
    file = xlsx(GRID_HEADERS, [["G-X", "网格", "331002001", "", ""]])
    assert client.post(PAGE, {"kind": "grids", "file": file}).status_code == 403
    assert not Grid.objects.filter(code="G-X").exists()


def test_it_sends_anonymous_users_to_log_in(client, personas):
    assert client.get(export_url("units")).status_code == 302
    assert client.post(PAGE, {"kind": "units"}).status_code == 302
