from django import template

from renda.duty.models import format_points

register = template.Library()


@register.filter
def points(value) -> str:
    """`{{ entry.points|points }}`: +2, -1.5, 0."""
    return format_points(value) if value is not None else ""
