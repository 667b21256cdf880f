"""The opinion loop through Open311: a client made by `manage.py open311_client` files a
request; staff take it through the case pages (accept, escalate to the district, assign,
sign, reply); the citizen rates 不满意 on the portal with the phone's last four digits; the
unit replies again and the citizen rates 满意. After every step GET requests/{id} shows
where the case stands, and no response ever carries the caller's personal data.
"""

import re
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.test import Client as Browser

from renda.accounts.services import user_create
from renda.cases.models import Case, Category, UrgencyTier
from renda.open311.tests.conftest import ADDRESS, EMAIL, NAME_FIRST, NAME_LAST, PHONE, rows
from renda.org.models import OrgUnit
from renda.org.roles import Role
from renda.org.services import membership_grant, unit_create
from renda.testing import PASSWORD

# What must never come back: the caller's name (either way round), phone, email, address,
# and the phone as the staff pages mask it.
PERSONAL = (NAME_LAST + NAME_FIRST, NAME_FIRST, PHONE, PHONE[-8:], EMAIL, "湖滨路18号", "3单元")


@pytest.fixture
def county_handler(personas):
    """东湖区住房和城乡建设局 and its handler: the personas have no district department."""
    unit = unit_create(
        code="D1-ZJJ",
        name="东湖区住房和城乡建设局",
        kind=OrgUnit.Kind.HANDLING_UNIT,
        handling_kind=OrgUnit.HandlingKind.DEPARTMENT,
        region=personas.regions["county"],
        parent=personas.units["city_gov"],
    )
    user = user_create(
        username="county_handler", password=PASSWORD, full_name="区住建局经办人", validate=False
    )
    membership_grant(user=user, role=Role.HANDLER, unit=unit)
    return user


def _staff(user) -> Browser:
    browser = Browser()
    browser.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return browser


class Caller:
    """The Open311 client: every answer is checked for personal data before it is read."""

    def __init__(self, key: str):
        self.key = key
        self.http = Browser()

    def _clean(self, response):
        body = response.content.decode()
        for value in PERSONAL:
            assert value not in body, f"{value!r} leaked in {response.request['PATH_INFO']}"
        return response

    def post(self, **fields):
        data = {"api_key": self.key, **fields}
        return self._clean(
            self.http.post(
                "/open311/v2/requests.json",
                urlencode(data),
                content_type="application/x-www-form-urlencoded",
            )
        )

    def get(self, path: str, **params):
        return self._clean(self.http.get(path, {"api_key": self.key, **params}))

    def request(self, code: str, fmt: str = "json") -> dict:
        response = self.get(f"/open311/v2/requests/{code}.{fmt}")
        assert response.status_code == 200
        [row] = rows(response, fmt)
        return row


def _act(browser: Browser, code: str, action: str, **fields):
    """Post an action's form as the case page offers it, with the version the page shows."""
    page = browser.get(f"/cases/{code}/")
    assert page.status_code == 200
    assert f'data-testid="form-{action}"' in page.text, f"{action} not offered"
    version = re.search(rf'name="version" value="(\d+)" id="{action}-version"', page.text)
    response = browser.post(f"/cases/{code}/act/{action}/", {"version": version.group(1), **fields})
    assert response.status_code == 302, response.content.decode()[:2000]
    return browser.get(response["Location"])


def _tier(name: str) -> int:
    return UrgencyTier.objects.get(name=name).pk


def _rate(code: str, rating: str, note: str = "") -> str:
    """The citizen, on the portal with the code and the phone's last four digits."""
    phone = Browser()
    found = phone.post("/p/track/", {"code": code, "phone_last4": PHONE[-4:]})
    assert found.status_code == 302
    page = phone.get(found["Location"])
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
    rated = phone.post(
        f"/p/track/{code}/rate/", {"rating": rating, "note": note, "version": version}
    )
    assert rated.status_code == 302
    return phone.get(rated["Location"]).text


