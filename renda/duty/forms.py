"""Forms of the duty pages: they only read input; rules are checked by the services."""

import datetime as dt

from django import forms

from renda.cases.models import Case
from renda.duty.models import Nomination, PointRule


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _activity_kinds():
    from django.apps import apps

    return apps.get_model("activities", "ActivityKind").objects.filter(is_active=True)


class RuleForm(forms.Form):
    name = forms.CharField(label="规则名称", max_length=50)
    source = forms.ChoiceField(label="积分来源", choices=PointRule.Source.choices)
    attendance_status = forms.ChoiceField(
        label="出勤情况",
        choices=[("", "—"), *PointRule.AttendanceStatus.choices],
        required=False,
        help_text="仅“履职活动出勤”规则填写",
    )
    activity_kind = forms.ModelChoiceField(
        label="活动类型",
        queryset=None,
        required=False,
        empty_label="所有类型",
        help_text="仅“履职活动出勤”规则填写；留空表示所有类型（具体类型的规则优先）",
    )
    case_kind = forms.ChoiceField(
        label="事项类型",
        choices=[("", "所有类型"), *Case.Kind.choices],
        required=False,
        help_text="仅意见建议类规则填写",
    )
    points = forms.DecimalField(
        label="分值", max_digits=5, decimal_places=1, help_text="扣分填负数，如 -2"
    )
    valid_from = forms.DateField(label="生效日期", widget=DateInput())
    valid_to = forms.DateField(
        label="失效日期", widget=DateInput(), required=False, help_text="留空表示长期有效"
    )
    basis = forms.CharField(label="依据", max_length=300, required=False)
    confirm_negative = forms.BooleanField(
        label="确认负分仍然保存",
        required=False,
        help_text="修改会使部分代表年度积分为负数时，须勾选此项才能保存",
    )

    def __init__(self, *args, rule: PointRule | None = None, **kwargs):
        if rule is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": rule.name,
                "source": rule.source,
                "attendance_status": rule.attendance_status,
                "activity_kind": rule.activity_kind_id,
                "case_kind": rule.case_kind,
                "points": rule.points,
                "valid_from": rule.valid_from,
                "valid_to": rule.valid_to,
                "basis": rule.basis,
            }
        super().__init__(*args, **kwargs)
        self.fields["activity_kind"].queryset = _activity_kinds()
        if rule is not None:
            self.fields["source"].disabled = True
            self.fields["source"].help_text = "规则创建后不能更改积分来源"

    def rule_values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("confirm_negative", None)
        return data


class ProposeForm(forms.Form):
    honour = forms.ChoiceField(label="荣誉", choices=Nomination.Honour.choices)
    congress = forms.ModelChoiceField(label="人大", queryset=None, empty_label=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    top = forms.IntegerField(label="推荐人数", min_value=1, max_value=200, initial=10)
    rules = forms.ModelMultipleChoiceField(
        label="按规则计分",
        queryset=PointRule.objects.all(),
        required=False,
        help_text="留空：履职积极分子按总分，优秀建议领衔代表按建议相关积分",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, congresses, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("year", dt.date.today().year)
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", "确认"), ("decline", "不予采纳")])
    note = forms.CharField(label="说明", max_length=300, required=False)
