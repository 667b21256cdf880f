"""GET requests/{id}.{fmt} and tokens/{token}.{fmt}: one request."""

import xml.etree.ElementTree as ET

import pytest

from renda.open311.tests.conftest import NAME_LAST, PHONE, errors, public_case, rows


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_shows_one_public_request(personas, client, fmt):
    case = public_case(personas)
    response = client.get(f"/open311/v2/requests/{case.code}.{fmt}")
    assert response.status_code == 200
    [row] = rows(response, fmt)
    assert row["service_request_id"] == case.code
    assert row["status"] == "open"
    body = response.content.decode()
    assert PHONE not in body and NAME_LAST not in body


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_answers_404_for_an_unknown_request(personas, client, fmt):
    response = client.get(f"/open311/v2/requests/MQ2026-999999.{fmt}")
    assert response.status_code == 404
    [(status, description)] = errors(response, fmt)
    assert status == 404 and "MQ2026-999999" in description


def test_it_hides_a_private_case_from_other_callers(personas, client, api, other_api, post):
    code = post().json()[0]["service_request_id"]
    url = f"/open311/v2/requests/{code}.json"
    assert client.get(url).status_code == 404
    assert client.get(url, {"api_key": other_api.key}).status_code == 404
    assert client.get(url, {"api_key": api.key}).status_code == 200
    portal = public_case(personas, is_public=False)
    response = client.get(f"/open311/v2/requests/{portal.code}.json", {"api_key": api.key})
    assert response.status_code == 404


def test_it_refuses_an_unknown_key(personas, client):
    case = public_case(personas)
    response = client.get(f"/open311/v2/requests/{case.code}.xml", {"api_key": "nope"})
    assert response.status_code == 403


def test_it_shows_one_request_in_a_fixed_number_of_queries(
    personas, client, django_assert_num_queries
):
    case = public_case(personas)
    # One: the case's values with its joins and its lead unit as a subquery.
    with django_assert_num_queries(1):
        client.get(f"/open311/v2/requests/{case.code}.json")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_answers_a_token_with_the_request_id(personas, client, fmt):
    case = public_case(personas)
    response = client.get(f"/open311/v2/tokens/{case.code}.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        assert response.json() == [{"service_request_id": case.code, "token": case.code}]
    else:
        root = ET.fromstring(response.content)
        assert root.findtext("request/service_request_id") == case.code


def test_it_answers_404_for_an_unknown_token(db, client):
    response = client.get("/open311/v2/tokens/nope.json")
    assert response.status_code == 404
    assert errors(response, "json")[0][0] == 404
