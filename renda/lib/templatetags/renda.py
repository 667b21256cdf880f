from django import forms, template
from django.utils.safestring import SafeString, mark_safe

from renda.lib.markup import esc
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
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        # A list of inputs: Django puts the class on the list's wrapper too, which would
        # squeeze the whole list into one checkbox's box.
        return field.as_widget()
    input_type = getattr(widget, "input_type", "")
    base = {"checkbox": "form-check-input", "radio": "form-check-input", "select": "form-select"}
    base = base.get(input_type, "form-control")
    css = f"{base} is-invalid" if field.errors else base
    if type(widget) is forms.Select:
        html = _select(field, {"class": css})
        if html is not None:
            return html
    return field.as_widget(attrs={"class": css})


def _select(field, attrs: dict) -> SafeString | None:
    """What `field.as_widget(attrs=attrs)` renders for a plain Select, character for
    character (Django's select.html, select_option.html and attrs.html), built in one pass:
    the templates render every option through two template files, most of a case page's
    action forms' time. None for grouped choices, which keep Django's rendering."""
    widget = field.field.widget
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    value = widget.format_value(field.value())
    options, selected_one = [], False
    for option_value, label in widget.choices:
        if isinstance(label, list | tuple):
            return None
        option_value = "" if option_value is None else option_value
        selected = not selected_one and str(option_value) in value
        selected_one |= selected
        options.append(
            f'\n  <option value="{esc(option_value)}"{" selected" if selected else ""}>'
            f"{_text(label)}</option>\n"
        )
    head = _attrs({**widget.attrs, **attrs})
    return mark_safe(f'<select name="{esc(field.html_name)}"{head}>{"".join(options)}\n</select>')


def _attrs(attrs: dict) -> str:
    return "".join(
        f" {name}" if value is True else f' {name}="{esc(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _text(value) -> str:
    return value.__html__() if hasattr(value, "__html__") else esc(value)


@register.filter
def fast_select(field):
    """`{{ form.field|fast_select }}`: the same markup as `field|bootstrap` for a select, built
    in one pass. Django's widget templates render every option through two template files,
    which on a city clerk's case list (some 200 regions and 150 units) cost more than the whole
    table."""
    current = {str(v) for v in _as_list(field.value())}
    flags = ""
    if field.field.required:
        flags += " required"
    if field.errors:
        flags += ' aria-invalid="true"'
    css = "form-select is-invalid" if field.errors else "form-select"
    options = "".join(
        f'<option value="{esc(value)}"{" selected" if str(value) in current else ""}>'
        f"{esc(label)}</option>"
        for value, label in field.field.choices
    )
    return mark_safe(
        f'<select name="{esc(field.html_name)}" class="{css}" aria-label="{esc(field.label)}" '
        f'id="{esc(field.id_for_label)}"{flags}>{options}</select>'
    )


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]
