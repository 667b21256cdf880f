"""/p/mine/: a logged-in citizen's own opinions, and only theirs."""

from renda.cases.tests.helpers import submit


def test_it_lists_only_the_citizens_own_cases(personas, login, django_assert_max_num_queries):
    own = submit(personas, title="我的路灯问题")
    submit(personas, actor=personas.deputy, title="代表自己的意见")
    submit(
        personas,
        actor=None,
        title="匿名的意见",
        submitter_name="王五",
        submitter_phone="13812345678",
    )
    client = login(personas.citizen)
    # session, user, count, the page with category and region, installation and memberships
    # (the shell's context), and the session's sliding expiry (savepoint, update, release).
    with django_assert_max_num_queries(9):
        response = client.get("/p/mine/")
    assert "我的路灯问题" in response.text
    assert f"/p/track/{own.code}/" in response.text
    assert "已提交，等待受理" in response.text
    assert "代表自己的意见" not in response.text
    assert "匿名的意见" not in response.text


def test_it_asks_an_anonymous_visitor_to_log_in(client, personas):
    response = client.get("/p/mine/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_a_staff_member_an_empty_list(personas, login):
    submit(personas)
    response = login(personas.town_clerk).get("/p/mine/")
    assert "您还没有用本账号提交过意见" in response.text
