from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_attachment"),
    ]

    operations = [
        # Found by bench/bench_cases.py over a million cases: the newest-first lists (the inbox
        # page, Open311 GET requests) sorted every case in scope for one page.
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["created_at", "id"], name="case_created_at"),
        ),
    ]
