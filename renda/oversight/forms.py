from django import forms

from renda.oversight import selectors


class EvaluationForm(forms.Form):
    title = forms.CharField(label="测评名称", max_length=200)
    opens_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    subject_units = forms.ModelMultipleChoiceField(
        label="被测评单位",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    subject_items = forms.CharField(
        label="测评事项（每行一项，如整改事项）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    raters = forms.ModelMultipleChoiceField(
        label="测评代表",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    members = forms.ModelMultipleChoiceField(
        label="测评的常委会组成人员及工作人员",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_units"].queryset = selectors.subject_units_for_user(user)
        self.fields["raters"].queryset = selectors.rater_deputies_for_user(user)
        self.fields["members"].queryset = selectors.rater_members_for_user(user)
        self.fields["members"].label_from_instance = lambda u: u.full_name or u.username
        for name in ("title", "opens_on", "closes_on", "subject_items"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "截止日期不能早于开始日期。")
        if not self.errors and not data.get("raters") and not data.get("members"):
            self.add_error("raters", "请至少选择一名测评人（代表或常委会组成人员）。")
        return data
