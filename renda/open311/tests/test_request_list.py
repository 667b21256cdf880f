"""GET requests.{fmt}: the requests a caller may read, with the spec's filters."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renda.cases.models import Case
from renda.cases.tests.helpers import at
from renda.open311 import selectors, serializers
from renda.open311.tests.conftest import (
    ADDRESS,
    EMAIL,
    NAME_FIRST,
    NAME_LAST,
    PHONE,
    assigned,
    category,
    closed,
    errors,
    public_case,
    rejected,
    rows,
)


def codes(response, fmt: str = "json") -> list[str]:
    assert response.status_code == 200, response.content
    return [row["service_request_id"] for row in rows(response, fmt)]


def filed(post, **fields) -> str:
    """A request filed by the `api` client (not public)."""
    return post(**fields).json()[0]["service_request_id"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_lists_public_cases_newest_first(personas, client, clock, fmt):
    older = public_case(personas)
    clock.shift(dt.timedelta(hours=1))
    newer = public_case(personas)
    public_case(personas, is_public=False)
    response = client.get(f"/open311/v2/requests.{fmt}")
    assert codes(response, fmt) == [newer.code, older.code]
    row = rows(response, fmt)[0]
    assert row["status"] == "open"
    assert row["service_code"] == str(category().pk)
    assert row["service_name"] == "城乡建设"
    assert row["description"] == "湖滨路北段三盏路灯已坏一周，夜间行人不便。"
    assert row["agency_responsible"] == "东湖街道人大工委"  # not assigned yet: its congress
    assert row["requested_datetime"] == "2026-09-15T11:00:00+08:00"
    assert float(row["lat"]) == 29.1 and float(row["long"]) == 121.6


def test_it_shows_a_client_its_own_requests_but_not_others(personas, client, api, post, other_api):
    own = filed(post)
    theirs = filed(post, key=other_api)
    assert codes(client.get("/open311/v2/requests.json")) == []
    listed = codes(client.get("/open311/v2/requests.json", {"api_key": api.key}))
    assert listed == [own]
    assert theirs not in listed


def test_it_gives_own_private_requests_no_coordinates_but_their_media(client, api, post):
    filed(post)
    [row] = client.get("/open311/v2/requests.json", {"api_key": api.key}).json()
    assert row["lat"] is None and row["long"] is None
    assert row["media_url"] == "https://img.example.com/a.jpg"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_refuses_an_unknown_key(db, client, fmt):
    response = client.get(f"/open311/v2/requests.{fmt}", {"api_key": "nope"})
    assert response.status_code == 403
    assert errors(response, fmt)[0][0] == 403


def test_it_filters_by_status(personas, client, town_handler):
    open_case = public_case(personas)
    done = closed(personas, town_handler, public_case(personas))
    refused = rejected(personas, public_case(personas))
    url = "/open311/v2/requests.json"
    assert codes(client.get(url, {"status": "open"})) == [open_case.code]
    assert set(codes(client.get(url, {"status": "closed"}))) == {done.code, refused.code}
    assert len(codes(client.get(url, {"status": "open,closed"}))) == 3
    by_code = {row["service_request_id"]: row for row in client.get(url).json()}
    assert by_code[done.code]["status_notes"] == "已更换路灯，恢复照明。"
    assert by_code[done.code]["agency_responsible"] == "东湖街道办事处"
    assert by_code[refused.code]["status_notes"] == "不予受理：不属于人大受理范围。"
    assert by_code[open_case.code]["status_notes"] is None


def test_it_answers_400_for_an_unknown_status(client):
    response = client.get("/open311/v2/requests.xml", {"status": "pending"})
    assert response.status_code == 400
    assert "status" in errors(response, "xml")[0][1]


def test_it_shows_the_deadline_of_an_assigned_case(personas, client):
    case = assigned(personas, public_case(personas))
    [row] = client.get("/open311/v2/requests.json").json()
    assert row["expected_datetime"] == f"{case.deadline.isoformat()}T23:59:59+08:00"
    assert row["agency_responsible"] == "东湖街道办事处"


def test_it_filters_by_service_code(personas, client):
    road = public_case(personas)
    school = public_case(personas, category=category("教育文体"))
    url = "/open311/v2/requests.json"
    assert codes(client.get(url, {"service_code": str(category("教育文体").pk)})) == [school.code]
    both = f"{category().pk},{category('教育文体').pk}"
    assert set(codes(client.get(url, {"service_code": both}))) == {road.code, school.code}
    assert codes(client.get(url, {"service_code": "999999"})) == []


def test_it_lists_the_last_90_days_unless_told_otherwise(personas, client, clock):
    clock.move_to(at(2026, 6, 1))
    old = public_case(personas)
    clock.move_to(at(2026, 9, 15))
    recent = public_case(personas)
    url = "/open311/v2/requests.json"
    assert codes(client.get(url)) == [recent.code]
    window = {"start_date": "2026-05-20T00:00:00+08:00", "end_date": "2026-06-10T00:00:00Z"}
    assert codes(client.get(url, window)) == [old.code]
    assert codes(client.get(url, {"start_date": "2026-05-31"})) == [old.code]
    assert codes(client.get(url, {"end_date": "2026-06-01"})) == [old.code]


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2026-01-01", "end_date": "2026-09-15"},
        {"start_date": "2026-09-15", "end_date": "2026-09-01"},
        {"start_date": "yesterday"},
        {"end_date": "2026-13-45T10:00:00"},
    ],
    ids=["longer than 90 days", "start after end", "not a date", "impossible date"],
)
def test_it_answers_400_for_a_bad_date_range(client, params):
    response = client.get("/open311/v2/requests.json", params)
    assert response.status_code == 400
    [(status, description)] = errors(response, "json")
    assert status == 400 and ("date" in description or "90" in description)


def test_it_finds_requests_by_id_ignoring_other_filters(personas, client, clock):
    clock.move_to(at(2025, 1, 1))
    old = public_case(personas)
    clock.move_to(at(2026, 9, 15))
    new = public_case(personas)
    hidden = public_case(personas, is_public=False)
    params = {"service_request_id": f"{old.code}, {new.code},{hidden.code}", "status": "closed"}
    assert set(codes(client.get("/open311/v2/requests.json", params))) == {old.code, new.code}


def test_it_lists_at_most_the_limit(personas, client, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_RESULTS", 2)
    for _ in range(3):
        public_case(personas)
    assert len(codes(client.get("/open311/v2/requests.json"))) == 2
    assert len(codes(client.get("/open311/v2/requests.json", {"page_size": "3"}))) == 2


def test_it_lists_page_size_rows_newest_first(personas, client, monkeypatch):
    monkeypatch.setattr(selectors, "DEFAULT_RESULTS", 2)
    monkeypatch.setattr(serializers, "DEFAULT_RESULTS", 2)
    cases = [public_case(personas) for _ in range(3)]
    newest = [c.code for c in reversed(cases)]
    assert codes(client.get("/open311/v2/requests.json")) == newest[:2]
    assert codes(client.get("/open311/v2/requests.json", {"page_size": "3"})) == newest
    assert codes(client.get("/open311/v2/requests.json", {"page_size": "1"})) == newest[:1]


@pytest.mark.parametrize("page_size", ["0", "1001", "abc", "-1"])
def test_it_answers_400_for_a_bad_page_size(db, client, page_size):
    response = client.get("/open311/v2/requests.json", {"page_size": page_size})
    assert response.status_code == 400
    [(code, description)] = errors(response, "json")
    assert code == 400 and "page_size" in description


def test_it_shows_no_personal_data(personas, client, api, post, town_handler):
    closed(personas, town_handler, public_case(personas))
    public_case(personas, content="我的电话13987654321，身份证330102199001011234，请联系。")
    filed(post, address_string=ADDRESS)
    for fmt in ("json", "xml"):
        for params in ({}, {"api_key": api.key}):
            body = client.get(f"/open311/v2/requests.{fmt}", params).content.decode()
            for secret in (NAME_FIRST, NAME_LAST, PHONE, EMAIL, ADDRESS, "湖滨路18号"):
                assert secret not in body
            assert "13987654321" not in body and "139****4321" in body
            assert "330102199001011234" not in body
    assert "address" not in client.get("/open311/v2/requests.json").json()[0]


def test_it_shows_html_in_text_as_text(personas, client):
    public_case(personas, content="<script>alert(1)</script> & 路灯")
    [row] = client.get("/open311/v2/requests.json").json()
    assert row["description"] == "<script>alert(1)</script> & 路灯"
    body = client.get("/open311/v2/requests.xml").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 路灯" in body


def _count_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/open311/v2/requests.json", params).status_code == 200
    return len(queries)


def test_it_lists_in_a_fixed_number_of_queries(
    personas, client, api, post, town_handler, django_assert_num_queries
):
    closed(personas, town_handler, public_case(personas))
    filed(post)
    few = _count_queries(client, {"api_key": api.key})
    for _ in range(4):
        assigned(personas, public_case(personas))
        filed(post)
    assert _count_queries(client, {"api_key": api.key}) == few
    # the cases' values with their category, congress, merge target and Open311 record
    # joined, and the lead unit as a subquery (the client by its key is remembered)
    with django_assert_num_queries(1):
        response = client.get("/open311/v2/requests.json", {"api_key": api.key})
    assert len(response.json()) == 10
    with django_assert_num_queries(1):  # no key: no client to look up
        client.get("/open311/v2/requests.xml")


def test_it_lists_only_opinions(personas, client):
    public_case(personas, kind=Case.Kind.SUGGESTION)
    assert codes(client.get("/open311/v2/requests.json")) == []
