"""Writes of the Open311 interface: clients and the cases they file."""

import hashlib
import re
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError

from renda.cases.models import Case, Category
from renda.cases.services import case_submit
from renda.open311.errors import bad_argument
from renda.open311.models import Client, ClientRequest, key_digest
from renda.open311.selectors import region_in
from renda.org.models import Region

TITLE_LENGTH = 30


def client_create(*, name: str, region: Region) -> tuple[Client, str]:
    """A new client and its API key. The key is returned this once: only its digest is kept."""
    api_key = secrets.token_urlsafe(32)
    client = Client(
        name=(name or "").strip(),
        region=region,
        key_digest=key_digest(api_key),
        key_prefix=api_key[:8],
    )
    client.full_clean()
    client.save()
    return client, api_key


def client_rotate_key(*, client: Client) -> str:
    """A new key for the client; the old one stops working at once."""
    api_key = secrets.token_urlsafe(32)
    client.key_digest = key_digest(api_key)
    client.key_prefix = api_key[:8]
    client.save(update_fields=["key_digest", "key_prefix"])
    return api_key


def _title(description: str) -> str:
    first_line = description.strip().splitlines()[0].strip()
    if len(first_line) <= TITLE_LENGTH:
        return first_line
    return first_line[: TITLE_LENGTH - 1] + "…"


def _name(first_name: str, last_name: str) -> str:
    """姓 before 名 for Chinese names; a Latin name keeps its own order."""
    if (first_name + last_name).isascii():
        return " ".join(part for part in (first_name, last_name) if part)
    return f"{last_name}{first_name}"


def _scoped_key(client: Client, key: str) -> str:
    """Case idempotency keys are one namespace for every channel: a client's key is made its
    own (and short enough for the column) by hashing it with the client's id."""
    return "open311-" + hashlib.sha256(f"{client.pk}:{key}".encode()).hexdigest()[:48]


def request_submit(
    *,
    client: Client,
    category: Category,
    description: str,
    lat: Decimal | None = None,
    long: Decimal | None = None,
    address_string: str = "",
    address_id: str = "",
    jurisdiction_id: str = "",
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    media_url: str = "",
    idempotency_key: str = "",
) -> tuple[Case, bool]:
    """File a service request as a case (channel Open311); returns the case and whether it is
    new. The same idempotency key from the same client returns the case it created.

    The case has no account behind it (actor None: anonymous intake on the client's behalf),
    so Renda needs the citizen's mobile phone to answer them, as for any anonymous case. A
    caller who gives no name is recorded as 匿名.

    Region: Renda files every case under a region, whose congress takes it in. Open311 has no
    such field, so the region is `jurisdiction_id` read as a region code, else the region that
    `address_string` names, else the client's own region (see selectors.region_in).
    """
    if not phone:
        raise bad_argument(
            "请提供手机号码（phone）：匿名提交的民情须留手机号码，以便答复办理结果。"
        )
    idempotency_key = (idempotency_key or "").strip()
    if len(idempotency_key) > 200:
        raise bad_argument("幂等键（Idempotency-Key）不能超过200个字符。")
    region = region_in(client, code=jurisdiction_id, address=address_string)
    created: list[ClientRequest] = []

    def file_record(case: Case) -> list[ClientRequest]:
        # Written with the case, in its own transaction (or statement): both or neither. A
        # submission that finds its key used (a raced retry) writes neither.
        created[:] = [
            ClientRequest(
                case=case, client=client, email=email, media_url=media_url, address_id=address_id
            )
        ]
        return created

    try:
        case = case_submit(
            actor=None,
            title=_title(description),
            content=description,
            category=category,
            region=region,
            channel=Case.Channel.OPEN311,
            address=address_string,
            latitude=lat,
            longitude=long,
            submitter_name=_name(first_name, last_name) or "匿名",
            submitter_phone=phone,
            idempotency_key=_scoped_key(client, idempotency_key) if idempotency_key else "",
            rows_for=file_record,
        )
    except ValidationError as error:
        raise bad_argument(re.sub(r"\s+", " ", "；".join(error.messages))) from None
    if created and created[0].pk is not None:  # written: the statement that had it succeeded
        return case, True
    # A retry with the same key: the case the first request filed, with its record.
    record = ClientRequest.objects.filter(case=case).first()
    if record is None or record.client_id != client.pk:  # pragma: no cover - scoped key
        raise bad_argument("该幂等键已被使用。")
    return case, False
