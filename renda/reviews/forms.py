from django import forms
from django.core.exceptions import ValidationError

from renda.cases.models import Category
from renda.org.models import OrgUnit
from renda.reviews import services

ITEMS_HELP = (
    "每行一项，格式：问题类别｜问题及整改要求｜责任单位｜整改时限（工作日）。"
    "可直接从 Word 或 Excel 表格复制粘贴；整改时限不填则用默认整改时限。"
)


class OpinionForm(forms.Form):
    title = forms.CharField(label="审议意见标题", max_length=200)
    subject = forms.CharField(label="审议的报告", max_length=200)
    meeting = forms.CharField(label="会议名称", max_length=100, required=False)
    meeting_date = forms.DateField(label="审议日期", widget=forms.DateInput(attrs={"type": "date"}))
    category = forms.ModelChoiceField(
        label="所属领域",
        queryset=Category.objects.filter(is_active=True),
        empty_label="请选择",
        error_messages={"required": "请选择所属领域。"},
    )
    text = forms.CharField(
        label="审议意见", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    default_days = forms.IntegerField(
        label="默认整改时限（工作日）",
        required=False,
        min_value=1,
        max_value=services.MAX_WORKING_DAYS,
        initial=60,
    )
    items = forms.CharField(
        label="问题清单",
        help_text=ITEMS_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "请填写问题清单，至少一项。"},
    )

    def __init__(self, *args, congress: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.congress = congress
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "category" else "form-control"

    def clean(self):
        data = super().clean()
        if "items" in data and "default_days" not in self.errors:
            try:
                data["parsed_items"] = services.parse_items(
                    data["items"], congress=self.congress, default_days=data.get("default_days")
                )
            except ValidationError as exc:
                for message in exc.messages:
                    self.add_error("items", message)
        return data

    def opinion_input(self) -> services.OpinionInput:
        d = self.cleaned_data
        return services.OpinionInput(
            title=d["title"],
            subject=d["subject"],
            meeting=d["meeting"],
            meeting_date=d["meeting_date"],
            text=d["text"],
            category=d["category"],
            items=d["parsed_items"],
        )
