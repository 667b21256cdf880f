from django.db import migrations


def seed(apps, schema_editor):
    from renda.workcal.services import calendar_seed

    calendar_seed(model=apps.get_model("workcal", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("workcal", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
