"""/triage/reply-check/: the htmx fragment that lists what a draft reply lacks."""

import pytest
from django.urls import reverse

from renda.cases.tests.helpers import submit

URL = reverse("triage:reply_check")
GOOD = (
    "您反映的湖滨路北段路灯不亮问题，经街道城建办现场核查属实，已安排路灯维修公司于9月20日前"
    "更换三盏损坏灯具，由城建办负责人跟踪落实，感谢您的监督。"
)


def test_it_flags_a_short_reply(personas, login):
    case = submit(personas)
    response = login(personas.town_clerk).post(URL, {"code": case.code, "reply": "已收悉。"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "答复过于简短" in page and "缺少具体措施、责任单位或时间" in page
    assert "<html" not in page  # a fragment


def test_it_passes_a_concrete_reply(personas, login):
    case = submit(personas)
    response = login(personas.town_clerk).post(URL, {"code": case.code, "reply": GOOD})
    assert "答复检查通过" in response.content.decode()


def test_it_flags_an_unrelated_reply(personas, login):
    case = submit(personas)
    reply = "关于学校招生政策，教育局已于2026年3月发布通知，请家长按照通知要求准备材料并按时报名。"
    response = login(personas.town_clerk).post(URL, {"code": case.code, "reply": reply})
    assert "答复与留言内容关联度低" in response.content.decode()


def test_empty_and_odd_input_give_a_fragment(personas, login):
    case = submit(personas)
    client = login(personas.town_clerk)
    for reply in ["", "😀😀😀", "答" * 100_000]:
        assert client.post(URL, {"code": case.code, "reply": reply}).status_code == 200


@pytest.mark.parametrize("persona", ["other_town_clerk", "deputy"])
def test_a_case_outside_the_scope_is_404(personas, login, persona):
    case = submit(personas)
    response = login(personas.users[persona]).post(URL, {"code": case.code, "reply": GOOD})
    assert response.status_code == 404


def test_an_unknown_code_is_404_and_get_is_refused(personas, login):
    client = login(personas.town_clerk)
    assert client.post(URL, {"code": "nope", "reply": GOOD}).status_code == 404
    assert client.get(URL).status_code == 405
