from django import template

register = template.Library()


@register.filter
def percent(score) -> int:
    """A 0..1 score as a whole percentage (0.934 → 93)."""
    try:
        return round(float(score) * 100)
    except (TypeError, ValueError):
        return 0
