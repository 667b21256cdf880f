"""/duty/rules/: everyone who may see deputies reads the rules; admins and congress clerks
change them, see the effect first, and are stopped before totals turn negative."""

import pytest

from renda.duty.models import PointEntry, PointRule
from renda.duty.tests.conftest import collected


def opinion_rule() -> PointRule:
    return PointRule.objects.get(name="收集民情意见")


def form(rule: PointRule, **changes) -> dict:
    data = {
        "name": rule.name,
        "source": rule.source,
        "attendance_status": rule.attendance_status,
        "activity_kind": rule.activity_kind_id or "",
        "case_kind": rule.case_kind,
        "points": str(rule.points),
        "valid_from": rule.valid_from.isoformat(),
        "valid_to": rule.valid_to.isoformat() if rule.valid_to else "",
        "basis": rule.basis,
        "save": "1",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("who", "status", "can_edit"),
    [
        ("admin", 200, True),
        ("city_clerk", 200, True),
        ("town_clerk", 200, True),
        ("station_clerk", 200, False),
        ("leader", 200, False),
        ("unit_handler", 403, False),
        ("deputy", 403, False),
        ("citizen", 403, False),
    ],
)
def test_who_reads_and_who_edits_rules(personas, login, who, status, can_edit):
    client = login(getattr(personas, who))
    response = client.get("/duty/rules/")
    assert response.status_code == status
    if status == 200:
        assert "参加接待日" in response.text
        assert ("新增规则" in response.text) is can_edit
    edit = client.get(f"/duty/rules/{opinion_rule().pk}/")
    assert edit.status_code == (200 if can_edit else 403)


def test_a_clerk_changes_a_value_and_the_ledger_follows(personas, login, on_commit):
    on_commit(collected, personas)
    client = login(personas.town_clerk)
    response = client.post(f"/duty/rules/{opinion_rule().pk}/", form(opinion_rule(), points="2"))
    assert response.status_code == 302
    followed = client.get(response["Location"])
    assert "新增明细 1 条，替代或作废 1 条，涉及 1 名代表" in followed.text
    assert PointEntry.objects.get(status="active").reason == "+2 分 收集民情意见 2026-09-15"
    assert "东湖街道工委干部" in followed.text  # the change log names who made it


def test_preview_keeps_nothing(personas, login, on_commit):
    on_commit(collected, personas)
    data = form(opinion_rule(), points="5")
    del data["save"]
    data["preview"] = "1"
    response = login(personas.admin).post(f"/duty/rules/{opinion_rule().pk}/", data)
    assert response.status_code == 200
    assert "将新增明细 1 条，替代或作废 1 条，涉及 1 名代表" in response.text
    assert opinion_rule().points == 1


def test_negative_totals_are_shown_before_saving(personas, login, on_commit):
    on_commit(collected, personas)
    client = login(personas.admin)
    url = f"/duty/rules/{opinion_rule().pk}/"
    response = client.post(url, form(opinion_rule(), points="-4"))
    assert response.status_code == 200
    assert "年度积分变为负数" in response.text
    assert 'data-testid="negatives"' in response.text and "张代表" in response.text
    assert opinion_rule().points == 1
    confirmed = client.post(url, form(opinion_rule(), points="-4", confirm_negative="on"))
    assert confirmed.status_code == 302
    assert opinion_rule().points == -4


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"valid_to": "2019-12-31"}, "失效日期不能早于生效日期"),
        ({"points": "abc"}, "输入一个数字"),
        ({"points": "999"}, "-100 到 100"),
        ({"valid_from": "2026-02-30"}, "有效的日期"),
        ({"name": ""}, "这个字段是必填项"),
    ],
)
def test_bad_input_gets_a_chinese_message(personas, login, changes, message):
    response = login(personas.admin).post(
        f"/duty/rules/{opinion_rule().pk}/", form(opinion_rule(), **changes)
    )
    assert response.status_code == 200
    assert message in response.text


def test_a_new_rule_that_overlaps_is_refused(personas, login):
    data = form(opinion_rule(), name="另一条民情规则", valid_from="2026-01-01")
    response = login(personas.admin).post("/duty/rules/new/", data)
    assert response.status_code == 200
    assert "有效期重叠" in response.text


def test_a_new_attendance_rule_needs_a_status(personas, login):
    data = {
        "name": "参加座谈",
        "source": "attendance",
        "attendance_status": "",
        "points": "1",
        "valid_from": "2026-01-01",
        "save": "1",
    }
    response = login(personas.admin).post("/duty/rules/new/", data)
    assert "须选择出勤情况" in response.text
    data["attendance_status"] = "attended"
    from renda.activities.models import ActivityKind

    data["activity_kind"] = ActivityKind.objects.get(code="forum").pk
    assert login(personas.admin).post("/duty/rules/new/", data).status_code == 302
    assert PointRule.objects.get(name="参加座谈").activity_kind.code == "forum"


def test_an_unknown_rule_is_404(personas, login):
    assert login(personas.admin).get("/duty/rules/999999/").status_code == 404


def test_the_admin_site_only_shows_points(personas, login, on_commit):
    on_commit(collected, personas)
    client = login(personas.admin)
    assert client.get("/admin/duty/pointentry/").status_code == 200
    assert "收集民情意见" in client.get("/admin/duty/pointrule/").text
    assert client.get("/admin/duty/pointrule/add/").status_code == 403
