"""The suggestion forms. Choices come narrowed to the user's reach; the services check again."""

from django import forms

from renda.cases.models import Case
from renda.lib.forms import choice_field, text_field
from renda.suggestions import selectors
from renda.suggestions.models import Suggestion

BETWEEN_SESSIONS = ""


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
            # Radio groups and check boxes (CheckboxSelectMultiple is a RadioSelect).
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class FileForm(StyledForm):
    """A deputy's suggestion, on a phone: congress, session, title, category, text, co-signers."""

    congress = choice_field("提交人大", None)
    session = forms.ChoiceField(label="提出时间", required=False)
    title = text_field("建议标题", 100)
    category = choice_field("建议类别", None)
    content = text_field("建议内容", 5000, rows=8)
    cosigners = forms.ModelMultipleChoiceField(
        label="联名代表",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": "所选联名代表不在可选范围内，请重新选择。"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        congresses = selectors.filing_congresses(user)
        self.fields["congress"].queryset = congresses
        self.fields["category"].queryset = selectors.categories()
        self.sessions = {str(s.pk): s for s in selectors.open_sessions(congresses)}
        self.fields["session"].choices = [(BETWEEN_SESSIONS, "闭会期间")] + [
            (pk, f"大会期间：{s}") for pk, s in self.sessions.items()
        ]
        self.fields["cosigners"].queryset = selectors.cosigner_candidates(user, congresses)
        if len(congresses) == 1:
            self.fields["congress"].initial = congresses[0].pk
        _styled(self)

    def clean_session(self):
        value = self.cleaned_data.get("session") or BETWEEN_SESSIONS
        return self.sessions.get(value)


class CosignForm(StyledForm):
    agree = forms.ChoiceField(
        label="是否联名",
        choices=[("1", "确认联名"), ("0", "不同意联名")],
        error_messages={"required": "请选择是否联名。"},
    )


class ReviewForm(StyledForm):
    decision = forms.ChoiceField(
        label="审查结论",
        choices=[("accept", "立案"), ("reject", "不予立案，转为意见")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择审查结论。"},
    )
    reason = text_field("审查意见", 500, required=False, rows=2)


class AssignForm(StyledForm):
    lead_unit = choice_field("主办单位", None)
    co_units = forms.ModelMultipleChoiceField(
        label="协办单位",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": "所选协办单位不在可选范围内，请重新选择。"},
    )
    note = text_field("交办意见", 500, required=False, rows=2)

    def __init__(self, *args, suggestion: Suggestion, **kwargs):
        super().__init__(*args, **kwargs)
        units = selectors.handling_units_for(suggestion)
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        _styled(self)


class ExtendForm(StyledForm):
    until = forms.DateField(
        label="延期至",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写延期后的办理期限。", "invalid": "日期格式不正确。"},
    )
    reason = text_field("延期理由", 500, rows=2)


class CoViewForm(StyledForm):
    content = text_field("协办意见", 5000, rows=4)


class AnswerForm(StyledForm):
    answer_class = forms.ChoiceField(
        label="答复类别",
        choices=Suggestion.AnswerClass.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择答复类别（A、B或C类）。"},
    )
    reply = text_field("答复内容", 5000, rows=5)
    promise = text_field("承诺事项（B类必填）", 500, required=False, rows=2)
    promise_due = forms.DateField(
        label="计划完成日期（B类必填）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "日期格式不正确。"},
    )


class RateForm(StyledForm):
    answer = forms.ChoiceField(
        label="对办理结果",
        choices=Case.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择对办理结果的评价。"},
    )
    contact = forms.ChoiceField(
        label="对沟通联系",
        choices=Case.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择对沟通联系的评价。"},
    )
    contact_before = forms.BooleanField(label="办前沟通", required=False)
    contact_during = forms.BooleanField(label="办中沟通", required=False)
    contact_after = forms.BooleanField(label="办后沟通", required=False)
    note = text_field("评价意见", 500, required=False, rows=2)


class ReasonForm(StyledForm):
    reason = text_field("理由", 500, rows=2)


class KeepForm(StyledForm):
    note = text_field("兑现情况", 500, rows=2)


class SessionForm(StyledForm):
    term = choice_field("届次", None)
    number = forms.IntegerField(
        label="第几次会议",
        min_value=1,
        max_value=99,
        error_messages={"required": "请填写会议次数。", "min_value": "会议次数应大于0。"},
    )
    opens_on = forms.DateField(
        label="开幕日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写开幕日期。", "invalid": "日期格式不正确。"},
    )
    closes_on = forms.DateField(
        label="闭幕日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写闭幕日期。", "invalid": "日期格式不正确。"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = selectors.terms_for_user(user)
