from django.core.management.base import BaseCommand

from renda.workcal.services import SEED_YEARS, calendar_seed


class Command(BaseCommand):
    help = "载入 2024–2027 年法定节假日与调休上班日。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="只载入指定年份")
        parser.add_argument("--overwrite", action="store_true", help="覆盖管理员已修改的日期")

    def handle(self, *args, year=None, overwrite=False, **options):
        used = calendar_seed(years=year or SEED_YEARS, overwrite=overwrite)
        for y, source in sorted(used.items()):
            self.stdout.write(f"{y}: {source}")
