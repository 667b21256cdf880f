"""GET discovery.{json,xml}: where the GeoReport v2 endpoints are and what they speak."""

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db


def test_it_describes_the_v2_endpoint_in_json(client):
    response = client.get("/open311/discovery.json")
    assert response.status_code == 200
    data = response.json()
    assert data["changeset"] and data["contact"] and data["key_service"]
    [endpoint] = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["application/json", "text/xml"]


def test_it_describes_the_v2_endpoint_in_xml(client):
    response = client.get("/open311/discovery.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == "discovery"
    [endpoint] = root.findall("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://testserver/open311/v2/"
    assert [f.text for f in endpoint.findall("formats/format")] == [
        "application/json",
        "text/xml",
    ]


def test_it_knows_no_other_format(client):
    assert client.get("/open311/discovery.html").status_code == 404


def test_it_refuses_post(client):
    assert client.post("/open311/discovery.json").status_code == 405
