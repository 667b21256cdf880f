"""The staff pages' forms: the inbox filters, bulk assignment, and one small form per
workflow action. Forms only parse and validate input; the services decide and write."""

import re

from django import forms
from django.db.models import Q

from renda.accounts.models import User
from renda.cases import inbox
from renda.cases.models import Case, CaseSettings, Category, UrgencyTier
from renda.cases.selectors import cases_for_user
from renda.lib.forms import choice_field, text_field
from renda.org.models import OrgUnit, Region

CODE_RE = re.compile(r"^[A-Z]{2}\d{4}-\d{6}$")


# --- the inbox ------------------------------------------------------------------------------


def _offer(form: forms.Form, **choices: tuple[tuple[str, str], ...]) -> None:
    """Show remembered options in the form's choice fields, after their empty label. The
    fields' querysets still check what is submitted."""
    for name, options in choices.items():
        field = form.fields[name]
        field.choices = [("", field.empty_label), *options]


class InboxFilterForm(forms.Form):
    """The inbox's filters (GET). Invalid values are reported and left out of the filter."""

    q = forms.CharField(label="编号或标题", max_length=100, required=False)
    category = choice_field("分类", Category.objects.none(), required=False, empty="全部分类")
    region = choice_field("乡镇街道", Region.objects.none(), required=False, empty="全部乡镇")
    urgency = choice_field("时限档次", UrgencyTier.objects.none(), required=False, empty="全部档次")
    supervision = forms.ChoiceField(
        label="督办",
        required=False,
        choices=[("", "全部督办"), *Case.Supervision.choices],
        error_messages={"invalid_choice": "请选择有效的督办状态。"},
    )
    channel = forms.ChoiceField(
        label="来源渠道",
        required=False,
        choices=[("", "全部渠道"), *Case.Channel.choices],
        error_messages={"invalid_choice": "请选择有效的来源渠道。"},
    )
    date_from = forms.DateField(
        label="提交日期自",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请输入有效的日期，如 2026-09-15。"},
    )
    date_to = forms.DateField(
        label="至",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请输入有效的日期，如 2026-09-15。"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.all()
        # Only a submitted town is checked against the reader's towns: building that scoped
        # queryset on every page of the list was a tenth of its CPU time.
        if self.data.get("region"):
            self.fields["region"].queryset = inbox.towns_for_user(user)
        self.fields["urgency"].queryset = UrgencyTier.objects.all()
        _offer(
            self,
            category=inbox.category_choices(),
            region=inbox.town_choices(user),
            urgency=inbox.urgency_choices(),
        )
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)
        self.fields["q"].widget.attrs["placeholder"] = "编号或标题"
        self.fields["date_to"].widget.attrs["aria-label"] = "提交日期至"

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "结束日期不能早于开始日期。")
            data.pop("date_to", None)
        return data

    def key(self) -> tuple:
        """What `apply` narrows by, as a hashable (the inbox remembers its counts' SQL by it)."""
        data = getattr(self, "cleaned_data", {})
        region, category, urgency = data.get("region"), data.get("category"), data.get("urgency")
        return (
            data.get("q", "").strip(),
            category.pk if category else None,
            region.path if region else None,
            urgency.pk if urgency else None,
            data.get("supervision"),
            data.get("channel"),
            data.get("date_from"),
            data.get("date_to"),
        )

    def apply(self, qs):
        """`qs` narrowed by every valid filter (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        if query := data.get("q", "").strip():
            qs = qs.filter(_search(query))
        if data.get("category"):
            qs = qs.filter(category=data["category"])
        if data.get("region"):
            qs = qs.filter(region__path__startswith=data["region"].path)
        if data.get("urgency"):
            qs = qs.filter(urgency=data["urgency"])
        if data.get("supervision"):
            qs = qs.filter(supervision=data["supervision"])
        if data.get("channel"):
            qs = qs.filter(channel=data["channel"])
        if data.get("date_from"):
            qs = qs.filter(created_at__date__gte=data["date_from"])
        if data.get("date_to"):
            qs = qs.filter(created_at__date__lte=data["date_to"])
        return qs


def _search(query: str) -> Q:
    """A whole tracking code finds that case; anything else searches codes and titles."""
    if CODE_RE.match(query.upper()):
        return Q(code=query.upper())
    return Q(code__icontains=query) | Q(title__icontains=query)


class BulkAssignForm(forms.Form):
    """交办 several 待交办 cases to one lead unit with one urgency tier. Each ticked row posts
    its code in `cases` and the version it showed in `version_<code>`."""

    cases = forms.Field(
        label="事项",
        widget=forms.MultipleHiddenInput,
        error_messages={"required": "请勾选要交办的事项。"},
    )
    lead_unit = choice_field("主办单位", OrgUnit.objects.none())
    urgency = choice_field("办理时限", UrgencyTier.objects.none())
    note = text_field("交办意见", 500, required=False)

    MAX_CASES = 200

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = inbox.handling_units_for_user(user)
        self.fields["urgency"].queryset = UrgencyTier.objects.all()
        _offer(self, lead_unit=inbox.handling_unit_choices(user), urgency=inbox.urgency_choices())

    def clean_cases(self):
        codes = list(dict.fromkeys(str(c).strip().upper() for c in self.cleaned_data["cases"]))
        codes = [c for c in codes if c]
        if not codes:
            raise forms.ValidationError("请勾选要交办的事项。")
        if len(codes) > self.MAX_CASES:
            raise forms.ValidationError(f"一次最多交办{self.MAX_CASES}件。")
        return codes

    def versions(self) -> dict[str, int | None]:
        """The version each ticked row showed (None when missing or not a number)."""
        found: dict[str, int | None] = {}
        for code in self.cleaned_data["cases"]:
            raw = self.data.get(f"version_{code}", "")
            found[code] = int(raw) if str(raw).isdigit() else None
        return found


# --- one form per action --------------------------------------------------------------------


class ActionForm(forms.Form):
    """Every action form carries the version of the case the page showed."""

    # Parsed in clean(): an error on a hidden field would show nowhere near the user.
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    # A service's ValidationError key → the field it belongs next to.
    error_fields: dict[str, str] = {}
    submit_label = "提交"

    def __init__(self, *args, case: Case, user, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", case.version)
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user

    def clean(self):
        data = super().clean()
        raw = str(data.get("version") or "").strip()
        if not raw.isdigit() or int(raw) < 1:
            raise forms.ValidationError("页面信息不完整，请刷新后重试。")
        data["version"] = int(raw)
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data

    def add_service_error(self, error) -> None:
        """Put a service's ValidationError next to the field it names."""
        if hasattr(error, "error_dict"):
            for key, errors in error.error_dict.items():
                field = self.error_fields.get(key, key)
                for e in errors:
                    self.add_error(field if field in self.fields else None, e.messages)
        else:
            self.add_error(None, error.messages)


