"""What goes in and out of the Open311 endpoints: parameters checked into plain values, and
rows rendered as the spec's JSON or XML. No decisions are made here.

Personal data never leaves through these rows: no submitter name, phone, email or address; a
phone or ID number typed into the text itself is masked; coordinates only for public cases.
"""

import datetime as dt
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from renda.cases.models import MOBILE_PHONE_REGEX, Case, Category
from renda.lib.masking import mask_free_text
from renda.open311.errors import bad_argument
from renda.open311.models import Client
from renda.open311.selectors import CLOSED_STATES, DEFAULT_RESULTS, MAX_RESULTS, RequestFilters

MAX_DAYS = 90

# -- input -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestInput:
    """POST requests' parameters, checked. Coordinates are both given or both None."""

    description: str
    lat: Decimal | None
    long: Decimal | None
    address_string: str
    address_id: str
    jurisdiction_id: str
    email: str
    first_name: str
    last_name: str
    phone: str
    media_url: str


def _text(data, name: str, *, label: str, max_length: int) -> str:
    value = (data.get(name) or "").strip()
    if len(value) > max_length:
        raise bad_argument(f"{label}（{name}）不能超过{max_length}字（现有{len(value)}字）。")
    return value


def _coordinate(data, name: str, *, label: str, bound: int) -> Decimal | None:
    raw = (data.get(name) or "").strip()
    if not raw:
        return None
    try:
        number = float(raw)
    except ValueError:
        raise bad_argument(f"{label}（{name}）必须是数字。") from None
    if not math.isfinite(number) or not -bound <= number <= bound:
        raise bad_argument(f"{label}（{name}）应在 -{bound} 到 {bound} 之间。")
    return Decimal(raw).quantize(Decimal("0.000001"))


