"""The portal's forms: what a citizen or a deputy types on a phone, checked with Chinese
messages next to each field. The services check the same rules again; these forms only make
the messages land in the right place."""

import re
import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from renda.cases.attachments import ALLOWED_LABEL, MAX_PER_CASE, MAX_SIZE, check_uploads
from renda.cases.models import MOBILE_PHONE_REGEX, Case, Category
from renda.org.models import Grid, Region
from renda.portal import selectors

# What the phone's file picker offers: photos (the camera too) and PDFs.
ACCEPT = "image/jpeg,image/png,image/webp,image/gif,application/pdf"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos from one file input; each checked by its bytes, size and count."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if self.required and not files:
            raise ValidationError("请选择文件。")
        check_uploads(files)
        return files


def _text(label: str, max_length: int, *, required: bool = True, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "required": f"请填写{label}。",
            "max_length": f"{label}不能超过{max_length}字（现有%(show_value)d字）。",
        },
        **kwargs,
    )


def _coordinate(value: str, *, label: str, bound: int) -> Decimal | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValidationError(f"{label}必须是数字，例如 30.274085。") from None
    if not number.is_finite() or not -bound <= number <= bound:
        raise ValidationError(f"{label}应在 -{bound} 到 {bound} 之间。")
    return number.quantize(Decimal("0.000001"))


