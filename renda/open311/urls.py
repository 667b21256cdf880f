from django.urls import path, register_converter

from renda.open311 import views


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class CodeConverter:
    """A service code, request id or token: no slash, no dot (the dot starts the format)."""

    regex = "[^/.]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311_format")
register_converter(CodeConverter, "open311_code")

app_name = "open311"
urlpatterns = [
    path("discovery.<open311_format:fmt>", views.discovery, name="discovery"),
    path("v2/services.<open311_format:fmt>", views.service_list, name="services"),
    path(
        "v2/services/<open311_code:code>.<open311_format:fmt>",
        views.service_definition,
        name="service",
    ),
    path("v2/requests.<open311_format:fmt>", views.requests, name="requests"),
    path(
        "v2/requests/<open311_code:code>.<open311_format:fmt>",
        views.request_detail,
        name="request",
    ),
    path("v2/tokens/<open311_code:token>.<open311_format:fmt>", views.token_detail, name="token"),
]
