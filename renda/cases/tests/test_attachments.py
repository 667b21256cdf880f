"""Attachments: type by content, size and count limits, nothing stored when a check fails."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.cases.attachments import (
    attachments_add,
    case_submit_with_files,
    check_uploads,
    clean_name,
    sniff,
)
from renda.cases.models import Attachment, Case
from renda.cases.tests.helpers import category, submit

JPEG = b"\xff\xd8\xff\xe1\x00\x18Exif\x00\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (GIF, "image/gif"),
        (WEBP, "image/webp"),
        (PDF, "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 8, None),  # a signature without its IHDR chunk
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"<html><script>alert(1)</script>", None),
        (b"", None),
    ],
)
def test_it_knows_a_file_by_its_first_bytes(content, expected):
    assert sniff(content[:16]) == expected


def test_it_keeps_only_the_files_own_name():
    assert clean_name("C:\\Users\\me\\照片 1.jpg") == "照片 1.jpg"
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("a\x00b.png") == "ab.png"
    assert clean_name("") == "附件"
    long = clean_name("长" * 300 + ".jpeg")
    assert len(long) == 255 and long.endswith(".jpeg")


def test_it_accepts_every_allowed_type_and_a_name_without_extension():
    files = [
        upload("a.JPG", JPEG),
        upload("b.png", PNG),
        upload("c.gif", GIF),
        upload("d.webp", WEBP),
        upload("e.pdf", PDF),
        upload("微信图片", JPEG),
        upload("mislabelled.png", JPEG),  # a photo is a photo, whatever image name it has
    ]
    checked = check_uploads(files)
    assert [c.content_type for c in checked] == [
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "application/pdf",
        "image/jpeg",
        "image/jpeg",
    ]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([upload("photo.jpg", b"plain text pretending")], "“photo.jpg”不是有效的"),
        ([upload("report.pdf", JPEG)], "“report.pdf”的扩展名与内容不符（内容为JPEG 图片）"),
        ([upload("photo.jpg", PDF)], "扩展名与内容不符"),
        ([upload("x.exe", PNG)], "扩展名与内容不符"),
        ([upload("big.png", PNG + b"\x00" * (10 * 1024 * 1024))], "超过单个文件10 MB的上限"),
        ([upload(f"{i}.jpg", JPEG) for i in range(10)], "每件最多上传9个附件（本次选择了10个）"),
    ],
)
def test_it_refuses_with_a_chinese_message(files, message):
    with pytest.raises(ValidationError) as error:
        check_uploads(files)
    assert message in " ".join(error.value.messages)


def test_it_accepts_exactly_ten_megabytes():
    assert check_uploads([upload("max.jpg", JPEG + b"\x00" * (10 * 1024 * 1024 - len(JPEG)))])


def test_it_lists_every_bad_file_at_once():
    with pytest.raises(ValidationError) as error:
        check_uploads([upload("a.jpg", b"text"), upload("b.jpg", JPEG), upload("c.pdf", b"x")])
    assert len(error.value.messages) == 2


def test_it_stores_under_a_random_name_and_counts_existing_files(personas, media):
    case = submit(personas)
    stored = attachments_add(
        case=case, uploads=check_uploads([upload("路灯.jpg", JPEG)] * 1), actor=personas.citizen
    )
    (attachment,) = stored
    assert attachment.original_name == "路灯.jpg"
    assert attachment.content_type == "image/jpeg"
    assert attachment.size == len(JPEG)
    assert attachment.uploaded_by == personas.citizen
    assert attachment.file.name.startswith("cases/2026/09/")
    assert attachment.file.name.endswith(".jpg") and "路灯" not in attachment.file.name
    assert (media / attachment.file.name).read_bytes() == JPEG

    more = check_uploads([upload(f"{i}.jpg", JPEG) for i in range(9)])
    with pytest.raises(ValidationError) as error:
        attachments_add(case=case, uploads=more, actor=personas.citizen)
    assert "已有1个，本次最多还能上传8个" in error.value.messages[0]
    assert Attachment.objects.filter(case=case).count() == 1


def test_it_does_not_store_a_retry_twice(personas):
    case = submit(personas)
    uploads = check_uploads([upload("a.jpg", JPEG)])
    attachments_add(case=case, uploads=uploads, actor=None, only_if_none=True)
    assert attachments_add(case=case, uploads=uploads, actor=None, only_if_none=True) == []
    assert case.attachments.count() == 1


def _fields(personas, **overrides):
    fields = {
        "actor": None,
        "title": "湖滨路路灯不亮",
        "content": "三盏路灯已坏一周。",
        "category": category(),
        "region": personas.regions["village"],
        "channel": Case.Channel.PORTAL,
        "submitter_name": "王五",
        "submitter_phone": "13812345678",
        "idempotency_key": "retry-1",
    }
    fields.update(overrides)
    return fields


def test_it_submits_a_case_with_its_files_once(personas):
    case = case_submit_with_files(files=[upload("a.jpg", JPEG)], **_fields(personas))
    again = case_submit_with_files(files=[upload("a.jpg", JPEG)], **_fields(personas))
    assert again.pk == case.pk
    assert case.attachments.count() == 1


def test_it_stores_nothing_when_a_file_or_the_case_is_bad(personas, media):
    with pytest.raises(ValidationError):
        case_submit_with_files(files=[upload("a.jpg", b"text")], **_fields(personas))
    with pytest.raises(ValidationError):
        case_submit_with_files(
            files=[upload("a.jpg", JPEG)], **_fields(personas, submitter_phone="123")
        )
    assert not Case.objects.exists()
    assert not Attachment.objects.exists()
    assert not media.exists() or not any(media.rglob("*.*"))
