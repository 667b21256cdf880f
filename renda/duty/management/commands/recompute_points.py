"""Bring the points ledger in line with the rules and the records: `recompute_points
[--year 2026]`. Safe to run at any time and as often as wanted (run nightly: a duty day or an
activity earns its points once its date has passed)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renda.duty.services import points_recompute


class Command(BaseCommand):
    help = "重新计算代表履职积分明细（可指定年度）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="只重新计算该年度，如 2026")

    def handle(self, *args, year=None, **options):
        if year is not None and not 2000 <= year <= timezone.localdate().year + 1:
            raise CommandError(f"年度 {year} 无效。")
        started = time.monotonic()
        result = points_recompute(year=year)
        self.stdout.write(
            f"积分重算完成{f'（{year} 年）' if year else ''}：新增明细 {result.created} 条，"
            f"作废或替代 {result.ended} 条，用时 {time.monotonic() - started:.1f} 秒。"
        )
