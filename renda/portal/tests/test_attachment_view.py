"""/p/files/<code>/<pk>/: an attachment for those who may see its case, 404 for the rest."""

from django.core.files.uploadedfile import SimpleUploadedFile

from renda.cases.models import Case
from renda.portal.tests.conftest import PDF, form_data, jpeg


def _case_with_files(client, personas) -> Case:
    photos = [jpeg("路灯.jpg"), SimpleUploadedFile("回执.pdf", PDF, "application/pdf")]
    client.post("/p/submit/", form_data(personas, photos=photos))
    return Case.objects.get()


def test_it_serves_the_submitter_who_tracked_it(client, personas):
    case = _case_with_files(client, personas)  # the submitting browser remembers the code
    photo, pdf = case.attachments.order_by("pk")
    response = client.get(f"/p/files/{case.code}/{photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert "filename*=utf-8''%E8%B7%AF%E7%81%AF.jpg" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")
    download = client.get(f"/p/files/{case.code}/{pdf.pk}/")
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/pdf"


def test_it_serves_the_staff_in_scope_and_hides_it_from_others(client, personas, login):
    case = _case_with_files(client, personas)
    photo = case.attachments.first()
    url = f"/p/files/{case.code}/{photo.pk}/"
    for allowed in (personas.town_clerk, personas.county_clerk, personas.city_clerk):
        assert login(allowed).get(url).status_code == 200
    for outsider in (personas.other_town_clerk, personas.citizen, personas.unit_handler):
        assert login(outsider).get(url).status_code == 404


def test_it_hides_it_from_an_anonymous_stranger(client, personas):
    case = _case_with_files(client, personas)
    photo = case.attachments.first()
    client.session.flush()
    client.cookies.clear()
    assert client.get(f"/p/files/{case.code}/{photo.pk}/").status_code == 404


def test_it_does_not_serve_an_attachment_under_another_case_code(client, personas):
    case = _case_with_files(client, personas)
    photo = case.attachments.first()
    client.post("/p/submit/", form_data(personas, idempotency_key="second"))
    other = Case.objects.exclude(pk=case.pk).get()
    assert client.get(f"/p/files/{other.code}/{photo.pk}/").status_code == 404
