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


@register.filter
def bootstrap(field):
    """Render a form field with Bootstrap's classes, marking it invalid when it has errors."""
    input_type = getattr(field.field.widget, "input_type", "")
    base = {"checkbox": "form-check-input", "radio": "form-check-input", "select": "form-select"}
    base = base.get(input_type, "form-control")
    css = f"{base} is-invalid" if field.errors else base
    return field.as_widget(attrs={"class": css})