class NoteForm(ActionForm):
    note = text_field("说明", 500, required=False, rows=2)


class AcceptForm(NoteForm):
    submit_label = "受理"
    category = choice_field("分类", Category.objects.none(), required=False, empty="保持原分类")

    field_order = ["category", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["category"].help_text = f"当前分类：{self.case.category.name}"


class RejectForm(ActionForm):
    submit_label = "不予受理"
    reason = text_field("不予受理理由", 500, rows=2, help_text="理由将告知提交人。")


class MergeForm(ActionForm):
    submit_label = "合并"
    merged_into = text_field("合并至事项编号", 20, help_text="例如 MQ2026-000123")
    note = text_field("说明", 500, required=False, rows=2)

    def clean_merged_into(self):
        code = self.cleaned_data["merged_into"].strip().upper()
        target = cases_for_user(self.user).filter(code=code).first()
        if target is None:
            raise forms.ValidationError(f"未找到编号为“{code}”的事项，或您无权查看。")
        return target

    def service_kwargs(self) -> dict:
        return {"into": self.cleaned_data["merged_into"], "note": self.cleaned_data["note"]}


class AssignForm(ActionForm):
    submit_label = "交办"
    error_fields = {"unit": "lead_unit"}
    lead_unit = choice_field("主办单位", OrgUnit.objects.none())
    co_units = forms.ModelMultipleChoiceField(
        label="协办单位",
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text="可多选；按住 Ctrl（手机上点选）选择多个。",
        error_messages={"invalid_choice": "所选协办单位不在可选范围内，请重新选择。"},
    )
    urgency = choice_field("办理时限", UrgencyTier.objects.none())
    note = text_field("交办意见", 500, required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = inbox.handling_units_for_congress(self.case.congress)
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["urgency"].queryset = UrgencyTier.objects.all()

    def clean(self):
        data = super().clean()
        lead, co = data.get("lead_unit"), data.get("co_units")
        if lead is not None and co and lead in co:
            self.add_error("co_units", "协办单位不能与主办单位相同。")
        return data

    def service_kwargs(self) -> dict:
        data = super().service_kwargs()
        data["co_units"] = list(data.get("co_units") or [])
        return data


class EscalateForm(ActionForm):
    submit_label = "上报"
    note = text_field("上报理由", 500, required=False, rows=2)


class SendDownForm(ActionForm):
    submit_label = "下转"
    error_fields = {"congress": "to_congress"}
    to_congress = choice_field("下转至", OrgUnit.objects.none())
    note = text_field("下转说明", 500, required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_congress"].queryset = inbox.congresses_below(self.case)


class SignForm(NoteForm):
    submit_label = "签收"


class ReturnForm(ActionForm):
    submit_label = "退回"
    reason = text_field("退回理由", 500, rows=2)


class ExtendRequestForm(ActionForm):
    submit_label = "申请延期"
    days = forms.IntegerField(
        label="延期天数（工作日）",
        error_messages={"required": "请填写延期天数。", "invalid": "延期天数须为整数。"},
    )
    reason = text_field("延期理由", 500, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = CaseSettings.load().max_extension_days
        self.fields["days"].widget.attrs.update({"min": 1, "max": self.limit})
        self.fields["days"].help_text = f"最多 {self.limit} 个工作日。"

    def clean_days(self):
        days = self.cleaned_data["days"]
        if not 1 <= days <= self.limit:
            raise forms.ValidationError(f"延期天数应为 1 到 {self.limit} 个工作日。")
        return days


class ExtendDecisionForm(ActionForm):
    note = text_field("审批意见", 500, required=False, rows=2)


class ExtendApproveForm(ExtendDecisionForm):
    submit_label = "批准延期"


class ExtendRefuseForm(ExtendDecisionForm):
    submit_label = "不批准延期"


class ReplyForm(ActionForm):
    submit_label = "答复"
    result_class = forms.ChoiceField(
        label="办理结果",
        choices=[("", "请选择"), *Case.ResultClass.choices],
        error_messages={
            "required": "请选择办理结果。",
            "invalid_choice": "请选择办理结果（已解决、列入计划或解释说明）。",
        },
    )
    reply = text_field("答复内容", 5000, rows=5)


class RateForm(ActionForm):
    submit_label = "提交评价"
    rating = forms.ChoiceField(
        label="评价",
        choices=[("", "请选择"), *Case.Rating.choices],
        help_text="选择“不满意”将退回承办单位重办。",
        error_messages={
            "required": "请选择满意、基本满意或不满意。",
            "invalid_choice": "请选择满意、基本满意或不满意。",
        },
    )
    note = text_field("评价意见", 500, required=False, rows=2)


class SuperviseForm(ActionForm):
    submit_label = "保存督办设置"
    supervision = forms.ChoiceField(
        label="督办方式",
        choices=Case.Supervision.choices,
        error_messages={"required": "请选择督办方式。", "invalid_choice": "请选择督办方式。"},
    )
    lead_leader = choice_field("领办领导", User.objects.none(), required=False, empty="无")
    note = text_field("督办意见", 500, required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervision"].initial = self.case.supervision
        self.fields["lead_leader"].initial = self.case.lead_leader_id
        self.fields["lead_leader"].queryset = inbox.leaders_for_case(self.case)
        self.fields["lead_leader"].help_text = "重点督办与领办须由具有重点督办权限的领导决定。"

    def service_kwargs(self) -> dict:
        data = super().service_kwargs()
        data["level"] = data.pop("supervision")
        return data


class RemindForm(ActionForm):
    submit_label = "催办"
    note = text_field("催办意见", 500, required=False, rows=2)


class ConvertToAgendaForm(ActionForm):
    submit_label = "转为工作议题"
    title = text_field("议题名称", 200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].initial = self.case.title
