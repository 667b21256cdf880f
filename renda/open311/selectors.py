"""What an Open311 client may read. Its data scope is the API key it sent, or none.

Without a key a caller sees the public cases only; with a valid key it also sees the cases its
own client filed, public or not (the hotline that took the call must be able to tell the caller
how it went). An invalid key is refused rather than quietly read as "no key".
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import CharField, F, Prefetch, Q, QuerySet, Value

from renda.cases.models import Assignment, Case, Category
from renda.open311.errors import Open311Error
from renda.open311.models import Client, key_digest
from renda.org.models import Region

CLOSED_STATES = (Case.State.CLOSED, Case.State.REJECTED, Case.State.MERGED)
MAX_RESULTS = 1000


def client_for_key(api_key: str | None, *, required: bool) -> Client | None:
    api_key = (api_key or "").strip()
    if not api_key:
        if required:
            raise Open311Error(403, "缺少 API 密钥（api_key）。")
        return None
    client = Client.objects.select_related("region").filter(key_digest=key_digest(api_key)).first()
    if client is None:
        raise Open311Error(403, "API 密钥（api_key）无效。")
    if not client.is_active:
        raise Open311Error(403, "该 API 密钥（api_key）已停用，请联系平台管理员。")
    return client


def services() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("sort_order", "name", "pk")


def get_service(code: str | None) -> Category:
    """The active category whose service_code (its primary key) is `code`."""
    code = (code or "").strip()
    if not code:
        raise Open311Error(400, "缺少服务代码（service_code）。")
    category = services().filter(pk=int(code)).first() if code.isdigit() else None
    if category is None:
        raise Open311Error(404, f"服务代码“{code}”不存在或已停用。")
    return category


def region_in(client: Client, *, code: str = "", address: str = "") -> Region:
    """The region of a new request: the region named by `code` (a GB/T 2260 code, sent as
    jurisdiction_id), else the deepest region under the client's whose name the address
    mentions, else the client's own region."""
    base = client.region
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise Open311Error(400, f"区划代码（jurisdiction_id）“{code}”不存在。")
        if not region.path.startswith(base.path):
            raise Open311Error(400, f"区划“{region.name}”不在本客户端的受理范围（{base.name}）内。")
        return region
    if address:
        # One query: the regions under the client's whose name occurs in the address.
        named = (
            Region.objects.filter(path__startswith=base.path, depth__gt=base.depth)
            .alias(address=Value(address, output_field=CharField()))
            .filter(address__contains=F("name"))
            .order_by("-depth", "path")
            .first()
        )
        if named is not None:
            return named
    return base


def requests_for_client(client: Client | None) -> QuerySet[Case]:
    """The cases an Open311 caller may read, with what a response shows, in a fixed number of
    queries: the case row joined to its category, congress, merge target and Open311 record,
    and one more for the lead assignments (agency_responsible)."""
    # Open311 speaks of citizens' service requests: 民情 opinions. Deputy suggestions and
    # motions have their own public pages.
    visible = Q(is_public=True)
    if client is not None:
        visible |= Q(open311_request__client=client)
    leads = (
        Assignment.objects.filter(role=Assignment.Role.LEAD)
        .select_related("unit")
        .order_by("round", "pk")
    )
    return (
        Case.objects.filter(visible, kind=Case.Kind.OPINION)
        .select_related("category", "congress", "merged_into", "open311_request")
        .prefetch_related(Prefetch("assignments", queryset=leads, to_attr="lead_assignments"))
    )


@dataclass(frozen=True)
class RequestFilters:
    """GET requests' parameters, checked (see serializers.parse_request_filters)."""

    codes: tuple[str, ...] = ()
    service_codes: tuple[int, ...] | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    closed: bool | None = None


def request_list(client: Client | None, filters: RequestFilters) -> list[Case]:
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
    return list(qs.order_by("-created_at", "-pk")[:MAX_RESULTS])


def get_request(client: Client | None, code: str) -> Case:
    case = requests_for_client(client).filter(code=code).first()
    if case is None:
        raise Open311Error(404, f"服务请求“{code}”不存在或未公开。")
    return case
