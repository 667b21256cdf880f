"""Errors speak Chinese and keep the frame; nothing returns Django's English pages."""


def test_it_explains_a_missing_record_in_chinese(personas, login):
    response = login(personas.town_clerk).get("/org/units/999999/")
    assert response.status_code == 404
    assert "没有找到该页面或记录" in response.text


def test_it_explains_a_refusal_in_chinese(personas, login):
    response = login(personas.citizen).get("/org/")
    assert response.status_code == 403
    assert "您没有执行此操作的权限" in response.text


def test_it_explains_an_expired_form_in_chinese(personas):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x"})
    assert response.status_code == 403
    assert "页面已过期" in response.text


def test_it_shows_admin_the_trees(personas, login):
    client = login(personas.admin)
    for url in ["/admin/org/region/", "/admin/org/orgunit/", "/admin/org/station/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "示例" in response.text


def test_it_keeps_clerks_out_of_the_admin_site(personas, login):
    response = login(personas.city_clerk).get("/admin/")
    assert response.status_code == 302
