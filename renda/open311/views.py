"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): one view per endpoint, each in
JSON or XML by the URL's extension. Every failure is the spec's error list with its HTTP
status, never a 500 page: 400 bad or missing argument, 403 bad API key, 404 unknown service or
request.
"""

import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from renda.open311 import selectors, serializers
from renda.open311.errors import Open311Error
from renda.open311.services import request_submit

CHANGESET = "2026-09-01T00:00:00+08:00"  # when the endpoints below last changed


def open311(view):
    """Answer an Open311Error, a ValidationError or a refusal in the spec's error format."""

    @functools.wraps(view)
    def wrapper(request, *args, fmt: str, **kwargs):
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as error:
            return serializers.render_error(fmt, error.code, error.description)
        except ValidationError as error:
            return serializers.render_error(fmt, 400, "；".join(error.messages))
        except PermissionDenied as error:
            return serializers.render_error(fmt, 403, str(error) or "无权执行该操作。")

    return wrapper


@require_GET
@open311
def discovery(request, fmt: str):
    services_url = reverse("open311:services", kwargs={"fmt": "json"})
    endpoint_url = request.build_absolute_uri(services_url.removesuffix("services.json"))
    data = serializers.discovery_data(endpoint_url=endpoint_url, changeset=CHANGESET)
    return serializers.render_object(fmt, data, root="discovery")


@require_GET
@open311
def service_list(request, fmt: str):
    rows = [serializers.service_row(category) for category in selectors.services()]
    return serializers.render_list(fmt, rows, root="services", item="service")


@require_GET
@open311
def service_definition(request, code: str, fmt: str):
    category = selectors.get_service(code)
    data = serializers.service_definition_row(category)
    return serializers.render_object(fmt, data, root="service_definition")


# The only CSRF-exempt view: POST requests comes from other servers, authenticated by api_key
# rather than a session cookie, so there is no browser session to forge.
@csrf_exempt
def requests(request, fmt: str):
    """GET lists service requests, POST files one."""
    if request.method == "POST":
        return request_create(request, fmt=fmt)
    if request.method in ("GET", "HEAD"):
        return request_list(request, fmt=fmt)
    return serializers.render_error(fmt, 405, "只支持 GET 与 POST 请求。")


@open311
def request_list(request, fmt: str):
    client = selectors.client_for_key(request.GET.get("api_key"), required=False)
    filters = serializers.parse_request_filters(request.GET)
    rows = [serializers.request_row(c, client) for c in selectors.request_list(client, filters)]
    return serializers.render_list(fmt, rows, root="service_requests", item="request")


@open311
def request_create(request, fmt: str):
    client = selectors.client_for_key(request.POST.get("api_key"), required=True)
    category = selectors.get_service(request.POST.get("service_code"))
    # Its fields as they are (vars): dataclasses.asdict deep-copies each one.
    data = serializers.parse_request_input(request.POST)
    key = request.headers.get("Idempotency-Key") or request.POST.get("idempotency_key", "")
    case, created = request_submit(
        client=client, category=category, idempotency_key=key, **vars(data)
    )
    rows = [serializers.submitted_row(case)]
    status = 201 if created else 200
    return serializers.render_list(
        fmt, rows, root="service_requests", item="request", status=status
    )


@require_GET
@open311
def request_detail(request, code: str, fmt: str):
    client = selectors.client_for_key(request.GET.get("api_key"), required=False)
    case = selectors.get_request(client, code)
    rows = [serializers.request_row(case, client)]
    return serializers.render_list(fmt, rows, root="service_requests", item="request")


@require_GET
@open311
def token_detail(request, token: str, fmt: str):
    """Renda answers POST with the service_request_id at once and issues no tokens; a client
    that asks anyway gets the request whose id it sent as the token."""
    client = selectors.client_for_key(request.GET.get("api_key"), required=False)
    case = selectors.get_request(client, token)
    rows = [serializers.token_row(case, token)]
    return serializers.render_list(fmt, rows, root="service_requests", item="request")
