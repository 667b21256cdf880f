"""/p/: the portal's front page, big buttons for a phone, no staff frame."""


def test_it_offers_the_three_big_buttons_to_everyone(client, personas):
    response = client.get("/p/")
    assert response.status_code == 200
    for label in ("我要反映", "查询进度", "公开答复"):
        assert label in response.text
    assert "代选民反映" not in response.text
    assert "renda-topbar" not in response.text
    assert "/accounts/login/?next=/p/" in response.text


def test_it_offers_a_deputy_the_collecting_pages(personas, login):
    response = login(personas.deputy).get("/p/")
    assert "代选民反映" in response.text and "我收集的意见" in response.text
    assert "我的反映" in response.text


def test_it_offers_a_citizen_their_own_list_only(personas, login):
    response = login(personas.citizen).get("/p/")
    assert "我的反映" in response.text
    assert "代选民反映" not in response.text
