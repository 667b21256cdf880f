import pytest

from renda.activities.models import ActivityKind


@pytest.mark.django_db
def test_it_seeds_the_activity_kinds():
    names = set(ActivityKind.objects.values_list("name", flat=True))
    assert {"走访选民", "调研", "视察", "执法检查", "座谈", "接待日"} <= names
    assert {"学习培训", "代表小组活动", "专题监督", "调解矛盾纠纷"} <= names
    assert ActivityKind.objects.get(code="reception_day").name == "接待日"
