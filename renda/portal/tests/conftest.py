"""Portal fixtures: a fixed clock, a media folder of the test's own, a town handler, and the
files a phone might send."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.accounts.services import user_create
from renda.cases.models import Case, Category
from renda.cases.services import case_reply
from renda.cases.tests.helpers import at, handling_by_town
from renda.org.roles import Role
from renda.org.services import membership_grant
from renda.testing import PASSWORD, Personas, build_personas

# The browser fixtures of the workbench tests, for test_browser_portal.py.
from renda.workbench.tests.conftest import (  # noqa: F401
    _async_unsafe_allowed,
    browser,
    new_page,
    phone_page,
    shot,
)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
VOTER_PHONE = "13812345678"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The per-address tracking limit counts in the cache: every test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def clock():
    """Tuesday 2026-09-15, 10:00 in Shanghai."""
    with time_machine.travel(at(2026, 9, 15), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def live_personas(committed_db, request) -> Personas:
    """Personas in a committed database, for the live server."""
    request.getfixturevalue("_async_unsafe_allowed")
    return build_personas()


@pytest.fixture
def town_handler(personas):
    user = user_create(
        username="town_handler", password=PASSWORD, full_name="街道办经办人", validate=False
    )
    membership_grant(user=user, role=Role.HANDLER, unit=personas.units["town_gov"])
    return user


def jpeg(name: str = "photo.jpg", content: bytes = JPEG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def form_data(personas, **overrides) -> dict:
    """What an anonymous citizen fills in on /p/submit/."""
    data = {
        "title": "湖滨路路灯不亮",
        "content": "湖滨路北段三盏路灯已坏一周，夜间行人不便。",
        "category": Category.objects.get(name="城乡建设").pk,
        "town": personas.regions["town"].pk,
        "village": personas.regions["village"].pk,
        "grid": personas.grids["town"].pk,
        "address": "湖滨路12号北侧",
        "latitude": "30.274085",
        "longitude": "120.155070",
        "submitter_name": "王五",
        "submitter_phone": VOTER_PHONE,
        "is_public": "on",
        "idempotency_key": "key-0001",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def replied_case(personas, handler, *, reply: str = "已更换灯具，恢复照明。", **submit) -> Case:
    """An anonymous citizen's case, answered by 东湖街道办事处 through the services."""
    fields = {"actor": None, "submitter_name": "王五", "submitter_phone": VOTER_PHONE}
    fields.update(submit)
    case = handling_by_town(personas, handler, **fields)
    return case_reply(
        case=case, actor=handler, version=case.version, result_class="solved", reply=reply
    )
