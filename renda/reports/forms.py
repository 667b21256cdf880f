"""The report form: notes, typical cases picked from the month's cases, and for a correction
the reason. Fields for each candidate's short text are added by code."""

from django import forms

from renda.cases.models import Case
from renda.reports import services


class ReportForm(forms.Form):
    notes = forms.CharField(
        label="备注（填报说明）",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "备注不能超过 %(limit_value)d 字。"},
    )
    typical = forms.MultipleChoiceField(
        label="典型案例",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "所选事项“%(value)s”不在候选范围内，请刷新页面后重选。"},
    )
    correction_reason = forms.CharField(
        label="更正说明",
        required=False,
        max_length=500,
        error_messages={"max_length": "更正说明不能超过 %(limit_value)d 字。"},
    )

    def __init__(self, *args, candidates: list[Case], is_correction: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.is_correction = is_correction
        self.fields["typical"].choices = [(c.code, f"{c.code} {c.title}") for c in candidates]
        for case in candidates:
            self.fields[f"text_{case.code}"] = forms.CharField(
                label=f"{case.code} 简述",
                required=False,
                max_length=services.MAX_TYPICAL_TEXT,
                error_messages={"max_length": f"{case.code} 的简述不能超过 %(limit_value)d 字。"},
            )
        if is_correction:
            self.fields["correction_reason"].required = True
            self.fields["correction_reason"].error_messages["required"] = "请填写更正说明。"
        else:
            del self.fields["correction_reason"]

    def candidate_rows(self):
        """(case, checkbox checked, its text field) for the template."""
        picked = set(self["typical"].value() or [])
        return [(c, c.code in picked, self[f"text_{c.code}"]) for c in self.candidates]

    def picks(self) -> list[dict]:
        return [
            {"code": code, "text": self.cleaned_data.get(f"text_{code}", "")}
            for code in self.cleaned_data["typical"]
        ]
