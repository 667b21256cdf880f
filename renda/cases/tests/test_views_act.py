"""The action endpoint (/cases/<code>/act/<action>/): each form calls its service; conflicts,
bad input and refusals are answered in Chinese and change nothing."""

import pytest

from renda.cases.models import Case, CaseEvent
from renda.cases.services import case_reply
from renda.cases.tests.helpers import accepted, handling_by_town, submit, tier


def _act(client, case, action, **data):
    data.setdefault("version", case.version)
    return client.post(f"/cases/{case.code}/act/{action}/", data)


def _unchanged(case):
    before = (case.state, case.version, case.events.count())
    case.refresh_from_db()
    assert (case.state, case.version, case.events.count()) == before


def test_it_accepts_a_case_and_redirects_with_a_message(personas, login):
    case = submit(personas)
    client = login(personas.town_clerk)
    response = _act(client, case, "accept", note="属实，予以受理")
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.code}/"
    page = client.get(response["Location"])
    assert "已受理。" in page.text
    case.refresh_from_db()
    assert case.state == Case.State.ACCEPTED
    assert case.events.last().note == "属实，予以受理"


def test_it_assigns_with_co_units_through_the_form(personas, login, county_unit):
    case = accepted(personas)
    client = login(personas.county_clerk)
    response = _act(client, case, "escalate", note="涉及全区")
    assert response.status_code == 302
    case.refresh_from_db()
    page = client.get(f"/cases/{case.code}/")
    assert "东湖区住房和城乡建设局" in page.text  # offered as a lead unit
    assert "示例市住房和城乡建设局" not in page.text  # the city's, not the county's
    response = _act(
        client,
        case,
        "assign",
        lead_unit=county_unit.pk,
        co_units=[personas.units["town_gov"].pk],
        urgency=tier("紧急").pk,
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == Case.State.ASSIGNED
    assert [(a.unit, a.role) for a in case.assignments.all()] == [
        (county_unit, "lead"),
        (personas.units["town_gov"], "co"),
    ]


def test_it_shows_the_conflict_message_when_the_case_moved_on(personas, login):
    case = submit(personas)
    stale = case.version
    client = login(personas.town_clerk)
    assert _act(client, case, "accept").status_code == 302
    case.refresh_from_db()
    response = _act(client, case, "reject", reason="重复提交", version=stale)
    assert response.status_code == 409
    assert "该事项已被他人处理（版本已变化），请刷新后重试。" in response.text
    assert f'href="/cases/{case.code}/">刷新页面' in response.text
    _unchanged(case)
    assert case.state == Case.State.ACCEPTED


def test_it_shows_a_bad_form_with_the_message_and_changes_nothing(personas, login):
    case = submit(personas)
    client = login(personas.town_clerk)
    response = _act(client, case, "reject", reason="   ")
    assert response.status_code == 400
    assert "请填写不予受理理由。" in response.text
    assert 'id="act-reject"' in response.text and 'collapse show" id="act-reject"' in response.text
    _unchanged(case)
    response = _act(client, case, "reject", reason="x" * 501)
    assert "不予受理理由不能超过500字。" in response.text
    _unchanged(case)


def test_it_puts_a_services_error_next_to_its_field(personas, login):
    case = submit(personas)
    client = login(personas.town_clerk)
    response = _act(client, case, "merge", merged_into=case.code)
    assert response.status_code == 400
    assert "不能将事项合并到其自身。" in response.text
    response = _act(client, case, "merge", merged_into="MQ2026-999999")
    assert "未找到编号为“MQ2026-999999”的事项，或您无权查看。" in response.text
    _unchanged(case)


def test_it_refuses_a_merge_into_a_case_the_clerk_cannot_see(personas, login):
    case = submit(personas)
    hidden = submit(personas, region=personas.regions["other_village"], grid=None)
    response = _act(login(personas.town_clerk), case, "merge", merged_into=hidden.code)
    assert response.status_code == 400
    assert "或您无权查看" in response.text
    _unchanged(case)


def test_it_merges_a_duplicate(personas, login):
    original = submit(personas)
    duplicate = submit(personas, title="湖滨路路灯又不亮")
    client = login(personas.town_clerk)
    assert _act(client, duplicate, "merge", merged_into=original.code).status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == original
    page = client.get(f"/cases/{original.code}/")
    assert duplicate.code in page.text  # listed among the merged cases


def test_it_refuses_the_read_only_leader_with_the_reason(personas, login):
    case = submit(personas)
    response = _act(login(personas.leader), case, "accept")
    assert response.status_code == 403
    assert "您无权对该事项执行“受理”操作。" in response.text
    _unchanged(case)


def test_it_refuses_an_action_the_state_does_not_allow(personas, login):
    case = submit(personas)
    response = _act(login(personas.town_clerk), case, "sign")
    assert response.status_code == 403
    assert "该事项当前状态为“待受理”，不能签收。" in response.text
    _unchanged(case)


def test_it_refuses_a_key_supervision_by_a_clerk(personas, login):
    case = accepted(personas)
    response = _act(login(personas.town_clerk), case, "supervise", supervision="key")
    assert response.status_code == 403
    assert "重点督办和领办须由具有重点督办权限的领导决定。" in response.text
    _unchanged(case)


def test_it_lets_the_leader_lead_a_key_supervision(personas, login):
    case = accepted(personas)
    response = _act(
        login(personas.leader),
        case,
        "supervise",
        supervision="key",
        lead_leader=personas.leader.pk,
        note="请街道重点跟进",
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.supervision == Case.Supervision.KEY
    assert case.lead_leader == personas.leader


def test_it_hides_the_endpoint_from_an_outsider(personas, login):
    case = submit(personas)
    response = _act(login(personas.other_town_clerk), case, "accept")
    assert response.status_code == 404
    _unchanged(case)


def test_it_answers_unknown_actions_and_gets(personas, login):
    case = submit(personas)
    client = login(personas.town_clerk)
    assert _act(client, case, "delete").status_code == 404
    assert _act(client, case, "close_unrated").status_code == 404
    assert client.get(f"/cases/{case.code}/act/accept/").status_code == 405


def test_it_asks_to_reload_when_the_version_is_missing(personas, login):
    case = submit(personas)
    response = login(personas.town_clerk).post(
        f"/cases/{case.code}/act/reject/", {"reason": "重复"}
    )
    assert response.status_code == 400
    assert "页面信息不完整，请刷新后重试。" in response.text
    _unchanged(case)


def test_it_runs_the_handling_units_side(personas, login, town_handler):
    case = handling_by_town(personas, town_handler)
    client = login(town_handler)
    response = _act(client, case, "extend_request", days="999", reason="需要协调")
    assert response.status_code == 400
    assert "延期天数应为 1 到 30 个工作日。" in response.text
    response = _act(client, case, "extend_request", days="abc", reason="需要协调")
    assert "延期天数须为整数。" in response.text
    _unchanged(case)
    response = _act(client, case, "reply", result_class="bogus", reply="已修复")
    assert "请选择办理结果（已解决、列入计划或解释说明）。" in response.text
    _unchanged(case)
    response = _act(client, case, "reply", result_class="solved", reply="已更换路灯。")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == Case.State.REPLIED
    assert case.reply == "已更换路灯。"


def test_it_lets_the_submitter_rate_and_reopens_when_unsatisfied(personas, login, town_handler):
    case = handling_by_town(personas, town_handler)
    case = case_reply(
        case=case, actor=town_handler, version=case.version, result_class="solved", reply="已修"
    )
    client = login(personas.citizen)
    response = _act(client, case, "rate", rating="")
    assert response.status_code == 400
    assert "请选择满意、基本满意或不满意。" in response.text
    response = _act(client, case, "rate", rating="unsatisfied", note="仍然不亮")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == Case.State.HANDLING
    assert case.unsatisfied_count == 1
    page = login(personas.town_clerk).get(f"/cases/{case.code}/")
    assert "重办（不满意）" in page.text
    assert "仍然不亮" in page.text
    assert "李群众" in page.text
    # The leader reads the timeline with the citizen's name masked.
    page = login(personas.leader).get(f"/cases/{case.code}/")
    assert "李**" in page.text
    assert "李群众" not in page.text


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("reject", {"reason": "不属于人大职责范围"}),
        ("accept", {}),
    ],
)
def test_it_records_one_event_per_action(personas, login, action, data):
    case = submit(personas)
    before = CaseEvent.objects.filter(case=case).count()
    assert _act(login(personas.town_clerk), case, action, **data).status_code == 302
    assert CaseEvent.objects.filter(case=case).count() == before + 1
