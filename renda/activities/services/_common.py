"""What the activity services share: the text and scope checks, and photo uploads.

Every write to activities, campaigns, schedules and visits: one service per action.

Each takes keyword arguments with the acting user, runs in one transaction, checks the actor's
scope (a clerk records only for deputies and stations in scope; a deputy only for themselves)
and raises ValidationError with a Chinese message for bad input. Nothing is deleted.
"""

import datetime as dt
import uuid
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile

from renda.activities import selectors
from renda.activities.models import (
    Activity,
    ActivityPhoto,
    Campaign,
    CampaignDirection,
)
from renda.cases.attachments import STORED_EXTENSION, check_upload
from renda.deputies.models import Deputy
from renda.org.models import Region, Station
from renda.org.scope import scope_for

MAX_PHOTOS = 9
# How far ahead a schedule fills the calendar when no end is given.
GENERATE_DAYS = 92


def _clean_text(value: str, *, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"请填写{label}。")
    if len(value) > max_length:
        raise ValidationError(f"{label}不能超过{max_length}字（现有{len(value)}字）。")
    return value


def _require_manage(actor) -> None:
    if not selectors.can_manage(actor):
        raise PermissionDenied("您没有管理履职活动的权限。")


def _check_station(actor, station: Station | None) -> None:
    if (
        station is not None
        and not selectors.stations_for_activities(actor).filter(pk=station.pk).exists()
    ):
        raise ValidationError({"station": f"联络站“{station.name}”不在您的管辖范围内。"})


def _check_region(actor, region: Region) -> None:
    in_scope = scope_for(actor).filter(Region.objects.filter(pk=region.pk), region="").exists()
    if selectors.can_manage(actor) and not in_scope:
        raise ValidationError({"region": f"“{region.name}”不在您的管辖范围内。"})


def _check_deputy(actor, deputy: Deputy) -> None:
    if not selectors.deputies_for_attendance(actor).filter(pk=deputy.pk).exists():
        raise ValidationError({"deputy": f"代表“{deputy.name}”不在您的管辖范围内，不能为其登记。"})


def _check_campaign(
    actor,
    campaign: Campaign | None,
    direction: CampaignDirection | None,
    day: dt.date,
    region: Region,
) -> None:
    if direction is not None and (campaign is None or direction.campaign_id != campaign.pk):
        raise ValidationError({"direction": "所选活动方向不属于该主题活动。"})
    if campaign is None:
        return
    if not selectors.campaigns_for_user(actor).filter(pk=campaign.pk).exists():
        raise ValidationError({"campaign": "该主题活动不在您的管辖范围内。"})
    if not campaign.is_active:
        raise ValidationError({"campaign": f"主题活动“{campaign.name}”已停用。"})
    if not campaign.start_date <= day <= campaign.end_date:
        raise ValidationError(
            {
                "date": f"活动日期{day:%Y-%m-%d}不在主题活动“{campaign.name}”的期间"
                f"（{campaign.start_date:%Y-%m-%d}至{campaign.end_date:%Y-%m-%d}）内。"
            }
        )
    if not region.path.startswith(campaign.region.path):
        raise ValidationError(
            {"campaign": f"“{region.name}”不在主题活动“{campaign.name}”的范围内。"}
        )


def _photos_add(*, activity: Activity, photos: Sequence[UploadedFile], actor) -> None:
    existing = activity.photos.count()
    if existing + len(photos) > MAX_PHOTOS:
        raise ValidationError(f"每次活动最多{MAX_PHOTOS}张照片（已有{existing}张）。")
    checked, problems = [], []
    for upload in photos:
        try:
            item = check_upload(upload)
        except ValidationError as error:
            problems.extend(error.messages)
            continue
        if not item.content_type.startswith("image/"):
            problems.append(f"“{item.name}”不是图片。")
            continue
        checked.append(item)
    if problems:
        raise ValidationError(problems)
    for item in checked:
        photo = ActivityPhoto(
            activity=activity,
            original_name=item.name,
            content_type=item.content_type,
            size=item.size,
            uploaded_by=actor,
        )
        name = f"{uuid.uuid4().hex}.{STORED_EXTENSION[item.content_type]}"
        photo.file.save(name, item.file, save=False)
        photo.save()
