"""The case page (/cases/<code>/): who sees it, what it shows, which action forms it offers,
and the masking of the submitter's personal data."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.cases.attachments import attachments_add, check_uploads
from renda.cases.services import case_extend_request, case_reply
from renda.cases.tests.helpers import (
    accepted,
    assigned_to_town,
    handling_by_town,
    submit,
)


def _anonymous_case(personas, **overrides):
    """A case phoned in by a citizen without an account: their name and phone are kept."""
    fields = {
        "actor": None,
        "submitter_name": "王小明",
        "submitter_phone": "13812345678",
        "address": "湖滨路18号3单元",
    }
    fields.update(overrides)
    return submit(personas, **fields)


def _forms(response) -> set[str]:
    return set(re.findall(r'data-testid="form-([a-z_]+)"', response.text))


def test_it_shows_the_town_clerk_the_case_and_the_triage_forms(personas, login):
    case = _anonymous_case(personas)
    response = login(personas.town_clerk).get(f"/cases/{case.code}/")
    assert response.status_code == 200
    text = response.text
    assert case.title in text
    assert case.content in text
    assert "湖滨第一网格" in text
    assert "门户网站" in text
    assert "东湖街道人大工委" in text
    # A congress clerk may see personal data: in full.
    assert "王小明" in text
    assert "13812345678" in text
    assert "湖滨路18号3单元" in text
    assert _forms(response) == {"accept", "reject", "merge"}
    assert f'action="/cases/{case.code}/act/accept/"' in text
    assert f'name="version" value="{case.version}"' in text
    # The timeline: the submission by an anonymous citizen.
    assert "提交" in text and "群众" in text


def test_it_masks_the_submitter_for_a_leader_who_reads_only(personas, login):
    case = _anonymous_case(personas)
    response = login(personas.leader).get(f"/cases/{case.code}/")
    assert response.status_code == 200
    text = response.text
    assert "138****5678" in text
    assert "13812345678" not in text
    assert "王**" in text
    assert "王小明" not in text
    assert "湖滨路18号3单元" not in text
    assert "（已隐藏）" in text
    # Nothing to do on a case still waiting to be accepted.
    assert _forms(response) == set()
    assert 'data-testid="no-actions"' in text


def test_it_offers_a_leader_only_what_allowed_actions_gives(personas, login):
    case = accepted(personas)
    response = login(personas.leader).get(f"/cases/{case.code}/")
    assert _forms(response) == {"supervise", "convert_to_agenda"}
    assert "市人大常委会领导" in response.text  # the leader may lead it (领办)


def test_it_hides_the_case_from_an_outsider(personas, login):
    case = _anonymous_case(personas)
    client = login(personas.other_town_clerk)
    assert client.get(f"/cases/{case.code}/").status_code == 404
    assert client.get("/cases/MQ2026-999999/").status_code == 404


def test_it_shows_a_handler_only_their_units_cases(personas, login, town_handler):
    case = assigned_to_town(
        personas,
        actor=None,
        submitter_name="王小明",
        submitter_phone="13812345678",
        address="湖滨路18号",
    )
    other = submit(personas, title="未交办的事项")
    client = login(town_handler)
    response = client.get(f"/cases/{case.code}/")
    assert response.status_code == 200
    assert _forms(response) == {"sign", "return"}
    # A handling unit needs the address to act, not the citizen's phone.
    assert "湖滨路18号" in response.text
    assert "138****5678" in response.text
    assert "东湖街道办事处" in response.text  # the assignment
    assert "主办" in response.text
    assert client.get(f"/cases/{other.code}/").status_code == 404
    assert login(personas.unit_handler).get(f"/cases/{case.code}/").status_code == 404


def test_it_shows_a_citizen_their_own_case_only(personas, login):
    own = submit(personas)
    foreign = _anonymous_case(personas)
    client = login(personas.citizen)
    response = client.get(f"/cases/{own.code}/")
    assert response.status_code == 200
    assert _forms(response) == set()
    assert client.get(f"/cases/{foreign.code}/").status_code == 404


def test_it_shows_the_submitter_their_own_data_and_the_rating_form(personas, login, town_handler):
    case = handling_by_town(personas, town_handler)
    case_reply(
        case=case,
        actor=town_handler,
        version=case.version,
        result_class="solved",
        reply="已更换三盏路灯。",
    )
    response = login(personas.citizen).get(f"/cases/{case.code}/")
    assert _forms(response) == {"rate"}
    assert "已更换三盏路灯。" in response.text
    assert "已解决" in response.text
    assert "李群众" in response.text


def test_it_shows_assignments_and_a_pending_extension(personas, login, town_handler):
    case = handling_by_town(personas, town_handler)
    case_extend_request(
        case=case, actor=town_handler, version=case.version, days=5, reason="需协调供电公司"
    )
    response = login(personas.town_clerk).get(f"/cases/{case.code}/")
    text = response.text
    assert "申请延期 5 个工作日（待审批）" in text
    assert "需协调供电公司" in text
    assert {"extend_approve", "extend_refuse"} <= _forms(response)
    # The timeline names the staff who acted, with the action in Chinese.
    for label in ("受理", "交办", "签收", "申请延期"):
        assert f"<strong>{label}</strong>" in text
    assert "东湖街道工委干部" in text
    assert "街道办经办人" in text


def test_it_escapes_html_in_user_text(personas, login):
    case = submit(
        personas,
        title="<img src=x onerror=alert(1)>路灯",
        content="<script>alert('content')</script>",
    )
    response = login(personas.town_clerk).get(f"/cases/{case.code}/")
    assert "<img src=x" not in response.text
    assert "<script>alert('content')" not in response.text
    assert "&lt;img src=x onerror=alert(1)&gt;路灯" in response.text


@pytest.mark.parametrize("persona", ["town_clerk", "leader", "citizen"])
def test_it_renders_the_page_in_a_bounded_number_of_queries(
    personas, login, django_assert_max_num_queries, persona, town_handler
):
    case = handling_by_town(personas, town_handler)
    client = login(personas.users[persona])
    client.get(f"/cases/{case.code}/")
    # session, user, memberships; the case; its lead assignment (allowed_actions); the
    # submitter; the timeline with its actors; installation; grid; merged cases; assignments
    # with their units; attachments; the leaders for the supervise form (clerk and leader
    # only); the session's sliding expiry (savepoint, update, release).
    with django_assert_max_num_queries(16):
        assert client.get(f"/cases/{case.code}/").status_code == 200


def test_it_lists_and_serves_attachments_within_scope(personas, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    case = submit(personas)
    photo = SimpleUploadedFile("路灯<坏>.jpg", b"\xff\xd8\xff\xe1\x00\x18Exif" + b"\x00" * 64)
    (attachment,) = attachments_add(case=case, uploads=check_uploads([photo]), actor=None)
    client = login(personas.town_clerk)
    page = client.get(f"/cases/{case.code}/")
    url = f"/cases/{case.code}/files/{attachment.pk}/"
    assert url in page.text
    assert "路灯&lt;坏&gt;.jpg" in page.text
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert login(personas.other_town_clerk).get(url).status_code == 404
    other = submit(personas, title="另一件")
    assert client.get(f"/cases/{other.code}/files/{attachment.pk}/").status_code == 404
