"""POST requests.{fmt}: a client files a citizen's problem as a case."""

import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from django.test import Client as HttpClient

from renda.cases.models import Case, CaseEvent
from renda.open311.models import ClientRequest
from renda.open311.tests.conftest import EMAIL, NAME_FIRST, NAME_LAST, PHONE, errors, form


def test_it_files_a_case(personas, api, post):
    response = post()
    assert response.status_code == 201
    [row] = response.json()
    code = row["service_request_id"]
    assert code.startswith("MQ2026-")
    assert code in row["service_notice"]
    assert row["account_id"] is None
    case = Case.objects.get(code=code)
    assert case.channel == Case.Channel.OPEN311
    assert case.state == Case.State.SUBMITTED
    assert case.submitter is None
    assert case.submitter_name == NAME_LAST + NAME_FIRST
    assert case.submitter_phone == PHONE
    assert case.region == personas.regions["county"]  # the client's region: none was named
    assert case.congress == personas.units["county"]
    assert str(case.latitude) == "29.123456"
    assert case.title == "湖滨路北段三盏路灯已坏一周，夜间行人不便。"
    assert not case.is_public
    record = ClientRequest.objects.get(case=case)
    assert record.client == api.client
    assert record.email == EMAIL
    assert record.media_url == "https://img.example.com/a.jpg"
    event = CaseEvent.objects.get(case=case)
    assert event.actor is None and event.data["channel"] == "open311"


def test_it_answers_in_xml(post):
    response = post("xml")
    assert response.status_code == 201
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    code = root.findtext("request/service_request_id")
    assert Case.objects.filter(code=code).exists()
    assert root.find("request/account_id").text is None


def test_it_keeps_no_personal_data_in_the_answer(post):
    for fmt in ("json", "xml"):
        body = post(fmt).content.decode()
        for secret in (NAME_FIRST, NAME_LAST, PHONE, EMAIL):
            assert secret not in body


def test_it_files_one_case_for_a_retry_with_the_same_idempotency_key_header(post):
    first = post(headers={"Idempotency-Key": "call-20260915-0001"})
    again = post(headers={"Idempotency-Key": "call-20260915-0001"})
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()[0]["service_request_id"] == first.json()[0]["service_request_id"]
    assert Case.objects.count() == 1
    assert ClientRequest.objects.count() == 1


def test_a_retry_racing_the_first_request_gets_its_case(post, monkeypatch):
    """The retry's look-up misses the first request's case (not yet committed when it
    looked); its insert is then refused by the key's unique index, and it answers with the
    first request's case, 200, writing nothing."""
    from renda.cases.services import intake

    first = post(headers={"Idempotency-Key": "call-race"})
    looked_up = intake._existing
    calls: list[str] = []

    def too_early(key, **kwargs):
        calls.append(key)
        return None if len(calls) == 1 else looked_up(key, **kwargs)

    monkeypatch.setattr(intake, "_existing", too_early)
    again = post(headers={"Idempotency-Key": "call-race"})
    assert len(calls) == 2
    assert again.status_code == 200
    assert again.json()[0]["service_request_id"] == first.json()[0]["service_request_id"]
    assert Case.objects.count() == 1
    assert ClientRequest.objects.count() == 1
    assert CaseEvent.objects.count() == 1


def test_it_files_one_case_for_a_retry_with_the_same_idempotency_key_field(post):
    first = post("xml", idempotency_key="k-1")
    again = post("xml", idempotency_key="k-1")
    code = ET.fromstring(first.content).findtext("request/service_request_id")
    assert ET.fromstring(again.content).findtext("request/service_request_id") == code
    assert Case.objects.count() == 1


def test_it_files_two_cases_for_two_keys_or_none(post):
    post(headers={"Idempotency-Key": "a"})
    post(headers={"Idempotency-Key": "b"})
    post()
    post()
    assert Case.objects.count() == 4


def test_it_keeps_each_clients_idempotency_keys_apart(post, other_api):
    post(headers={"Idempotency-Key": "same"})
    post(headers={"Idempotency-Key": "same"}, key=other_api)
    assert Case.objects.count() == 2


