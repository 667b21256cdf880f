"""Fixtures for Open311: a fixed clock, a client with its key, and the calls a client makes."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
import time_machine

from renda.accounts.services import user_create
from renda.cases.models import Case, Category, UrgencyTier
from renda.cases.services import (
    case_accept,
    case_assign,
    case_rate,
    case_reject,
    case_reply,
    case_sign,
    case_submit,
)
from renda.cases.tests.helpers import at
from renda.open311.models import Client
from renda.open311.services import client_create
from renda.org.roles import Role
from renda.org.services import membership_grant
from renda.testing import PASSWORD

# The submitter's personal data: none of it may appear in any Open311 response.
NAME_FIRST, NAME_LAST, PHONE, EMAIL = "小明", "欧阳", "13812345678", "ouyang@example.com"
ADDRESS = "东湖街道湖滨社区湖滨路18号3单元"


@pytest.fixture(autouse=True)
def clock():
    """Tuesday 2026-09-15, 10:00 in Shanghai, unless a test travels elsewhere."""
    with time_machine.travel(at(2026, 9, 15), tick=False) as traveller:
        yield traveller


@dataclass
class Api:
    client: Client
    key: str


@pytest.fixture
def api(personas) -> Api:
    """12345 热线, filing into 东湖区 unless a request says where."""
    return Api(*client_create(name="12345 热线", region=personas.regions["county"]))


@pytest.fixture
def other_api(personas) -> Api:
    return Api(*client_create(name="城市大脑", region=personas.regions["county"]))


def category(name: str = "城乡建设") -> Category:
    return Category.objects.get(name=name)


def form(api: Api, **fields) -> dict:
    """A complete POST requests form; a field given as None is left out."""
    data = {
        "api_key": api.key,
        "service_code": str(category().pk),
        "description": "湖滨路北段三盏路灯已坏一周，夜间行人不便。",
        "lat": "29.123456",
        "long": "121.654321",
        "first_name": NAME_FIRST,
        "last_name": NAME_LAST,
        "phone": PHONE,
        "email": EMAIL,
        "media_url": "https://img.example.com/a.jpg",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def post(client, api):
    """POST requests.{fmt}, form-encoded as the spec says."""

    def _post(fmt: str = "json", *, headers: dict | None = None, key: Api | None = None, **fields):
        return client.post(
            f"/open311/v2/requests.{fmt}",
            urlencode(form(key or api, **fields)),
            content_type="application/x-www-form-urlencoded",
            headers=headers or {},
        )

    return _post


def errors(response, fmt: str) -> list[tuple[int, str]]:
    """The spec's error list, from JSON or XML."""
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        return [(e["code"], e["description"]) for e in response.json()]
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "errors"
    return [(int(e.findtext("code")), e.findtext("description")) for e in root.findall("error")]


def rows(response, fmt: str) -> list[dict]:
    """A list answer (services, service_requests) as dicts of text, from JSON or XML."""
    if fmt == "json":
        return response.json()
    root = ET.fromstring(response.content)
    return [{child.tag: child.text for child in item} for item in root]


def public_case(personas, **overrides) -> Case:
    """An anonymous citizen's public opinion from 湖滨社区, through the intake service."""
    fields = {
        "actor": None,
        "title": "湖滨路路灯不亮",
        "content": "湖滨路北段三盏路灯已坏一周，夜间行人不便。",
        "category": category(),
        "region": personas.regions["village"],
        "channel": Case.Channel.PORTAL,
        "address": ADDRESS,
        "latitude": "29.1",
        "longitude": "121.6",
        "submitter_name": NAME_LAST + NAME_FIRST,
        "submitter_phone": PHONE,
        "is_public": True,
    }
    fields.update(overrides)
    return case_submit(**fields)


@pytest.fixture
def town_handler(personas):
    user = user_create(
        username="town_handler", password=PASSWORD, full_name="街道办经办人", validate=False
    )
    membership_grant(user=user, role=Role.HANDLER, unit=personas.units["town_gov"])
    return user


def assigned(personas, case: Case) -> Case:
    case = case_accept(case=case, actor=personas.town_clerk, version=case.version)
    return case_assign(
        case=case,
        actor=personas.town_clerk,
        version=case.version,
        lead_unit=personas.units["town_gov"],
        urgency=UrgencyTier.objects.get(name="一般"),
    )


def closed(personas, handler, case: Case, *, reply: str = "已更换路灯，恢复照明。") -> Case:
    case = assigned(personas, case)
    case = case_sign(case=case, actor=handler, version=case.version)
    case = case_reply(
        case=case,
        actor=handler,
        version=case.version,
        result_class=Case.ResultClass.SOLVED,
        reply=reply,
    )
    return case_rate(
        case=case,
        actor=None,
        version=case.version,
        rating=Case.Rating.SATISFIED,
        phone_last4=case.submitter_phone[-4:],
    )


def rejected(personas, case: Case) -> Case:
    return case_reject(
        case=case, actor=personas.town_clerk, version=case.version, reason="不属于人大受理范围。"
    )
