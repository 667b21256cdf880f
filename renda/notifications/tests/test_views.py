"""The message box: /messages/, opening a message, 全部标为已读 and the unread badge."""

from django.utils.html import escape

from renda.cases.tests.helpers import submit
from renda.notifications.models import Message


def _submitted(personas, committed, n: int = 1, **overrides):
    """Cases from the citizen: the town clerk gets one message per case."""
    with committed():
        cases = [submit(personas, **overrides) for _ in range(n)]
    return cases


def test_it_lists_the_users_own_messages_newest_first(personas, login, committed):
    first, second = _submitted(personas, committed, 2)
    response = login(personas.town_clerk).get("/messages/")
    assert response.status_code == 200
    text = response.text
    assert text.index(second.code) < text.index(first.code)
    assert text.count('data-unread="1"') == 2
    assert "全部标为已读" in text


def test_it_shows_an_outsider_none_of_the_others_messages(personas, login, committed):
    case = _submitted(personas, committed)[0]
    for outsider in (personas.other_town_clerk, personas.leader, personas.citizen):
        response = login(outsider).get("/messages/")
        assert response.status_code == 200
        assert case.code not in response.text
        assert "暂无消息" in response.text


def test_it_shows_html_in_a_case_title_as_text(personas, login, committed):
    _submitted(personas, committed, title="<script>alert(1)</script>路灯")
    response = login(personas.town_clerk).get("/messages/")
    assert "<script>alert(1)</script>" not in response.text
    assert escape("<script>alert(1)</script>") in response.text


def test_it_marks_a_message_read_on_post_and_goes_to_its_case(personas, login, committed):
    case = _submitted(personas, committed)[0]
    message = Message.objects.get(recipient=personas.town_clerk)
    client = login(personas.town_clerk)
    # A GET (a link preview, a prefetch) changes nothing.
    assert client.get(f"/messages/{message.pk}/read/").status_code == 405
    message.refresh_from_db()
    assert message.read_at is None
    response = client.post(f"/messages/{message.pk}/read/")
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.code}/"
    message.refresh_from_db()
    assert message.read_at is not None
    assert 'data-unread="1"' not in client.get("/messages/").text


def test_it_refuses_to_mark_someone_elses_message(personas, login, committed):
    _submitted(personas, committed)
    message = Message.objects.get(recipient=personas.town_clerk)
    for outsider in (personas.other_town_clerk, personas.leader):
        assert login(outsider).post(f"/messages/{message.pk}/read/").status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_it_marks_all_of_the_users_messages_read_and_no_one_elses(personas, login, committed):
    _submitted(personas, committed, 3)
    other = Message.objects.create(
        recipient=personas.county_clerk, kind=Message.Kind.PROGRESS, title="别人的消息"
    )
    client = login(personas.town_clerk)
    assert client.get("/messages/read-all/").status_code == 405
    response = client.post("/messages/read-all/", follow=True)
    assert "已将3条消息标为已读" in response.text
    assert not Message.objects.filter(recipient=personas.town_clerk, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_it_serves_the_unread_count_as_a_badge(personas, login, client, committed):
    _submitted(personas, committed, 2)
    assert client.get("/messages/unread-count/").content == b""  # signed out
    clerk = login(personas.town_clerk)
    response = clerk.get("/messages/unread-count/")
    assert response.status_code == 200
    assert ">2</a>" in response.text and 'href="/messages/"' in response.text
    clerk.post("/messages/read-all/")
    assert clerk.get("/messages/unread-count/").content.strip() == b""


def test_it_requires_sign_in_for_the_inbox(client):
    response = client.get("/messages/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_lists_messages_in_few_queries(
    personas, login, committed, django_assert_max_num_queries
):
    _submitted(personas, committed, 40)
    client = login(personas.town_clerk)
    # session, user, memberships, installation, count, page — and the session's sliding
    # expiry (savepoint, update, release); the same for 40 messages as for one.
    with django_assert_max_num_queries(9):
        response = client.get("/messages/")
    assert response.text.count('data-testid="message"') == 30
    assert "第 1 / 2 页" in response.text


def test_it_counts_unread_messages_in_one_query(
    personas, login, committed, django_assert_max_num_queries
):
    _submitted(personas, committed, 5)
    client = login(personas.town_clerk)
    # session, user, the count — and the session's sliding expiry (savepoint, update, release).
    with django_assert_max_num_queries(6):
        client.get("/messages/unread-count/")