def test_a_request_filed_by_an_open311_client_goes_round_the_loop(personas, county_handler):
    p = personas
    out = StringIO()
    call_command("open311_client", "--name", "12345 热线", "--region", "331002", stdout=out)
    caller = Caller(out.getvalue().strip().splitlines()[-1])

    # --- intake ------------------------------------------------------------------------------
    traffic = Category.objects.get(name="交通运输")
    created = caller.post(
        service_code=str(traffic.pk),
        description="东湖大道与湖滨路口信号灯损坏三天，早晚高峰拥堵。联系我 " + PHONE,
        address_string=ADDRESS,
        lat="29.123456",
        long="121.654321",
        first_name=NAME_FIRST,
        last_name=NAME_LAST,
        phone=PHONE,
        email=EMAIL,
    )
    assert created.status_code == 201
    [answer] = created.json()
    code = answer["service_request_id"]
    assert re.fullmatch(r"MQ\d{4}-\d{6}", code)
    assert code in answer["service_notice"]
    assert caller.get(f"/open311/v2/tokens/{code}.json").json() == [
        {"service_request_id": code, "token": code}
    ]
    case = Case.objects.get(code=code)
    # The address named 湖滨社区, so the street committee takes it in.
    assert (case.channel, case.region, case.congress) == (
        Case.Channel.OPEN311,
        p.regions["village"],
        p.units["town"],
    )
    row = caller.request(code)
    assert (row["status"], row["status_notes"], row["agency_responsible"]) == (
        "open",
        None,
        "东湖街道人大工委",
    )
    assert row["service_name"] == "交通运输"
    assert row["description"].endswith("联系我 138****5678")
    assert row["expected_datetime"] is None
    # Not public: no coordinates, even for the client that sent them.
    assert (row["lat"], row["long"]) == (None, None)

    # --- the street committee accepts and escalates --------------------------------------------
    town = _staff(p.town_clerk)
    page = _act(town, code, "accept", note="属实，予以受理。")
    assert 'data-testid="case-state">待交办<' in page.text
    page = _act(town, code, "escalate", note="路口信号灯由区交通部门管理。")
    assert 'data-testid="no-actions"' in page.text
    row = caller.request(code, "xml")
    assert (row["status"], row["agency_responsible"]) == ("open", "东湖区人大常委会")

    # --- the district assigns -------------------------------------------------------------
    county = _staff(p.county_clerk)
    unit = OrgUnit.objects.get(name="东湖区住房和城乡建设局")
    page = _act(
        county,
        code,
        "assign",
        lead_unit=unit.pk,
        urgency=_tier("一般"),
        note="请尽快修复。",
    )
    assert 'data-testid="case-state">待签收<' in page.text
    row = caller.request(code)
    assert (row["status"], row["agency_responsible"]) == ("open", "东湖区住房和城乡建设局")
    # 15 working days from Tuesday 15 September, past the National Day holiday.
    assert row["expected_datetime"] == "2026-10-12T23:59:59+08:00"

    # --- the department signs and replies ---------------------------------------------------
    handler = _staff(county_handler)
    page = _act(handler, code, "sign")
    assert 'data-testid="case-state">办理中<' in page.text
    assert caller.request(code)["status"] == "open"
    page = _act(
        handler,
        code,
        "reply",
        result_class="planned",
        reply="已报修，配件需采购，预计两周内修复。",
    )
    assert 'data-testid="case-state">待评价<' in page.text
    row = caller.request(code)
    assert row["status"] == "open"  # open until the citizen has rated it

    # --- 不满意: 重办 ------------------------------------------------------------------------
    portal = _rate(code, "unsatisfied", "两周太久。")
    assert "事项已转承办单位重新办理" in portal
    row = caller.request(code)
    assert (row["status"], row["agency_responsible"]) == ("open", "东湖区住房和城乡建设局")
    page = _act(
        handler, code, "reply", result_class="solved", reply="已调用应急配件，信号灯今日修复。"
    )
    assert 'data-testid="case-state">待评价<' in page.text

    # --- 满意: closed, with the reply as the status notes -----------------------------------
    portal = _rate(code, "satisfied")
    assert "该事项已办结" in portal
    for fmt in ("json", "xml"):
        row = caller.request(code, fmt)
        assert row["status"] == "closed"
        assert row["status_notes"] == "已调用应急配件，信号灯今日修复。"
        assert row["agency_responsible"] == "东湖区住房和城乡建设局"
    listed = caller.get("/open311/v2/requests.json", status="closed")
    assert [r["service_request_id"] for r in listed.json()] == [code]
    assert caller.get("/open311/v2/requests.json", status="open").json() == []

    case = Case.objects.get(code=code)
    assert (case.state, case.rating, case.unsatisfied_count) == ("closed", "satisfied", 1)


def test_it_shows_the_reply_while_the_citizen_has_not_rated_it(personas, county_handler):
    """A caller who files through a hotline hears the answer from the hotline: the reply
    belongs in status_notes as soon as it is given, not only after the rating."""
    out = StringIO()
    call_command("open311_client", "--name", "12345 热线", "--region", "331002", stdout=out)
    caller = Caller(out.getvalue().strip().splitlines()[-1])
    code = caller.post(
        service_code=str(Category.objects.get(name="交通运输").pk),
        description="信号灯损坏",
        address_string=ADDRESS,
        phone=PHONE,
    ).json()[0]["service_request_id"]
    town = _staff(personas.town_clerk)
    _act(town, code, "accept")
    unit = personas.units["town_gov"]
    handler = user_create(
        username="town_handler", password=PASSWORD, full_name="街道办经办人", validate=False
    )
    membership_grant(user=handler, role=Role.HANDLER, unit=unit)
    _act(town, code, "assign", lead_unit=unit.pk, urgency=_tier("一般"))
    _act(_staff(handler), code, "sign")
    _act(_staff(handler), code, "reply", result_class="solved", reply="已修复。")
    assert "已修复。" in (caller.request(code)["status_notes"] or "")
