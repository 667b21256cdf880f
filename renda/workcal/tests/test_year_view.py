def test_it_shows_the_year_to_staff(personas, login):
    response = login(personas.town_clerk).get("/calendar/?year=2026")
    assert response.status_code == 200
    assert "2026 年工作日历" in response.text
    assert "国庆节" in response.text


def test_it_survives_a_bad_year(personas, login):
    response = login(personas.town_clerk).get("/calendar/?year=abc")
    assert response.status_code == 200


def test_it_requires_login(client, db):
    response = client.get("/calendar/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
