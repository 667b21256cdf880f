from django import forms

from renda.lib.masking import mask_id_number, mask_name, mask_phone
from renda.lib.templatetags.renda import bootstrap, fast_select, phone


class SampleForm(forms.Form):
    name = forms.CharField(label="姓名")
    kind = forms.ChoiceField(label="类别", choices=[("a", "甲")])
    note = forms.CharField(label="备注", widget=forms.Textarea)
    agree = forms.BooleanField(label="同意")


def test_it_masks_personal_data():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("330102199001011234") == "3301**********1234"
    assert mask_name("张三丰") == "张**"


def test_it_shows_the_phone_only_when_allowed():
    assert phone("13812345678", True) == "13812345678"
    assert phone("13812345678", False) == "138****5678"
    assert phone("", False) == ""


def test_it_styles_every_kind_of_field():
    form = SampleForm(data={})
    assert 'class="form-control is-invalid"' in bootstrap(form["name"])
    assert 'class="form-select' in bootstrap(form["kind"])
    assert "form-control" in bootstrap(form["note"])
    assert "form-check-input" in bootstrap(form["agree"])


def test_it_masks_numbers_typed_into_free_text():
    from renda.lib.masking import mask_free_text

    text = "电话13812345678，身份证33010219900101123X，门牌123号"
    assert mask_free_text(text) == "电话138****5678，身份证3301**********123X，门牌123号"
    assert mask_free_text("") == ""


class PickForm(forms.Form):
    town = forms.ChoiceField(
        label="镇街", choices=[("", "全部"), ("1", "东湖街道"), ("2", "<b>梅庄</b>镇")]
    )
    note = forms.ChoiceField(label="备注", choices=[("", "—"), ("x", "甲")], required=False)


def test_a_fast_select_marks_the_chosen_option_and_escapes_labels():
    html = fast_select(PickForm(data={"town": "2"})["town"])
    assert html.startswith('<select name="town" class="form-select" aria-label="镇街" id="id_town"')
    assert " required>" in html
    assert '<option value="2" selected>&lt;b&gt;梅庄&lt;/b&gt;镇</option>' in html
    assert '<option value="1">东湖街道</option>' in html


def test_a_fast_select_shows_an_invalid_choice():
    html = fast_select(PickForm(data={"town": "9"})["town"])
    assert 'class="form-select is-invalid"' in html
    assert 'aria-invalid="true"' in html
    assert "selected" not in html
    assert " required" not in fast_select(PickForm()["note"])


class ListForm(forms.Form):
    kind = forms.ChoiceField(
        label="类别", choices=[("a", "问题"), ("b", "建议")], widget=forms.RadioSelect
    )


def test_a_list_of_radio_buttons_keeps_the_checkbox_class_off_its_wrapper():
    html = bootstrap(ListForm()["kind"])
    assert "form-check-input" not in html
    assert 'type="radio"' in html
