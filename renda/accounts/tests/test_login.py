"""Login, lockout and the login log (等保 2.0: 身份鉴别、登录失败处理、安全审计)."""

from axes.models import AccessAttempt, AccessLog

from renda.testing import PASSWORD


def test_it_shows_a_chinese_login_page(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "用户名" in response.text
    assert "密码" in response.text
    assert 'lang="zh-CN"' in response.text


def test_it_logs_in_and_lands_on_the_workbench(client, personas):
    response = client.post("/accounts/login/", {"username": "town_clerk", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert "东湖街道工委干部" in home.text


def test_it_records_each_login_in_the_login_log(client, personas):
    client.post("/accounts/login/", {"username": "town_clerk", "password": PASSWORD})
    log = AccessLog.objects.get(username="town_clerk")
    assert log.ip_address
    assert log.attempt_time


def test_it_rejects_a_wrong_password_in_chinese(client, personas):
    response = client.post("/accounts/login/", {"username": "town_clerk", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.text


def test_it_locks_out_after_five_failures(client, personas):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "town_clerk", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "town_clerk", "password": PASSWORD})
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.text
    assert AccessAttempt.objects.filter(username="town_clerk").exists()


def test_it_logs_out_with_a_post(client, personas):
    client.post("/accounts/login/", {"username": "town_clerk", "password": PASSWORD})
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_it_checks_csrf_on_login(personas):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "town_clerk", "password": PASSWORD})
    assert response.status_code == 403


def test_it_rejects_a_weak_password_on_change(personas, login):
    client = login(personas.town_clerk)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "密码" in response.text
    personas.town_clerk.refresh_from_db()
    assert personas.town_clerk.check_password(PASSWORD)
