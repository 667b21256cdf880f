"""/p/submit/: an anonymous citizen's opinion, end to end; bad input changes nothing."""

import pytest

from renda.cases.models import Attachment, Case
from renda.portal.tests.conftest import JPEG, PDF, PNG, VOTER_PHONE, form_data, jpeg


def test_it_shows_the_form_with_a_fresh_idempotency_key(client, personas):
    first = client.get("/p/submit/")
    assert first.status_code == 200
    assert "我要反映" in first.text
    assert "同意公开（个人信息将隐去）" in first.text
    assert "东湖街道" in first.text and "西山镇" in first.text
    key = first.context["form"]["idempotency_key"].value()
    assert key and key != client.get("/p/submit/").context["form"]["idempotency_key"].value()
    assert "renda-topbar" not in first.text  # no staff frame


def test_it_takes_an_anonymous_submission_end_to_end(client, personas):
    data = form_data(personas, photos=[jpeg(), jpeg("scan.pdf", PDF)])
    response = client.post("/p/submit/", data, follow=True)
    assert response.status_code == 200
    case = Case.objects.get()
    assert case.code in response.text
    assert "请记住您的查询码" in response.text
    assert f"/p/track/{case.code}/" in response.text
    assert case.channel == Case.Channel.PORTAL
    assert case.submitter is None
    assert (case.submitter_name, case.submitter_phone) == ("王五", VOTER_PHONE)
    assert case.region == personas.regions["village"]
    assert case.grid == personas.grids["town"]
    assert case.is_public
    assert str(case.latitude) == "30.274085"
    assert case.congress == personas.units["town"]
    kinds = sorted(case.attachments.values_list("content_type", "original_name"))
    assert kinds == [("application/pdf", "scan.pdf"), ("image/jpeg", "photo.jpg")]


def test_it_creates_one_case_for_a_double_submission(client, personas):
    first = client.post("/p/submit/", form_data(personas, photos=[jpeg()]))
    again = client.post("/p/submit/", form_data(personas, photos=[jpeg()]))
    case = Case.objects.get()
    assert first["Location"] == again["Location"] == f"/p/submitted/{case.code}/"
    assert Attachment.objects.filter(case=case).count() == 1


def test_it_prefills_and_keeps_a_logged_in_citizen(personas, login):
    personas.citizen.phone = "13700001111"
    personas.citizen.save(update_fields=["phone"])
    client = login(personas.citizen)
    form = client.get("/p/submit/").context["form"]
    assert form["submitter_name"].value() == "李群众"
    assert form["submitter_phone"].value() == "13700001111"
    response = client.post(
        "/p/submit/", form_data(personas, submitter_name="", submitter_phone="", village="")
    )
    case = Case.objects.get()
    assert response["Location"] == f"/p/submitted/{case.code}/"
    assert case.submitter == personas.citizen
    assert case.region == personas.regions["town"]
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"submitter_phone": "12345"}, "submitter_phone", "请填写正确的11位手机号码"),
        ({"submitter_phone": ""}, "submitter_phone", "请填写手机号码"),
        ({"submitter_name": ""}, "submitter_name", "请填写您的姓名"),
        ({"title": "  "}, "title", "请填写标题"),
        ({"content": "很" * 5001}, "content", "具体内容不能超过5000字"),
        ({"latitude": "北纬30度"}, "latitude", "纬度必须是数字"),
        ({"longitude": "200"}, "longitude", "经度应在 -180 到 180 之间"),
        ({"longitude": ""}, "longitude", "经纬度须同时填写"),
        ({"town": "", "village": "", "grid": ""}, "town", "请选择所在镇（街道）"),
        ({"category": ""}, "category", "请选择分类"),
        ({"idempotency_key": ""}, None, "页面已过期"),
    ],
)
def test_it_refuses_bad_input_in_chinese(client, personas, overrides, field, message):
    response = client.post("/p/submit/", form_data(personas, **overrides))
    assert response.status_code == 200
    assert message in response.text
    if field:
        assert message in " ".join(response.context["form"].errors[field])
    assert not Case.objects.exists()


def test_it_refuses_a_village_or_grid_of_another_town(client, personas):
    response = client.post(
        "/p/submit/", form_data(personas, village=personas.regions["other_village"].pk)
    )
    assert "不在该镇（街道）内" in response.text
    response = client.post("/p/submit/", form_data(personas, grid=personas.grids["other_town"].pk))
    assert "所选网格不在该区域内" in response.text
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([jpeg("photo.jpg", b"this is only text, not a photo")], "不是有效的"),
        ([jpeg("photo.pdf", JPEG)], "扩展名与内容不符"),
        ([jpeg("page.html", PNG)], "扩展名与内容不符"),
        ([jpeg("big.jpg", JPEG + b"\x00" * (11 * 1024 * 1024))], "超过单个文件10 MB的上限"),
        ([jpeg(f"p{i}.jpg") for i in range(10)], "每件最多上传9个附件"),
        ([jpeg("empty.jpg", b"")], "空文件"),
    ],
)
def test_it_refuses_bad_files_and_stores_nothing(client, personas, media, files, message):
    response = client.post("/p/submit/", form_data(personas, photos=files))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["photos"])
    assert message in response.text
    assert not Case.objects.exists()
    assert not Attachment.objects.exists()
    assert not media.exists() or not any(media.rglob("*.*"))


def test_it_escapes_html_in_the_submitted_text(client, personas):
    response = client.post(
        "/p/submit/", form_data(personas, title="<script>alert(1)</script>"), follow=True
    )
    case = Case.objects.get()
    assert case.title == "<script>alert(1)</script>"
    page = client.get(f"/p/track/{case.code}/")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert response.status_code == 200


def test_it_serves_the_village_and_grid_selects_for_a_town(client, personas):
    response = client.get(f"/p/places/?town={personas.regions['town'].pk}")
    assert "湖滨社区" in response.text
    assert "湖滨第一网格" in response.text
    assert "西山村" not in response.text
    other = client.get(f"/p/places/?town={personas.regions['other_town'].pk}")
    assert "西山村" in other.text and "湖滨社区" not in other.text
    assert client.get("/p/places/?town=abc").status_code == 200


def test_it_refuses_someone_elses_key_above_the_form(client, personas, login):
    client.post("/p/submit/", form_data(personas))
    response = login(personas.citizen).post("/p/submit/", form_data(personas))
    assert "该提交标识已被使用" in " ".join(response.context["form"].non_field_errors())
    assert "该提交标识已被使用" in response.text
    assert Case.objects.count() == 1


def test_it_asks_recording_staff_for_the_callers_phone(personas, login):
    response = login(personas.town_clerk).post(
        "/p/submit/", form_data(personas, submitter_phone="")
    )
    assert "请填写手机号码" in " ".join(response.context["form"].errors["submitter_phone"])
    assert not Case.objects.exists()
