"""Attachments of a case (附件): photos and PDFs, checked by their bytes.

A file's type is what its first bytes say, not its name or the type the browser sent: a text
file renamed `.jpg` is refused, a photo without an extension is kept as what it is. Every
check runs before anything is written, so a bad file, one too large or one too many leaves
nothing behind. Files are stored under a random name and served only by `attachment_response`
after the caller has checked who may see the case; nothing here deletes a file.
"""

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse

from renda.accounts.models import User
from renda.cases.models import Attachment, Case
from renda.cases.services import case_submit

CT = Attachment.ContentType
MAX_SIZE = Attachment.MAX_SIZE
MAX_PER_CASE = Attachment.MAX_PER_CASE

# The extension each type is stored under, and the extensions a file of it may carry.
STORED_EXTENSION = {CT.JPEG: "jpg", CT.PNG: "png", CT.WEBP: "webp", CT.GIF: "gif", CT.PDF: "pdf"}
_IMAGE_EXTENSIONS = {"jpg", "jpeg", "jpe", "jfif", "png", "webp", "gif"}
_PDF_EXTENSIONS = {"pdf"}

ALLOWED_LABEL = "JPG、PNG、WebP、GIF 图片或 PDF 文件"


def sniff(head: bytes) -> str | None:
    """The content type that a file's first bytes (16 are enough) announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return CT.JPEG
    # The PNG signature is followed by the length and name of the mandatory IHDR chunk.
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return CT.PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return CT.GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return CT.WEBP
    if head.startswith(b"%PDF-"):
        return CT.PDF
    return None


def clean_name(name: str) -> str:
    """The file's own name, without any folder a browser sent and without control characters,
    at most 255 characters with its extension kept."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip() or "附件"
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 255 - len(ext) - 1]}.{ext}" if dot and len(ext) < 16 else name[:255]
    return name


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


@dataclass(frozen=True)
class CheckedUpload:
    """An uploaded file that passed every check, with the type its bytes showed."""

    file: UploadedFile
    name: str
    content_type: str
    size: int


def check_upload(upload: UploadedFile) -> CheckedUpload:
    name = clean_name(upload.name or "")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(f"“{name}”是空文件，请重新选择。")
    if size > MAX_SIZE:
        raise ValidationError(
            f"“{name}”大小为{_megabytes(size)}，超过单个文件{MAX_SIZE // (1024 * 1024)} MB的上限。"
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise ValidationError(f"“{name}”不是有效的{ALLOWED_LABEL}，请重新选择。")
    ext = _extension(name)
    expected = _PDF_EXTENSIONS if content_type == CT.PDF else _IMAGE_EXTENSIONS
    if ext and ext not in expected:
        label = CT(content_type).label
        raise ValidationError(f"“{name}”的扩展名与内容不符（内容为{label}），请重新选择。")
    return CheckedUpload(file=upload, name=name, content_type=content_type, size=size)


def check_uploads(files: Iterable[UploadedFile], *, existing: int = 0) -> list[CheckedUpload]:
    """Check every file before any is stored: the count (with the `existing` attachments of the
    case), then each file's size and content. Raises one ValidationError listing every
    problem, in Chinese."""
    files = list(files)
    room = MAX_PER_CASE - existing
    if len(files) > room:
        if existing:
            message = (
                f"每件最多{MAX_PER_CASE}个附件，已有{existing}个，"
                f"本次最多还能上传{max(room, 0)}个（选择了{len(files)}个）。"
            )
        else:
            message = f"每件最多上传{MAX_PER_CASE}个附件（本次选择了{len(files)}个）。"
        raise ValidationError(message)
    checked: list[CheckedUpload] = []
    problems: list[str] = []
    for upload in files:
        try:
            checked.append(check_upload(upload))
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError(problems)
    return checked


@transaction.atomic
def attachments_add(
    *,
    case: Case,
    uploads: list[CheckedUpload],
    actor: User | None,
    only_if_none: bool = False,
) -> list[Attachment]:
    """Store checked uploads on a case. The case row is locked while its attachments are
    counted, so two uploads at once cannot pass the limit together. With `only_if_none`, a
    case that already has attachments gets no more: a retried submission must not store its
    photos twice."""
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    existing = Attachment.objects.filter(case=locked).count()
    if only_if_none and existing:
        return []
    if existing + len(uploads) > MAX_PER_CASE:
        check_uploads([u.file for u in uploads], existing=existing)  # raises the message
    actor = actor if actor is not None and actor.is_authenticated else None
    stored = []
    for upload in uploads:
        attachment = Attachment(
            case=locked,
            original_name=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            uploaded_by=actor,
        )
        upload.file.seek(0)
        name = f"{uuid.uuid4().hex}.{STORED_EXTENSION[CT(upload.content_type)]}"
        attachment.file.save(name, upload.file, save=False)
        attachment.full_clean()
        attachment.save()
        stored.append(attachment)
    return stored


def case_submit_with_files(*, files: Iterable[UploadedFile] = (), **fields) -> Case:
    """`case_submit` with photos: the files are checked first, and the case and its
    attachments are written in one transaction. A retry with the same idempotency key returns
    the case the first request created, with the attachments it stored."""
    uploads = check_uploads(files)
    with transaction.atomic():
        case = case_submit(**fields)
        if uploads:
            attachments_add(case=case, uploads=uploads, actor=fields["actor"], only_if_none=True)
    return case


def case_attachments(case: Case):
    return Attachment.objects.filter(case=case).order_by("pk")


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file, for a caller that has already checked who may see its case. Images open in
    the browser, PDFs download; both under their original name, with the type their bytes
    showed, and sandboxed so that nothing in a file can run as this site."""
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["Cache-Control"] = "private, max-age=3600"
    return response
