"""Fixtures for the dashboard: a fixed clock, an empty cache, county leaders, handlers, and
a scripted set of cases made through the case services."""

import pytest
import time_machine
from django.core.cache import cache

from renda.accounts.services import user_create
from renda.cases.models import Case, Category, UrgencyTier
from renda.cases.services import (
    case_accept,
    case_assign,
    case_rate,
    case_reply,
    case_sign,
    case_submit,
    case_supervise,
)
from renda.cases.tests.helpers import at
from renda.org.roles import Role
from renda.org.services import membership_grant
from renda.testing import PASSWORD

NOW = at(2026, 9, 15)


@pytest.fixture(autouse=True)
def clock():
    """Tuesday 2026-09-15, 10:00 in Shanghai, unless a test travels elsewhere."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def person(username: str, role: str, unit, full_name: str = ""):
    user = user_create(
        username=username, password=PASSWORD, full_name=full_name or username, validate=False
    )
    membership_grant(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def county_leader(personas):
    """A leader of 东湖区人大常委会."""
    return person("county_leader", Role.LEADER, personas.units["county"], "东湖区人大领导")


@pytest.fixture
def other_county_leader(personas):
    """A leader of 西山县人大常委会."""
    return person("other_leader", Role.LEADER, personas.units["other_county"], "西山县人大领导")


@pytest.fixture
def handlers(personas):
    return {
        "town": person("town_handler", Role.HANDLER, personas.units["town_gov"]),
        "other_town": person("other_handler", Role.HANDLER, personas.units["other_town_gov"]),
    }


def _submit(personas, *, title: str, region: str, category: str, grid: str | None = None):
    return case_submit(
        actor=personas.citizen,
        title=title,
        content=f"{title}，请尽快处理。",
        category=Category.objects.get(name=category),
        region=personas.regions[region],
        grid=personas.grids[grid] if grid else None,
        channel=Case.Channel.PORTAL,
    )


def _assign(case, clerk, unit, tier="一般"):
    case = case_accept(case=case, actor=clerk, version=case.version)
    return case_assign(
        case=case,
        actor=clerk,
        version=case.version,
        lead_unit=unit,
        urgency=UrgencyTier.objects.get(name=tier),
    )


@pytest.fixture
def scripted(personas, handlers, clock, django_capture_on_commit_callbacks):
    """The cases of `_script`, with their follow-up (the hot-words indexing among it) run as
    the commits would run it."""
    with django_capture_on_commit_callbacks(execute=True):
        return _script(personas, handlers, clock)


def _script(personas, handlers, clock):
    """Five cases over July to September 2026 (today is 09-15):

    - late: 东湖街道 (湖滨社区), 城乡建设, submitted 07-01, assigned and signed, never
      answered: deadline 07-22 (15 working days), so 逾期 in July and 超期 now.
    - closed: 东湖街道, 城乡建设, submitted 07-02, answered on time 07-03, rated 满意 07-06.
    - west: 西山镇 (西山村), 环境保护, submitted 08-10, assigned to 西山镇人民政府 and never
      signed (deadline 08-31: 逾期 in August, 超期 now), 重点督办.
    - nanhu: 南湖镇, 交通运输, submitted 09-01, assigned 紧急 on 09-07 (deadline 09-08) and
      answered 09-10: 逾期 in September, not 超期 now.
    - new: 东湖街道, 交通运输, submitted 09-14, waiting to be accepted.
    """
    town, other = personas.units["town_gov"], personas.units["other_town_gov"]
    cases = {}
    clock.move_to(at(2026, 7, 1))
    c = _assign(
        _submit(personas, title="湖滨路路灯不亮", region="village", category="城乡建设"),
        personas.town_clerk,
        town,
    )
    cases["late"] = case_sign(case=c, actor=handlers["town"], version=c.version)
    clock.move_to(at(2026, 7, 2))
    c = _assign(
        _submit(personas, title="湖滨小区下水道堵塞", region="village", category="城乡建设"),
        personas.town_clerk,
        town,
    )
    c = case_sign(case=c, actor=handlers["town"], version=c.version)
    clock.move_to(at(2026, 7, 3))
    c = case_reply(
        case=c, actor=handlers["town"], version=c.version, result_class="solved", reply="已疏通。"
    )
    clock.move_to(at(2026, 7, 6))
    cases["closed"] = case_rate(
        case=c, actor=personas.citizen, version=c.version, rating="satisfied"
    )
    clock.move_to(at(2026, 8, 10))
    c = _assign(
        _submit(
            personas, title="西山村垃圾清运不及时", region="other_village", category="环境保护"
        ),
        personas.other_town_clerk,
        other,
    )
    cases["west"] = case_supervise(
        case=c, actor=personas.leader, version=c.version, level="key", note="重点督办"
    )
    clock.move_to(at(2026, 9, 1))
    c = _submit(personas, title="南湖镇公交站牌缺失", region="town2", category="交通运输")
    clock.move_to(at(2026, 9, 7))
    county_clerk = personas.county_clerk
    c = _assign(c, county_clerk, town, tier="紧急")
    c = case_sign(case=c, actor=handlers["town"], version=c.version)
    clock.move_to(at(2026, 9, 10))
    cases["nanhu"] = case_reply(
        case=c,
        actor=handlers["town"],
        version=c.version,
        result_class="planned",
        reply="已列入计划。",
    )
    clock.move_to(at(2026, 9, 14))
    cases["new"] = _submit(
        personas, title="湖滨路口红绿灯太短", region="village", category="交通运输"
    )
    clock.move_to(NOW)
    return cases


# The browser fixtures of the workbench tests, for test_browser_dashboard.py.
from renda.workbench.tests.conftest import (  # noqa: E402, F401
    _async_unsafe_allowed,
    browser,
    live_personas,
    new_page,
)
