"""Masking of personal data for roles that may not see it (138****5678)."""

import re


def mask_phone(phone: str) -> str:
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


def mask_id_number(number: str) -> str:
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


def mask_name(name: str) -> str:
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


# Mainland mobile numbers and 18-digit ID numbers inside free text: people write them into
# their own complaints, and a published page or an API answer must not show them.
_PHONE_IN_TEXT = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_ID_IN_TEXT = re.compile(r"(?<![0-9Xx])[0-9]{17}[0-9Xx](?![0-9Xx])")


def mask_free_text(text: str) -> str:
    """Mask the mobile and ID numbers somebody typed into free text."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group()), text or "")
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group()), text)
