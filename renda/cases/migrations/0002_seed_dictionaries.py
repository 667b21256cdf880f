"""The default dictionaries: categories, urgency tiers and the workflow settings row."""

from django.db import migrations

CATEGORIES = [
    "城乡建设",
    "环境保护",
    "交通运输",
    "教育文体",
    "劳动和社会保障",
    "商贸旅游",
    "卫生计生",
    "农业农村",
    "营商环境",
    "社会治理",
    "其他",
]

URGENCY_TIERS = [("紧急", 1), ("一般", 15), ("复杂", 30)]


def seed(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    UrgencyTier = apps.get_model("cases", "UrgencyTier")
    CaseSettings = apps.get_model("cases", "CaseSettings")
    for order, name in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"sort_order": order * 10})
    for order, (name, days) in enumerate(URGENCY_TIERS, start=1):
        UrgencyTier.objects.get_or_create(
            name=name, defaults={"working_days": days, "sort_order": order * 10}
        )
    CaseSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
