"""Form fields with their Chinese error messages, shared by every app's forms."""

from django import forms


def text_field(label: str, max_length: int, *, required: bool = True, rows: int = 0, **kw):
    """A text input (a textarea of `rows` rows when given) that names itself in its errors."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=widget,
        error_messages={
            "required": f"请填写{label}。",
            "max_length": f"{label}不能超过{max_length}字。",
        },
        **kw,
    )


def choice_field(label: str, queryset, *, required: bool = True, empty: str = "请选择", **kw):
    """A choice among `queryset` (the caller narrows it to the user's scope)."""
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        required=required,
        empty_label=empty,
        error_messages={
            "required": f"请选择{label}。",
            "invalid_choice": f"所选{label}不在可选范围内，请重新选择。",
        },
        **kw,
    )
