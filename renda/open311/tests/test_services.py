"""GET services.{fmt} and services/{code}.{fmt}: the categories, as Open311 services."""

import xml.etree.ElementTree as ET

import pytest

from renda.cases.models import Category
from renda.open311.tests.conftest import category, errors, rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_lists_the_active_categories(client, fmt):
    Category.objects.filter(name="其他").update(is_active=False)
    response = client.get(f"/open311/v2/services.{fmt}")
    assert response.status_code == 200
    services = rows(response, fmt)
    names = [s["service_name"] for s in services]
    assert "城乡建设" in names and "其他" not in names
    assert len(services) == Category.objects.filter(is_active=True).count()
    road = next(s for s in services if s["service_name"] == "城乡建设")
    assert road["service_code"] == str(category().pk)
    assert road["type"] == "realtime"
    assert road["metadata"] in (False, "false")
    assert road["group"] == "民情意见"


def test_it_lists_services_in_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # the active categories
        client.get("/open311/v2/services.json")


def test_it_defines_a_service_without_attributes_in_json(client):
    code = str(category().pk)
    response = client.get(f"/open311/v2/services/{code}.json")
    assert response.status_code == 200
    assert response.json() == {"service_code": code, "attributes": []}


def test_it_defines_a_service_without_attributes_in_xml(client):
    code = str(category().pk)
    response = client.get(f"/open311/v2/services/{code}.xml")
    root = ET.fromstring(response.content)
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == code
    assert list(root.find("attributes")) == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("code", ["999999", "abc", "inactive"])
def test_it_answers_404_for_an_unknown_service(client, fmt, code):
    if code == "inactive":
        Category.objects.filter(name="其他").update(is_active=False)
        code = str(category("其他").pk)
    response = client.get(f"/open311/v2/services/{code}.{fmt}")
    assert response.status_code == 404
    [(status, description)] = errors(response, fmt)
    assert status == 404
    assert "不存在" in description