class CaseForm(forms.Form):
    """我要反映: one opinion, with the place it is about and photos."""

    title = _text(
        "标题",
        100,
        widget=forms.TextInput(attrs={"placeholder": "一句话说明问题，如：湖滨路路灯不亮"}),
    )
    content = _text(
        "具体内容",
        5000,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": "请写明时间、地点、具体情况和您的诉求"}
        ),
    )
    category = forms.ModelChoiceField(
        label="分类",
        queryset=Category.objects.filter(is_active=True),
        empty_label="请选择分类",
        error_messages={"required": "请选择分类。", "invalid_choice": "请选择列表中的分类。"},
    )
    town = forms.TypedChoiceField(
        label="所在镇（街道）",
        coerce=int,
        error_messages={"required": "请选择所在镇（街道）。", "invalid_choice": "请重新选择。"},
    )
    village = forms.ModelChoiceField(
        label="所在村（社区）",
        queryset=Region.objects.none(),
        required=False,
        empty_label="不限（仅选镇街）",
        error_messages={"invalid_choice": "所选村（社区）不在该镇（街道）内，请重新选择。"},
    )
    grid = forms.ModelChoiceField(
        label="网格（可选）",
        queryset=Grid.objects.none(),
        required=False,
        empty_label="不清楚",
        error_messages={"invalid_choice": "所选网格不在该区域内，请重新选择。"},
    )
    address = _text(
        "详细地址",
        200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：湖滨路12号北侧"}),
    )
    latitude = forms.CharField(
        label="纬度",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "如 30.274085"}),
    )
    longitude = forms.CharField(
        label="经度",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "如 120.155070"}),
    )
    photos = MultipleFileField(
        label="照片或 PDF",
        required=False,
        help_text=(
            f"可选，最多{MAX_PER_CASE}个，每个不超过{MAX_SIZE // (1024 * 1024)} MB；"
            f"支持{ALLOWED_LABEL}。"
        ),
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )
    submitter_name = _text("您的姓名", 50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    submitter_phone = forms.CharField(
        label="手机号码",
        help_text="用于接收答复和查询进度，不会公开。",
        error_messages={"required": "请填写手机号码。"},
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "maxlength": "13"}
        ),
    )
    is_public = forms.BooleanField(label="同意公开（个人信息将隐去）", required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, contact_required: bool = True, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        # A post without its key (an old page, a stripped form) is refused once, and the
        # page it gets back carries a new key so that the next try goes through.
        self.missing_key = self.is_bound and not self.data.get("idempotency_key", "").strip()
        if self.missing_key:
            self.data = self.data.copy()
            self.data["idempotency_key"] = uuid.uuid4().hex
        self.fields["submitter_name"].required = contact_required
        self.fields["submitter_phone"].required = contact_required
        self.fields["town"].choices = [("", "请选择镇（街道）"), *selectors.town_choices()]
        places = reverse("portal:places")
        self.fields["town"].widget.attrs.update(
            {"hx-get": places, "hx-target": "#places", "hx-include": "[name='town']"}
        )
        self.fields["village"].widget.attrs.update(
            {
                "hx-get": places,
                "hx-target": "#places",
                "hx-include": "[name='town'],[name='village']",
            }
        )
        source = self.data if self.is_bound else self.initial
        town = selectors.region_of_level(source.get("town"), "town")
        if town is not None:
            self.fields["village"].queryset = selectors.villages_of(town)
            village = selectors.region_of_level(source.get("village"), "village")
            if village is not None and not village.path.startswith(town.path):
                village = None
            self.fields["grid"].queryset = selectors.grids_for_place(village or town)

    def clean_town(self) -> Region:
        town = selectors.region_of_level(self.cleaned_data["town"], "town")
        if town is None:
            raise ValidationError("请重新选择所在镇（街道）。")
        return town

    def clean_submitter_phone(self) -> str:
        phone = re.sub(r"[\s-]", "", self.cleaned_data.get("submitter_phone", ""))
        if phone.startswith("+86"):
            phone = phone[3:]
        if phone and not re.fullmatch(MOBILE_PHONE_REGEX, phone):
            raise ValidationError("请填写正确的11位手机号码，如 13800001234。")
        return phone

    def clean_latitude(self) -> Decimal | None:
        return _coordinate(self.cleaned_data.get("latitude", ""), label="纬度", bound=90)

    def clean_longitude(self) -> Decimal | None:
        return _coordinate(self.cleaned_data.get("longitude", ""), label="经度", bound=180)

    def clean(self):
        data = super().clean()
        if self.missing_key:
            raise ValidationError("页面已过期，请核对内容后重新提交。")
        has_lat = data.get("latitude") is not None
        has_long = data.get("longitude") is not None
        if has_lat != has_long and "latitude" not in self.errors and "longitude" not in self.errors:
            self.add_error("latitude" if not has_lat else "longitude", "经纬度须同时填写。")
        return data

    def submit_fields(self) -> dict:
        """The cleaned data as `case_submit` takes it."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "content": data["content"],
            "category": data["category"],
            "region": data.get("village") or data["town"],
            "grid": data.get("grid"),
            "address": data.get("address", ""),
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "submitter_name": data.get("submitter_name", ""),
            "submitter_phone": data.get("submitter_phone", ""),
            "is_public": data.get("is_public", False),
            "idempotency_key": data["idempotency_key"],
        }

    def add_service_error(self, error: ValidationError) -> None:
        """Put a service's ValidationError next to the field it names (or above the form)."""
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                field = "town" if name == "region" else name
                shown = field in self.fields and not self.fields[field].widget.is_hidden
                self.add_error(field if shown else None, errors)
        else:
            self.add_error(None, error.messages)


class CollectForm(CaseForm):
    """代表收集: a deputy records what a voter said; the voter's name and phone are needed."""

    submitter_name = _text("选民姓名", 50)
    submitter_phone = forms.CharField(
        label="选民手机号码",
        help_text="选民可凭查询码和手机号后四位查询进度。",
        error_messages={"required": "请填写选民手机号码。"},
        widget=forms.TextInput(attrs={"inputmode": "tel", "maxlength": "13"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs["contact_required"] = True
        super().__init__(*args, **kwargs)


class TrackForm(forms.Form):
    code = forms.CharField(
        label="查询码",
        max_length=20,
        error_messages={"required": "请填写查询码。", "max_length": "查询码格式不正确。"},
        widget=forms.TextInput(
            attrs={"placeholder": "如 MQ2026-000123", "autocapitalize": "characters"}
        ),
    )
    phone_last4 = forms.CharField(
        label="手机号后四位",
        max_length=4,
        min_length=4,
        error_messages={
            "required": "请填写手机号后四位。",
            "max_length": "请填写手机号的后四位数字。",
            "min_length": "请填写手机号的后四位数字。",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean_phone_last4(self) -> str:
        value = self.cleaned_data["phone_last4"].strip()
        if not value.isdigit():
            raise ValidationError("请填写手机号的后四位数字。")
        return value


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label="您对答复是否满意",
        choices=Case.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择满意、基本满意或不满意。",
            "invalid_choice": "请选择满意、基本满意或不满意。",
        },
    )
    note = _text(
        "评价意见",
        500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "可选：说说您的意见"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
