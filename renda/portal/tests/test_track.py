"""/p/track/: code + last four digits of the phone open the status page; rating from there."""

from renda.cases.models import Case
from renda.cases.services import case_reject
from renda.portal.tests.conftest import replied_case
from renda.portal.views import MAX_FAILURES, TOO_MANY, TRACK_FAILED


def _track(client, code, last4="5678"):
    return client.post("/p/track/", {"code": code, "phone_last4": last4})


def test_it_opens_the_status_page_with_the_right_phone(client, personas, town_handler):
    case = replied_case(personas, town_handler)
    response = _track(client, case.code.lower())
    assert response["Location"] == f"/p/track/{case.code}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "已答复，请您评价" in page.text
    assert "已更换灯具，恢复照明。" in page.text
    assert "请您评价" in page.text
    # Units and action labels, never the staff who acted nor their notes.
    assert "东湖街道人大工委" in page.text
    assert "东湖街道办事处" in page.text
    for staff in ("东湖街道工委干部", "街道办经办人"):
        assert staff not in page.text
    # The submitter's own phone is not echoed back either.
    assert "13812345678" not in page.text


def test_it_gives_one_generic_message_for_a_wrong_phone_or_code(client, personas, town_handler):
    case = replied_case(personas, town_handler)
    wrong_phone = _track(client, case.code, "0000")
    unknown = _track(client, "MQ2026-999999", "5678")
    for response in (wrong_phone, unknown):
        assert response.status_code == 200
        assert TRACK_FAILED in response.text
    # Nothing was opened: the status page sends the browser back to the form.
    assert client.get(f"/p/track/{case.code}/")["Location"] == f"/p/track/?code={case.code}"


def test_it_refuses_tracking_after_too_many_failures(client, personas, town_handler):
    case = replied_case(personas, town_handler)
    for _ in range(MAX_FAILURES):
        _track(client, case.code, "0000")
    response = _track(client, case.code)  # now even the right digits are refused
    assert TOO_MANY in response.text
    assert response.status_code == 200


def test_it_lets_tracking_again_after_ten_minutes(client, personas, town_handler, clock):
    case = replied_case(personas, town_handler)
    for _ in range(MAX_FAILURES):
        _track(client, case.code, "0000")
    clock.shift(11 * 60)
    assert _track(client, case.code)["Location"] == f"/p/track/{case.code}/"


def test_it_closes_the_case_on_a_satisfied_rating(client, personas, town_handler):
    case = replied_case(personas, town_handler)
    _track(client, case.code)
    response = client.post(
        f"/p/track/{case.code}/rate/",
        {"rating": "satisfied", "note": "很及时", "version": case.version},
        follow=True,
    )
    case.refresh_from_db()
    assert case.state == Case.State.CLOSED
    assert case.rating == "satisfied"
    assert "感谢您的评价" in response.text
    assert "请您评价" not in response.text
    event = case.events.get(action="rate")
    assert event.actor is None and event.data["by_phone"] is True


def test_it_reopens_the_case_on_an_unsatisfied_rating(client, personas, town_handler):
    case = replied_case(personas, town_handler)
    _track(client, case.code)
    response = client.post(
        f"/p/track/{case.code}/rate/", {"rating": "unsatisfied", "version": case.version}
    )
    assert response["Location"] == f"/p/track/{case.code}/"
    case.refresh_from_db()
    assert case.state == Case.State.HANDLING
    assert case.unsatisfied_count == 1
    assert "重新办理" in client.get(response["Location"]).text


def test_it_reports_a_stale_rating_form(client, personas, town_handler):
    case = replied_case(personas, town_handler)
    _track(client, case.code)
    response = client.post(
        f"/p/track/{case.code}/rate/",
        {"rating": "satisfied", "version": case.version - 1},
        follow=True,
    )
    assert "版本已变化" in response.text
    case.refresh_from_db()
    assert case.state == Case.State.REPLIED


def test_it_refuses_a_rating_without_a_choice(client, personas, town_handler):
    case = replied_case(personas, town_handler)
    _track(client, case.code)
    response = client.post(f"/p/track/{case.code}/rate/", {"version": case.version})
    assert response.status_code == 200
    assert "请选择满意、基本满意或不满意" in response.text
    case.refresh_from_db()
    assert case.state == Case.State.REPLIED


def test_it_refuses_a_rating_from_a_browser_that_did_not_track(client, personas, town_handler):
    case = replied_case(personas, town_handler)
    response = client.post(
        f"/p/track/{case.code}/rate/", {"rating": "satisfied", "version": case.version}
    )
    assert response["Location"] == f"/p/track/?code={case.code}"
    case.refresh_from_db()
    assert case.state == Case.State.REPLIED


def test_it_shows_the_reason_of_a_rejection(client, personas):
    from renda.cases.tests.helpers import submit

    case = submit(personas, actor=None, submitter_name="王五", submitter_phone="13812345678")
    case_reject(
        case=case, actor=personas.town_clerk, version=case.version, reason="不属于人大受理范围"
    )
    _track(client, case.code)
    page = client.get(f"/p/track/{case.code}/")
    assert "不予受理" in page.text and "不属于人大受理范围" in page.text


def test_it_lets_the_submitters_account_open_its_case_without_a_phone(personas, login):
    from renda.cases.tests.helpers import submit

    case = submit(personas)  # the citizen's own account, no phone
    assert login(personas.citizen).get(f"/p/track/{case.code}/").status_code == 200
    other = login(personas.deputy).get(f"/p/track/{case.code}/")
    assert other.status_code == 302


def test_it_refuses_an_address_that_fails_too_often_whatever_its_sessions(personas, town_handler):
    """A script that drops its cookie after each guess gets a new session each time; the
    address it guesses from is counted too (throttle.MAX_FAILURES_PER_ADDRESS)."""
    from django.test import Client

    from renda.portal import throttle

    case = replied_case(personas, town_handler)
    for _ in range(throttle.MAX_FAILURES_PER_ADDRESS):
        response = _track(Client(), case.code, "0000")  # a fresh session every time
        assert TRACK_FAILED in response.text
    response = _track(Client(), case.code)  # the right digits, from the same address
    assert TOO_MANY in response.text
    # Another address is not held up.
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert _track(other, case.code)["Location"] == f"/p/track/{case.code}/"


def test_it_lets_an_address_track_again_after_the_window(personas, town_handler, clock):
    from django.test import Client

    from renda.portal import throttle

    case = replied_case(personas, town_handler)
    for _ in range(throttle.MAX_FAILURES_PER_ADDRESS):
        _track(Client(), case.code, "0000")
    assert TOO_MANY in _track(Client(), case.code).text
    clock.shift(throttle.FAILURE_WINDOW + 60)
    assert _track(Client(), case.code)["Location"] == f"/p/track/{case.code}/"
