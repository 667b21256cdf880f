"""Default point rules for activities and duty days.

As for 0002: the seeds name what is counted — 六访六促 "做好代表参与主题活动情况的登记记录，
作为代表考评的依据" (000), 每月接待日 / 每周学习日 (000), 联系选民活动 (003), 履职积分管理
(004) — but give no point values; these are defaults an office edits on the rules page. The
example reason in issue 4 ("+2 分 参加接待日") sets the reception-day value.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

DEFAULT = "默认值（种子材料未给出分值），请按本地代表履职考评办法调整"
# (name, source, attendance status, activity kind code or "", points, basis)
RULES = [
    ("参加履职活动", "attendance", "attended", "", "1", "000 六访六促：参与主题活动登记，作为考评依据；" + DEFAULT),
    ("参加接待日", "attendance", "attended", "reception_day", "2", "000 每月接待日；议题 4 示例“+2 分 参加接待日”"),
    ("参加视察", "attendance", "attended", "inspection", "2", DEFAULT),
    ("参加执法检查", "attendance", "attended", "law_check", "2", DEFAULT),
    ("参加调研", "attendance", "attended", "research", "2", DEFAULT),
    ("无故缺席", "attendance", "absent", "", "-2", "缺席扣分；" + DEFAULT),
    ("联络站值班", "duty_day", "", "", "1", "000 每月接待日/每周学习日值班；" + DEFAULT),
]


def seed(apps, schema_editor):
    PointRule = apps.get_model("duty", "PointRule")
    ActivityKind = apps.get_model("activities", "ActivityKind")
    kinds = dict(ActivityKind.objects.values_list("code", "pk"))
    for name, source, status, kind_code, points, basis in RULES:
        if kind_code and kind_code not in kinds:
            continue  # the kind was renamed away before this ran: nothing to attach to
        PointRule.objects.get_or_create(
            name=name,
            source=source,
            attendance_status=status,
            activity_kind_id=kinds.get(kind_code) if kind_code else None,
            defaults={
                "points": Decimal(points),
                "valid_from": dt.date(2020, 1, 1),
                "basis": basis,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("duty", "0003_activity_kind"), ("activities", "0002_seed_kinds")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