def test_it_files_in_the_region_named_by_jurisdiction_id(personas, post):
    code = post(jurisdiction_id="331002001001").json()[0]["service_request_id"]
    case = Case.objects.get(code=code)
    assert case.region == personas.regions["village"]
    assert case.congress == personas.units["town"]


def test_it_files_in_the_region_the_address_names(personas, post):
    response = post(lat=None, long=None, address_string="东湖街道湖滨社区湖滨路18号")
    case = Case.objects.get(code=response.json()[0]["service_request_id"])
    assert case.region == personas.regions["village"]
    assert case.address == "东湖街道湖滨社区湖滨路18号"
    assert case.latitude is None


def test_it_accepts_an_address_id_as_the_location(post):
    response = post(lat=None, long=None, address_id="ADDR-42")
    assert response.status_code == 201
    assert ClientRequest.objects.get().address_id == "ADDR-42"


def test_it_records_an_unnamed_caller_as_anonymous(post):
    post(first_name=None, last_name=None, email=None, media_url=None)
    assert Case.objects.get().submitter_name == "匿名"


def test_it_needs_no_csrf_token(api):
    browserless = HttpClient(enforce_csrf_checks=True)
    response = browserless.post(
        "/open311/v2/requests.json",
        urlencode(form(api)),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 201


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("key", [None, "", "not-a-key", "inactive"])
def test_it_refuses_a_missing_unknown_or_inactive_key_with_403(api, post, fmt, key):
    if key == "inactive":
        api.client.is_active = False
        api.client.save(update_fields=["is_active"])
        key = api.key
    response = post(fmt, api_key=key)
    assert response.status_code == 403
    [(status, description)] = errors(response, fmt)
    assert status == 403 and "api_key" in description
    assert not Case.objects.exists()


def test_a_key_deactivated_after_use_is_refused_at_once(api, post):
    assert post("json").status_code == 201  # the client is now remembered by its key
    api.client.is_active = False
    api.client.save(update_fields=["is_active"])
    assert post("json").status_code == 403


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_answers_404_for_an_unknown_service(post, fmt):
    response = post(fmt, service_code="999999")
    assert response.status_code == 404
    assert errors(response, fmt)[0][0] == 404
    assert not Case.objects.exists()


BAD_INPUT = {
    "no service": ({"service_code": None}, "service_code"),
    "no description": ({"description": "  "}, "description"),
    "long description": ({"description": "长" * 5001}, "5000"),
    "no location": ({"lat": None, "long": None}, "位置"),
    "lat not a number": ({"lat": "北纬29度"}, "lat"),
    "lat out of range": ({"lat": "91"}, "lat"),
    "long not finite": ({"long": "inf"}, "long"),
    "lat without long": ({"long": None}, "long"),
    "landline phone": ({"phone": "0571-88886666"}, "phone"),
    "no phone": ({"phone": None}, "phone"),
    "bad email": ({"email": "not-an-email"}, "email"),
    "bad media url": ({"media_url": "javascript:alert(1)"}, "media_url"),
    "unknown region": ({"jurisdiction_id": "999999"}, "jurisdiction_id"),
    "region of another county": ({"jurisdiction_id": "331003001"}, "受理范围"),
    "long idempotency key": ({"idempotency_key": "k" * 201}, "Idempotency-Key"),
}


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("case", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_it_answers_400_for_bad_input_and_files_nothing(post, fmt, case):
    fields, hint = case
    response = post(fmt, **fields)
    assert response.status_code == 400
    [(status, description)] = errors(response, fmt)
    assert status == 400
    assert hint in description
    assert not Case.objects.exists()


def test_it_answers_400_when_the_region_has_no_congress(personas, post):
    personas.units["county"].is_active = False
    personas.units["county"].save(update_fields=["is_active"])
    personas.units["city"].is_active = False
    personas.units["city"].save(update_fields=["is_active"])
    response = post()
    assert response.status_code == 400
    assert "受理人大" in errors(response, "json")[0][1]


def test_it_refuses_put_in_the_error_format(client):
    response = client.put("/open311/v2/requests.json")
    assert response.status_code == 405
    assert errors(response, "json")[0][0] == 405
