"""manage.py open311_client, and clients in the admin site."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renda.open311.models import Client, key_digest


def test_it_creates_a_client_and_prints_its_key_last(personas):
    out = StringIO()
    call_command("open311_client", "--name", "12345 热线", "--region", "331002", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    client = Client.objects.get(key_digest=key_digest(key))
    assert client.name == "12345 热线"
    assert client.region == personas.regions["county"]
    assert client.is_active
    assert len(key) >= 40
    assert key not in {client.key_digest, client.name}


def test_it_refuses_an_unknown_region(personas):
    with pytest.raises(CommandError, match="不存在"):
        call_command("open311_client", "--name", "x", "--region", "999999", stdout=StringIO())
    assert not Client.objects.exists()


def test_it_refuses_a_duplicate_name(personas):
    call_command("open311_client", "--name", "x", "--region", "331002", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("open311_client", "--name", "x", "--region", "331002", stdout=StringIO())


def test_it_shows_a_new_key_once_in_the_admin(personas, login):
    client = login(personas.admin)
    response = client.post(
        "/admin/open311/client/add/",
        {"name": "城市大脑", "region": personas.regions["county"].pk, "is_active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    [message] = [str(m) for m in response.context["messages"] if "API 密钥" in str(m)]
    key = message.rsplit("：", 1)[-1]
    api = Client.objects.get(key_digest=key_digest(key))
    assert api.name == "城市大脑"
    listing = client.get("/admin/open311/client/").content.decode()
    assert "城市大脑" in listing and key not in listing
    assert key not in client.get(f"/admin/open311/client/{api.pk}/change/").content.decode()
