"""Excel export and import of deputies (/deputies/transfer/…)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from renda.deputies.models import Deputy, GridAssignment, Seat, StationMembership
from renda.deputies.transfer import DEPUTY_HEADERS

EXPORT = reverse("deputies:transfer_export")
IMPORT = reverse("deputies:transfer_import")


def xlsx(rows, *, headers=DEPUTY_HEADERS) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("代表.xlsx", buffer.getvalue())


def deputy_row(**values) -> list[str]:
    row = dict.fromkeys(DEPUTY_HEADERS, "")
    row.update(values)
    return [row[h] for h in DEPUTY_HEADERS]


def sheet_rows(content: bytes) -> dict[str, list[str]]:
    """Rows by deputy name."""
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    assert tuple(rows[0]) == DEPUTY_HEADERS
    return {r[0]: r for r in rows[1:]}


def snapshot():
    return (
        list(Deputy.objects.order_by("pk").values()),
        list(Seat.objects.order_by("pk").values()),
        list(StationMembership.objects.order_by("pk").values()),
        list(GridAssignment.objects.order_by("pk").values()),
    )


def test_it_exports_deputies_with_seats_stations_and_grids(personas, login):
    response = login(personas.city_clerk).get(EXPORT)
    assert response.status_code == 200
    assert "filename*=UTF-8''%E4%BB%A3%E8%A1%A8" in response["Content-Disposition"]
    rows = sheet_rows(response.content)
    assert set(rows) == {"张代表", "王西山", "赵市代"}
    assert rows["张代表"] == [
        "张代表",
        "男",
        "13900001001",
        "湖滨社区",
        "书记",
        "社区",
        "D1-RD:8:东湖街道第一选区；T1-GW:1:湖滨选区",
        "S-T1",
        "G-T1-01",
    ]


def test_it_exports_only_what_lies_in_the_town_clerks_scope(personas, login):
    rows = sheet_rows(login(personas.town_clerk).get(EXPORT).content)
    assert set(rows) == {"张代表"}
    # The county seat is outside the town's scope, so it is neither shown nor re-imported.
    assert rows["张代表"][6] == "T1-GW:1:湖滨选区"


def test_it_masks_phones_in_the_leaders_export_only(personas, login):
    leader = sheet_rows(login(personas.leader).get(EXPORT).content)
    assert leader["张代表"][2] == "139****1001"
    clerk = sheet_rows(login(personas.city_clerk).get(EXPORT).content)
    assert clerk["张代表"][2] == "13900001001"


@pytest.mark.parametrize("who", ["city_clerk", "town_clerk"])
def test_it_round_trips_an_export(personas, login, who):
    client = login(getattr(personas, who))
    content = client.get(EXPORT).content
    count = len(sheet_rows(content))
    before = snapshot()
    response = client.post(IMPORT, {"file": SimpleUploadedFile("d.xlsx", content)}, follow=True)
    assert f"已导入 {count} 行：新增 0，更新 {count}。" in response.content.decode()
    assert snapshot() == before


def test_it_creates_a_deputy_and_updates_another(personas, login):
    client = login(personas.town_clerk)
    file = xlsx(
        [
            deputy_row(姓名="张代表", 性别="男", 手机号=13900001001, 工作单位="湖滨社区",
                       职务="主任"),
            deputy_row(姓名="陈新", 性别="女", 手机号="13900004004", 工作单位="东湖小学",
                       界别="社区", 代表资格="T1-GW:第1届:东湖选区", 进站="S-T1；S-T1-1",
                       进网格="G-T1-01"),
        ]
    )  # fmt: skip
    response = client.post(IMPORT, {"file": file}, follow=True)
    assert "已导入 2 行：新增 1，更新 1。" in response.content.decode()
    assert Deputy.objects.get(phone="13900001001").post == "主任"
    new = Deputy.objects.get(phone="13900004004")
    assert new.gender == "female"
    assert new.sector.name == "社区"
    assert new.seats.get().constituency == "东湖选区"
    assert set(new.station_memberships.values_list("station__code", flat=True)) == {
        "S-T1",
        "S-T1-1",
    }
    assert new.grid_assignments.get().grid == personas.grids["town"]


def test_it_imports_nothing_when_one_row_is_bad(personas, login):
    client = login(personas.city_clerk)
    file = xlsx(
        [
            deputy_row(姓名="陈新", 性别="女", 手机号="13900004004", 代表资格="C-RD:17"),
            deputy_row(姓名="李四", 性别="男", 手机号="1390000500", 代表资格="NOPE:17"),
            deputy_row(姓名="王五", 性别="未知", 手机号="13900006006", 代表资格="C-RD:18",
                       界别="外星", 进站="S-NONE"),
            deputy_row(姓名="赵六", 性别="男", 手机号="13900004004", 代表资格="C-RD:17"),
            deputy_row(姓名="钱七", 性别="男", 手机号="13900007007"),
        ]
    )  # fmt: skip
    response = client.post(IMPORT, {"file": file})
    assert response.status_code == 200
    page = response.content.decode()
    assert "第 2 行：" not in page
    assert "第 3 行：手机号 “1390000500”应为 11 位数字的手机号码。" in page
    assert "第 3 行：代表资格 人大编码“NOPE”不存在。" in page
    assert "第 4 行：性别 “未知”不是有效选项，应为：男、女。" in page
    assert "第 4 行：代表资格 “示例市人大常委会”没有第 18 届。" in page
    assert "第 4 行：界别 “外星”不在界别字典中" in page
    assert "第 4 行：进站 站点编码“S-NONE”不存在。" in page
    assert "第 5 行：手机号 “13900004004”与第 2 行重复。" in page
    assert "第 6 行：代表资格 新增代表至少填写一项代表资格" in page
    assert not Deputy.objects.filter(name__in=["陈新", "李四", "王五", "赵六", "钱七"]).exists()


def test_it_refuses_seats_stations_and_deputies_outside_the_scope(personas, login):
    client = login(personas.town_clerk)
    file = xlsx(
        [
            deputy_row(姓名="陈新", 性别="女", 手机号="13900004004", 代表资格="C-RD:17",
                       进站="S-T3", 进网格="G-T3-01"),
            deputy_row(姓名="王西山", 性别="女", 手机号="13900002002", 工作单位="西山村"),
        ]
    )  # fmt: skip
    page = client.post(IMPORT, {"file": file}).content.decode()
    assert "第 2 行：代表资格 “示例市人大常委会”（C-RD）不在您的数据范围内。" in page
    assert "第 2 行：进站 站点“西山镇代表联络站”（S-T3）不在您的数据范围内。" in page
    assert "第 2 行：进网格 网格“西山第一网格”（G-T3-01）不在您的数据范围内。" in page
    assert "第 3 行：手机号 “13900002002”已登记在您数据范围以外的代表名下" in page
    assert not Deputy.objects.filter(name="陈新").exists()


def test_it_shows_a_message_for_a_file_that_is_not_xlsx(personas, login):
    client = login(personas.city_clerk)
    file = SimpleUploadedFile("代表.xlsx", "姓名,性别\n张三,男\n".encode())
    response = client.post(IMPORT, {"file": file})
    assert response.status_code == 200
    page = response.content.decode()
    assert "文件不是有效的 Excel（.xlsx）文件" in page
    assert 'id="transfer-deputies"' in page


def test_it_lets_the_leader_export_but_not_import(personas, login):
    client = login(personas.leader)
    assert client.get(EXPORT).status_code == 200
    file = xlsx([deputy_row(姓名="陈新", 性别="女", 手机号="13900004004", 代表资格="C-RD:17")])
    assert client.post(IMPORT, {"file": file}).status_code == 403
    assert not Deputy.objects.filter(name="陈新").exists()


@pytest.mark.parametrize("who", ["unit_handler", "deputy", "citizen"])
def test_it_forbids_export_and_import_to_others(personas, login, who):
    client = login(getattr(personas, who))
    assert client.get(EXPORT).status_code == 403
    file = xlsx([deputy_row(姓名="陈新", 性别="女", 手机号="13900004004", 代表资格="C-RD:17")])
    assert client.post(IMPORT, {"file": file}).status_code == 403
    assert not Deputy.objects.filter(name="陈新").exists()
