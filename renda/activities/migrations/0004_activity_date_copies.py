from django.db import migrations, models

# The activity's date copied onto its attendances and case links, filled from the activities
# (one statement per table), then required.
FILL = [
    "UPDATE activities_attendance SET activity_date = (SELECT a.date FROM activities_activity a "
    "WHERE a.id = activities_attendance.activity_id)",
    "UPDATE activities_activitycase SET activity_date = (SELECT a.date FROM "
    "activities_activity a WHERE a.id = activities_activitycase.activity_id)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0003_covering_deputy_and_campaign_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="attendance",
            name="activity_date",
            field=models.DateField("活动日期", null=True),
        ),
        migrations.AddField(
            model_name="activitycase",
            name="activity_date",
            field=models.DateField("活动日期", null=True),
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="attendance",
            name="activity_date",
            field=models.DateField("活动日期"),
        ),
        migrations.AlterField(
            model_name="activitycase",
            name="activity_date",
            field=models.DateField("活动日期"),
        ),
        migrations.RemoveIndex(
            model_name="activitycase",
            name="activitycase_campaign_nature",
        ),
        migrations.AddIndex(
            model_name="activitycase",
            index=models.Index(
                fields=["campaign", "nature", "activity_date"],
                name="activitycase_campaign_nature",
            ),
        ),
        migrations.AddIndex(
            model_name="activitycase",
            index=models.Index(
                fields=["campaign", "activity_date"], name="activitycase_campaign_date"
            ),
        ),
        migrations.AddIndex(
            model_name="attendance",
            index=models.Index(
                fields=["deputy", "status", "activity_date"], name="attendance_deputy_date"
            ),
        ),
    ]
