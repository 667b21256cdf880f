"""The one-click actions of the triage page: 采用 a category (accept), 采用 a unit (accept
and assign), 合并 into a duplicate; each through the case services, version-checked."""

import pytest
from django.urls import reverse

from renda.cases.models import Assignment, Case
from renda.cases.services import case_merge
from renda.cases.tests.helpers import accepted, category, submit, tier
from renda.triage.tests.test_duplicates import COPY, ORIGINAL


def _post(client, case, action: str, **data):
    return client.post(reverse(f"triage:{action}", args=[case.code]), data)


def test_adopting_a_category_accepts_the_case_with_it(personas, login):
    case = submit(personas)
    client = login(personas.town_clerk)
    response = _post(client, case, "accept", version=case.version, category=category("交通运输").pk)
    assert response.status_code == 302
    assert response["Location"] == reverse("triage:page", args=[case.code])
    case.refresh_from_db()
    assert case.state == Case.State.ACCEPTED and case.category.name == "交通运输"
    event = case.events.last()
    assert event.action == "accept" and event.note == "采用智能分办建议"


def test_adopting_a_unit_accepts_and_assigns_in_one_click(personas, login):
    case = submit(personas)
    client = login(personas.town_clerk)
    unit = personas.units["town_gov"]
    response = _post(
        client, case, "assign", version=case.version, lead_unit=unit.pk, urgency=tier("一般").pk
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.code])
    case.refresh_from_db()
    assert case.state == Case.State.ASSIGNED
    assert [e.action for e in case.events.all()] == ["submit", "accept", "assign"]
    assert Assignment.objects.get(case=case).unit == unit


def test_adopting_a_unit_on_an_accepted_case_assigns_it(personas, login):
    case = accepted(personas)
    client = login(personas.county_clerk)
    unit = personas.units["town_gov"]
    _post(client, case, "assign", version=case.version, lead_unit=unit.pk, urgency=tier("紧急").pk)
    case.refresh_from_db()
    assert case.state == Case.State.ASSIGNED and case.urgency.name == "紧急"


def test_a_unit_outside_the_jurisdiction_is_refused_in_chinese(personas, login):
    case = accepted(personas)
    response = _post(
        login(personas.town_clerk),
        case,
        "assign",
        version=case.version,
        lead_unit=personas.units["other_town_gov"].pk,
        urgency=tier("一般").pk,
    )
    assert response.status_code == 400
    assert "所选主办单位不在可选范围内" in response.content.decode()
    case.refresh_from_db()
    assert case.state == Case.State.ACCEPTED


def test_merging_into_a_duplicate_takes_one_click(personas, login):
    original = accepted(personas, **ORIGINAL)
    copy = submit(personas, **COPY)
    client = login(personas.town_clerk)
    response = _post(client, copy, "merge", version=copy.version, merged_into=original.code)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[original.code])
    copy.refresh_from_db()
    assert copy.state == Case.State.MERGED and copy.merged_into == original
    assert copy.events.last().note == "智能分办：疑似重复，一键合并"


@pytest.mark.parametrize("action", ["accept", "merge", "assign"])
def test_a_stale_page_gets_a_conflict_message(personas, login, action):
    original = accepted(personas, **ORIGINAL)
    case = submit(personas, **COPY)
    stale = case.version
    client = login(personas.town_clerk)
    # Someone else corrected the case meanwhile (here: accepted it).
    from renda.cases.services import case_accept

    case_accept(case=case, actor=personas.county_clerk, version=case.version)
    data = {
        "accept": {"category": category("交通运输").pk},
        "merge": {"merged_into": original.code},
        "assign": {"lead_unit": personas.units["town_gov"].pk, "urgency": tier("一般").pk},
    }[action]
    response = _post(client, case, action, version=stale, **data)
    assert response.status_code == 409
    assert "该事项已被他人处理（版本已变化），请刷新后重试。" in response.content.decode()
    case.refresh_from_db()
    assert case.state == Case.State.ACCEPTED and case.version == stale + 1


def test_a_second_merge_of_the_same_case_lands_on_the_case_page_with_the_message(personas, login):
    original = accepted(personas, **ORIGINAL)
    copy = submit(personas, **COPY)
    stale = copy.version
    case_merge(case=copy, actor=personas.county_clerk, version=stale, into=original)
    client = login(personas.town_clerk)
    response = _post(client, copy, "merge", version=stale, merged_into=original.code)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[copy.code])
    page = client.get(response["Location"]).content.decode()
    assert "该事项已被他人处理（版本已变化），请刷新后重试。" in page


def test_merging_into_a_closed_case_is_refused_in_chinese(personas, login):
    original = accepted(personas, **ORIGINAL)
    Case.objects.filter(pk=original.pk).update(state=Case.State.REJECTED, reject_reason="重复")
    copy = submit(personas, **COPY)
    response = _post(
        login(personas.town_clerk), copy, "merge", version=copy.version, merged_into=original.code
    )
    assert response.status_code == 400
    assert "只能合并到未办结的事项" in response.content.decode()


@pytest.mark.parametrize("persona", ["other_town_clerk", "unit_handler", "deputy"])
def test_outsiders_cannot_act(personas, login, persona):
    case = submit(personas)
    response = _post(
        login(personas.users[persona]), case, "accept", version=case.version, category=""
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == Case.State.SUBMITTED


@pytest.mark.parametrize("persona", ["leader", "citizen"])
def test_readers_cannot_act(personas, login, persona):
    case = submit(personas)
    response = _post(login(personas.users[persona]), case, "merge", version=case.version)
    assert response.status_code == 403


def test_get_is_not_allowed(personas, login):
    case = submit(personas)
    assert (
        login(personas.town_clerk).get(reverse("triage:merge", args=[case.code])).status_code == 405
    )
