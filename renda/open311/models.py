"""Open311 GeoReport v2 clients (12345-style hotlines and apps) and the requests they filed.

A client authenticates with an API key. Only the key's SHA-256 digest is stored: the key is
shown once when the client is created (`manage.py open311_client`, or the admin site) and can
not be read back, so a leaked database does not leak working keys.
"""

import hashlib

from django.db import models

from renda.cases.models import Case
from renda.org.models import Region


def key_digest(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


class Client(models.Model):
    name = models.CharField("名称", max_length=100)
    key_digest = models.CharField("密钥摘要", max_length=64, editable=False)
    # The first characters of the key, so an administrator can tell keys apart in the list
    # without the list showing a usable key.
    key_prefix = models.CharField("密钥前缀", max_length=8, editable=False)
    # Renda files every case under a region (its congress takes it in). A request that names
    # no region (jurisdiction_id) and whose address_string names none falls back to this one,
    # and a named region must lie inside it.
    region = models.ForeignKey(
        Region, verbose_name="受理区划", on_delete=models.PROTECT, related_name="open311_clients"
    )
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "Open311 客户端"
        verbose_name_plural = "Open311 客户端"
        ordering = ["name", "pk"]
        constraints = [
            # Authentication looks a client up by the digest of the key it sent.
            models.UniqueConstraint(fields=["key_digest"], name="open311_client_key_unique"),
            models.UniqueConstraint(fields=["name"], name="open311_client_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ClientRequest(models.Model):
    """The case a client filed, with what Open311 sends that a Case has no field for.

    It also lets a client read back its own requests that are not public.
    """

    case = models.OneToOneField(
        Case, verbose_name="事项", on_delete=models.PROTECT, related_name="open311_request"
    )
    client = models.ForeignKey(
        Client, verbose_name="客户端", on_delete=models.PROTECT, related_name="requests"
    )
    # Personal data like the case's submitter name and phone: never in an Open311 response.
    email = models.EmailField("提交人邮箱", blank=True)
    media_url = models.URLField("图片链接", max_length=500, blank=True)
    address_id = models.CharField("地址编号", max_length=100, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "Open311 提交记录"
        verbose_name_plural = "Open311 提交记录"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.client} {self.case_id}"
