import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The activity's region, organiser, station, recorder and cancellation copied onto its case
# links, filled from the activities (one statement), then region and organiser required.
FILL = [
    "UPDATE activities_activitycase SET "
    "region_id = (SELECT a.region_id FROM activities_activity a "
    "WHERE a.id = activities_activitycase.activity_id), "
    "organiser_id = (SELECT a.organiser_id FROM activities_activity a "
    "WHERE a.id = activities_activitycase.activity_id), "
    "station_id = (SELECT a.station_id FROM activities_activity a "
    "WHERE a.id = activities_activitycase.activity_id), "
    "activity_created_by_id = (SELECT a.created_by_id FROM activities_activity a "
    "WHERE a.id = activities_activitycase.activity_id), "
    "activity_cancelled = (SELECT a.status = 'cancelled' FROM activities_activity a "
    "WHERE a.id = activities_activitycase.activity_id)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0004_activity_date_copies"),
        ("org", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="activitycase",
            name="region",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.region",
                verbose_name="活动所在区划",
            ),
        ),
        migrations.AddField(
            model_name="activitycase",
            name="organiser",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.orgunit",
                verbose_name="活动组织单位",
            ),
        ),
        migrations.AddField(
            model_name="activitycase",
            name="station",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.station",
                verbose_name="活动联络站",
            ),
        ),
        migrations.AddField(
            model_name="activitycase",
            name="activity_created_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="活动登记人",
            ),
        ),
        migrations.AddField(
            model_name="activitycase",
            name="activity_cancelled",
            field=models.BooleanField(default=False, verbose_name="活动已取消"),
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="activitycase",
            name="region",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.region",
                verbose_name="活动所在区划",
            ),
        ),
        migrations.AlterField(
            model_name="activitycase",
            name="organiser",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.orgunit",
                verbose_name="活动组织单位",
            ),
        ),
    ]
