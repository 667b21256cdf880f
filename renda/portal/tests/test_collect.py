"""/p/collect/ and /p/collected/: a deputy records voters' opinions and rates the answers."""

from renda.cases.models import Case
from renda.cases.services import case_accept, case_assign, case_reply, case_sign
from renda.cases.tests.helpers import tier
from renda.portal.tests.conftest import VOTER_PHONE, form_data


def test_it_records_a_voters_opinion_for_a_deputy(personas, login):
    client = login(personas.deputy)
    form = client.get("/p/collect/")
    assert form.status_code == 200
    assert "选民手机号码" in form.text
    assert form.context["form"]["submitter_name"].value() in (None, "")
    response = client.post("/p/collect/", form_data(personas, submitter_name="赵选民"))
    case = Case.objects.get()
    assert response["Location"] == f"/p/submitted/{case.code}/"
    assert case.channel == Case.Channel.DEPUTY
    assert case.collected_by == personas.deputies["deputy"]
    assert case.submitter is None
    assert (case.submitter_name, case.submitter_phone) == ("赵选民", VOTER_PHONE)
    listed = client.get("/p/collected/")
    assert case.code in listed.text and "湖滨路路灯不亮" in listed.text


def test_it_requires_the_voters_name_and_phone(personas, login):
    client = login(personas.deputy)
    response = client.post(
        "/p/collect/", form_data(personas, submitter_name="", submitter_phone="")
    )
    assert "请填写选民姓名" in response.text
    assert "请填写选民手机号码" in response.text
    assert not Case.objects.exists()


def test_it_is_for_deputies_only(personas, login, client):
    for user in (personas.citizen, personas.town_clerk):
        c = login(user)
        assert c.get("/p/collect/").status_code == 403
        assert c.get("/p/collected/").status_code == 403
    client.logout()
    assert client.get("/p/collect/").status_code == 302


def test_it_lets_the_deputy_rate_the_reply(personas, login, town_handler):
    client = login(personas.deputy)
    client.post("/p/collect/", form_data(personas))
    case = Case.objects.get()
    clerk = personas.town_clerk
    case = case_accept(case=case, actor=clerk, version=case.version)
    case = case_assign(
        case=case,
        actor=clerk,
        version=case.version,
        lead_unit=personas.units["town_gov"],
        urgency=tier("一般"),
    )
    case = case_sign(case=case, actor=town_handler, version=case.version)
    case = case_reply(
        case=case, actor=town_handler, version=case.version, result_class="solved", reply="已修复"
    )
    page = client.get(f"/p/track/{case.code}/")
    assert "请您评价" in page.text
    client.post(
        f"/p/track/{case.code}/rate/", {"rating": "basically_satisfied", "version": case.version}
    )
    case.refresh_from_db()
    assert case.state == Case.State.CLOSED
    assert case.events.get(action="rate").actor == personas.deputy
