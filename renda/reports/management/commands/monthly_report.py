"""Compile a month's report as the Excel sheet of seed 001, for one unit or the whole city.

    manage.py monthly_report --month 2026-10 --unit D1-RD --xlsx /tmp/d1.xlsx
    manage.py monthly_report --month 2026-10 --xlsx /tmp/city.xlsx

With --unit: that unit's latest submitted version, or its live figures when not submitted.
Without: every reporting unit, rolled up (the counties' submitted figures, live where missing).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renda.org.models import Level, OrgUnit
from renda.reports import exports, selectors, services
from renda.reports import figures as F


class Command(BaseCommand):
    help = "生成月报 Excel（指定 --unit 为单个单位，否则为全市汇总）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--month", required=True, help="月份，如 2026-10")
        parser.add_argument("--unit", help="单位编码（不填则全市汇总）")
        parser.add_argument("--xlsx", required=True, help="输出的 .xlsx 文件路径")

    def handle(self, *args, month: str, unit: str | None, xlsx: str, **options) -> None:
        try:
            the_month = F.Month.parse(month)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
        path = Path(xlsx)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("输出文件应以 .xlsx 结尾。")
        if not path.parent.exists():
            raise CommandError(f"目录 {path.parent} 不存在。")
        settings = selectors.report_settings()
        if unit:
            the_unit = F.reporting_units().filter(code=unit).first()
            if the_unit is None:
                raise CommandError(
                    f"没有编码为 {unit} 的报送单位（县区人大、乡镇人大、街道人大工委）。"
                )
            history = selectors.report_history(the_unit, the_month)
            report = history[0] if history else None
            live = None if report else services.report_draft(unit=the_unit, month=the_month)
            sheet = exports.unit_sheet(
                the_unit, the_month, report, live, deadline_day=settings.deadline_day
            )
        else:
            units = list(F.reporting_units().order_by("path"))
            overview = selectors.month_overview(units, the_month)
            city = (
                OrgUnit.objects.filter(kind=OrgUnit.Kind.CONGRESS, region__level=Level.CITY)
                .order_by("path")
                .first()
            )
            sheet = exports.overview_sheet(
                overview,
                unit_name=f"{city.name if city else '全市'}（汇总）",
                reporter="系统汇总",
                date=timezone.localdate(),
                deadline_day=settings.deadline_day,
            )
        path.write_bytes(exports.build_xlsx(sheet))
        summary = "，".join(f"{f.short} {int(sheet.figures.get(f.key, 0))}" for f in F.FIGURES)
        self.stdout.write(f"{sheet.unit_name} {the_month.label}：{summary}。已写入 {path}")
