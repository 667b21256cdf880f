"""Default point rules for cases.

The seeds describe a points system (积分制: 003 乐清 "以'积分制'量化代表履职 … 各级代表上传
履职记录1.7万余条"; 004 义乌 "实施代表履职积分管理") and honours (002 大洋镇 "年度履职积极
分子""优秀建议领衔代表") but give no point values. The values below are defaults, marked as
such in each rule's 依据; an office edits them (with validity periods) on the rules page.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

DEFAULT = "默认值（种子材料未给出分值），请按本地代表履职考评办法调整"
RULES = [
    ("收集民情意见", "case_collected", "opinion", "1", "003 乐清：代表联系选民、收集民情；" + DEFAULT),
    ("领衔提出代表建议", "case_collected", "suggestion", "3", "002 大洋镇：优秀建议领衔代表；" + DEFAULT),
    ("领衔提出代表议案", "case_collected", "motion", "5", DEFAULT),
    ("意见建议得到解决", "case_solved", "", "2", "003 乐清：问题解决率；" + DEFAULT),
]


def seed(apps, schema_editor):
    PointRule = apps.get_model("duty", "PointRule")
    for name, source, case_kind, points, basis in RULES:
        PointRule.objects.get_or_create(
            name=name,
            source=source,
            case_kind=case_kind,
            defaults={
                "points": Decimal(points),
                "valid_from": dt.date(2020, 1, 1),
                "basis": basis,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("duty", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
