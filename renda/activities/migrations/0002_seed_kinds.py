"""The default activity kinds; administrators may rename, reorder or disable them later."""

from django.db import migrations

# (code, name): the code is what programs rely on, the name is what people read.
KINDS = [
    ("visit_voters", "走访选民"),
    ("research", "调研"),
    ("inspection", "视察"),
    ("law_check", "执法检查"),
    ("forum", "座谈"),
    ("reception_day", "接待日"),
    ("study", "学习培训"),
    ("group_activity", "代表小组活动"),
    ("special_supervision", "专题监督"),
    ("mediation", "调解矛盾纠纷"),
    ("official_visit", "工作人员进站"),
]


def seed(apps, schema_editor):
    ActivityKind = apps.get_model("activities", "ActivityKind")
    for order, (code, name) in enumerate(KINDS, start=1):
        ActivityKind.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