def parse_request_input(data) -> RequestInput:
    """The parameters of POST requests (service_code and api_key are checked before)."""
    description = _text(data, "description", label="问题描述", max_length=5000)
    if not description:
        raise bad_argument("请填写问题描述（description）。")
    lat = _coordinate(data, "lat", label="纬度", bound=90)
    long = _coordinate(data, "long", label="经度", bound=180)
    if (lat is None) != (long is None):
        raise bad_argument("纬度（lat）与经度（long）须同时提供。")
    address_string = _text(data, "address_string", label="地址", max_length=200)
    address_id = _text(data, "address_id", label="地址编号", max_length=100)
    if lat is None and not address_string and not address_id:
        raise bad_argument(
            "请提供位置：经纬度（lat、long）、地址（address_string）或地址编号（address_id）。"
        )
    email = _text(data, "email", label="邮箱", max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise bad_argument("邮箱（email）格式不正确。") from None
    phone = re.sub(r"[\s-]", "", data.get("phone") or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if phone and not re.fullmatch(MOBILE_PHONE_REGEX, phone):
        raise bad_argument("手机号码（phone）须为11位中国大陆手机号码。")
    media_url = _text(data, "media_url", label="图片链接", max_length=500)
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise bad_argument("图片链接（media_url）须为 http 或 https 网址。") from None
    return RequestInput(
        description=description,
        lat=lat,
        long=long,
        address_string=address_string,
        address_id=address_id,
        jurisdiction_id=_text(data, "jurisdiction_id", label="区划代码", max_length=12),
        email=email,
        first_name=_text(data, "first_name", label="名", max_length=25),
        last_name=_text(data, "last_name", label="姓", max_length=25),
        phone=phone,
        media_url=media_url,
    )


def _moment(data, name: str, *, end: bool) -> dt.datetime | None:
    raw = (data.get(name) or "").strip()
    if not raw:
        return None
    # A "+08:00" put into a query string unencoded arrives as " 08:00".
    raw = raw.replace(" ", "+") if "T" in raw else raw
    try:
        if (day := parse_date(raw)) is not None:
            # A bare date covers the whole day.
            moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
        else:
            moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None:
        raise bad_argument(f"{name} 须为 ISO 8601 日期时间，例如 2026-09-15T10:00:00+08:00。")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def parse_request_filters(data, *, now: dt.datetime | None = None) -> RequestFilters:
    """GET requests' parameters. With neither date the window is the last 90 days; with one,
    the 90 days after (or before) it; never more than 90 days."""
    codes = tuple(dict.fromkeys(c.strip() for c in data.get("service_request_id", "").split(",")))
    codes = tuple(c for c in codes if c)
    if len(codes) > 1000:
        raise bad_argument("服务请求编号（service_request_id）一次最多1000个。")
    service_codes = None
    if raw := (data.get("service_code") or "").strip():
        service_codes = tuple(int(c) for c in raw.split(",") if c.strip().isdigit())
    closed = None
    if raw := (data.get("status") or "").strip():
        wanted = {s.strip().lower() for s in raw.split(",") if s.strip()}
        if not wanted <= {"open", "closed"}:
            raise bad_argument("状态（status）只能是 open 或 closed。")
        closed = None if wanted == {"open", "closed"} else wanted == {"closed"}
    start = _moment(data, "start_date", end=False)
    end = _moment(data, "end_date", end=True)
    window = dt.timedelta(days=MAX_DAYS)
    if start is None and end is None:
        end = now or timezone.now()
        start = end - window
    elif start is None:
        start = end - window
    elif end is None:
        end = start + window
    if start > end:
        raise bad_argument("开始时间（start_date）不能晚于结束时间（end_date）。")
    if end - start > window:
        raise bad_argument(f"查询时间范围（start_date 至 end_date）不能超过{MAX_DAYS}天。")
    limit = DEFAULT_RESULTS
    if raw := (data.get("page_size") or "").strip():
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_RESULTS:
            raise bad_argument(f"每页条数（page_size）须为1到{MAX_RESULTS}之间的整数。")
        limit = int(raw)
    return RequestFilters(
        codes=codes,
        service_codes=service_codes,
        start=start,
        end=end,
        closed=closed,
        limit=max(limit, len(codes)),
    )


# -- output ------------------------------------------------------------------------------------


def _w3c(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def service_row(category: Category) -> dict:
    return {
        "service_code": str(category.pk),
        "service_name": category.name,
        "description": f"民情意见：{category.name}",
        "metadata": False,  # no extra attributes: see service_definition_row
        "type": "realtime",
        "keywords": category.name,
        "group": "民情意见",
    }


def service_definition_row(category: Category) -> dict:
    # Renda asks nothing beyond the standard parameters, so a definition has no attributes.
    return {"service_code": str(category.pk), "attributes": []}


def _status_notes(row: dict) -> str | None:
    state = row["state"]
    # A reply waiting for its rating is what the caller is asked to rate: they must hear it.
    if state in (Case.State.REPLIED, Case.State.CLOSED):
        return mask_free_text(row["reply"]) or None
    if state == Case.State.REJECTED:
        return mask_free_text(f"不予受理：{row['reject_reason']}")
    if state == Case.State.MERGED and row["merged_code"]:
        return f"已合并至{row['merged_code']}办理。"
    return None


def request_row(row: dict, client: Client | None) -> dict:
    """One service request, from the values of `selectors.requests_for_client`. The caller's
    own record adds its media_url; coordinates only where the case is public (they can
    point at somebody's home)."""
    deadline = row["deadline"]
    expected = (
        timezone.make_aware(dt.datetime.combine(deadline, dt.time(23, 59, 59)))
        if deadline
        else None
    )
    own = client is not None and row["record_client"] == client.pk
    public = row["is_public"]
    return {
        "service_request_id": row["code"],
        "status": "closed" if row["state"] in CLOSED_STATES else "open",
        "status_notes": _status_notes(row),
        "service_name": row["service_name"],
        "service_code": str(row["category_id"]),
        "description": mask_free_text(row["content"]),
        "agency_responsible": row["agency"],
        "service_notice": None,
        "requested_datetime": _w3c(row["created_at"]),
        "updated_datetime": _w3c(row["updated_at"]),
        "expected_datetime": _w3c(expected),
        "lat": float(row["latitude"]) if public and row["latitude"] is not None else None,
        "long": float(row["longitude"]) if public and row["longitude"] is not None else None,
        "media_url": (row["record_media_url"] or None) if own else None,
    }


def submitted_row(case: Case) -> dict:
    return {
        "service_request_id": case.code,
        "service_notice": f"已收到，编号{case.code}，可凭编号查询办理进展。",
        "account_id": None,
    }


def token_row(row: dict, token: str) -> dict:
    return {"service_request_id": row["code"], "token": token}


def discovery_data(*, endpoint_url: str, changeset: str) -> dict:
    return {
        "changeset": changeset,
        "contact": "人大履职服务平台管理员（系统管理 → Open311 客户端）",
        "key_service": (
            "API 密钥由平台管理员创建：manage.py open311_client --name 名称 --region 区划代码"
        ),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": endpoint_url,
                "changeset": changeset,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }


# -- rendering ---------------------------------------------------------------------------------

# XML names the members of a list after the list.
_ITEM_TAGS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute"}
# Characters XML 1.0 can not carry at all (controls other than tab and newlines).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_add(parent: ET.Element, tag: str, value) -> None:
    element = ET.SubElement(parent, tag)
    if value is None:
        return
    if isinstance(value, bool):
        element.text = "true" if value else "false"
    elif isinstance(value, dict):
        for key, item in value.items():
            _xml_add(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _xml_add(element, _ITEM_TAGS[tag], item)
    else:
        element.text = _NOT_XML.sub("", str(value))


def _xml_response(root: ET.Element, status: int) -> HttpResponse:
    body = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")
    return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)


def render_list(fmt: str, rows: list[dict], *, root: str, item: str, status: int = 200):
    """A list of rows: a JSON array, or <root><item>…</item>…</root>."""
    if fmt == "xml":
        element = ET.Element(root)
        for row in rows:
            _xml_add(element, item, row)
        return _xml_response(element, status)
    return JsonResponse(rows, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def render_object(fmt: str, data: dict, *, root: str, status: int = 200):
    """One object: a JSON object, or <root>…</root>."""
    if fmt == "xml":
        element = ET.Element(root)
        for key, value in data.items():
            _xml_add(element, key, value)
        return _xml_response(element, status)
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def render_error(fmt: str, code: int, description: str):
    rows = [{"code": code, "description": description}]
    return render_list(fmt, rows, root="errors", item="error", status=code)
