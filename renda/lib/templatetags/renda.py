from django import template

from renda.lib.masking import mask_id_number, mask_phone

register = template.Library()


@register.filter
def phone(value: str, show: bool) -> str:
    """`{{ deputy.phone|phone:show_personal }}`: the number, or its masked form."""
    if not value:
        return ""
    return value if show else mask_phone(value)


@register.filter
def id_number(value: str, show: bool) -> str:
    if not value:
        return ""
    return value if show else mask_id_number(value)
