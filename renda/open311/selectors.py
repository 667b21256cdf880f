"""What an Open311 client may read. Its data scope is the API key it sent, or none.

Without a key a caller sees the public cases only; with a valid key it also sees the cases its
own client filed, public or not (the hotline that took the call must be able to tell the caller
how it went). An invalid key is refused rather than quietly read as "no key".
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from renda.cases.models import Assignment, Case, Category
from renda.lib.memo import remembered
from renda.open311.errors import Open311Error
from renda.open311.models import Client, key_digest
from renda.org.models import Region

CLOSED_STATES = (Case.State.CLOSED, Case.State.REJECTED, Case.State.MERGED)
# GeoReport v2 lets a server cap a list; a caller may ask for up to MAX_RESULTS rows with
# page_size (an extension, as most Open311 servers have), and gets DEFAULT_RESULTS otherwise.
MAX_RESULTS = 1000
DEFAULT_RESULTS = 200


@remembered(key=lambda digest: digest)
def _client_by_digest(digest: str) -> Client | None:
    return Client.objects.select_related("region").filter(key_digest=digest).first()


def client_for_key(api_key: str | None, *, required: bool) -> Client | None:
    api_key = (api_key or "").strip()
    if not api_key:
        if required:
            raise Open311Error(403, "缺少 API 密钥（api_key）。")
        return None
    client = _client_by_digest(key_digest(api_key))
    if client is None:
        raise Open311Error(403, "API 密钥（api_key）无效。")
    if not client.is_active:
        raise Open311Error(403, "该 API 密钥（api_key）已停用，请联系平台管理员。")
    return client


def services() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("sort_order", "name", "pk")


@remembered(key=lambda pk: pk)
def _active_category(pk: int) -> Category | None:
    return services().filter(pk=pk).first()


def get_service(code: str | None) -> Category:
    """The active category whose service_code (its primary key) is `code`."""
    code = (code or "").strip()
    if not code:
        raise Open311Error(400, "缺少服务代码（service_code）。")
    category = _active_category(int(code)) if code.isdigit() else None
    if category is None:
        raise Open311Error(404, f"服务代码“{code}”不存在或已停用。")
    return category


def region_in(client: Client, *, code: str = "", address: str = "") -> Region:
    """The region of a new request: the region named by `code` (a GB/T 2260 code, sent as
    jurisdiction_id), else the deepest region under the client's whose name the address
    mentions, else the client's own region."""
    base = client.region
    if code:
        region = _region_by_code(code)
        if region is None:
            raise Open311Error(400, f"区划代码（jurisdiction_id）“{code}”不存在。")
        if not region.path.startswith(base.path):
            raise Open311Error(400, f"区划“{region.name}”不在本客户端的受理范围（{base.name}）内。")
        return region
    if address:
        for region in _regions_under(base):
            if region.name in address:
                return region
    return base


@remembered(key=lambda code: code)
def _region_by_code(code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


@remembered(key=lambda base: (base.pk, base.path), maxsize=256)
def _regions_under(base: Region) -> list[Region]:
    """The regions under `base`, deepest first (a village's name before its town's), then in
    tree order: the first one an address names is the request's region."""
    return list(
        Region.objects.filter(path__startswith=base.path, depth__gt=base.depth).order_by(
            "-depth", "path"
        )
    )


# What a response row shows (serializers.request_row), read as plain values: a list of a
# thousand rows builds no model instances.
ROW_FIELDS = (
    "code",
    "state",
    "content",
    "reply",
    "reject_reason",
    "category_id",
    "created_at",
    "updated_at",
    "deadline",
    "latitude",
    "longitude",
    "is_public",
)


def requests_for_client(client: Client | None) -> QuerySet[Case]:
    """The cases an Open311 caller may read, as the values a response shows, in one query:
    the case row joined to its category, congress, merge target and Open311 record, and the
    unit of its latest lead assignment (agency_responsible) as a subquery."""
    # Open311 speaks of citizens' service requests: 民情 opinions. Deputy suggestions and
    # motions have their own public pages.
    visible = Q(is_public=True)
    if client is not None:
        visible |= Q(open311_request__client=client)
    lead_unit = (
        Assignment.objects.filter(case=OuterRef("pk"), role=Assignment.Role.LEAD)
        .order_by("-round", "-pk")
        .values("unit__name")[:1]
    )
    return (
        Case.objects.filter(visible, kind=Case.Kind.OPINION)
        .annotate(
            service_name=F("category__name"),
            merged_code=F("merged_into__code"),
            agency=Coalesce(Subquery(lead_unit), F("congress__name")),
            record_client=F("open311_request__client_id"),
            record_media_url=F("open311_request__media_url"),
        )
        .values(
            *ROW_FIELDS,
            "service_name",
            "merged_code",
            "agency",
            "record_client",
            "record_media_url",
        )
    )


@dataclass(frozen=True)
class RequestFilters:
    """GET requests' parameters, checked (see serializers.parse_request_filters)."""

    codes: tuple[str, ...] = ()
    service_codes: tuple[int, ...] | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    closed: bool | None = None
    limit: int = DEFAULT_RESULTS


def request_list(client: Client | None, filters: RequestFilters) -> list[dict]:
    qs = requests_for_client(client)
    if filters.codes:
        # The spec: with service_request_id every other parameter is ignored.
        qs = qs.filter(code__in=filters.codes)
    else:
        if filters.service_codes is not None:
            qs = qs.filter(category_id__in=filters.service_codes)
        if filters.start is not None:
            qs = qs.filter(created_at__gte=filters.start)
        if filters.end is not None:
            qs = qs.filter(created_at__lte=filters.end)
        if filters.closed is True:
            qs = qs.filter(state__in=CLOSED_STATES)
        elif filters.closed is False:
            qs = qs.exclude(state__in=CLOSED_STATES)
    # Newest first within the date window: a backward read of the index ("created_at", "id")
    # that stops after `limit` rows (Case.Meta.indexes).
    return list(qs.order_by("-created_at", "-pk")[: min(filters.limit, MAX_RESULTS)])


def get_request(client: Client | None, code: str) -> dict:
    case = requests_for_client(client).filter(code=code).first()
    if case is None:
        raise Open311Error(404, f"服务请求“{code}”不存在或未公开。")
    return case
