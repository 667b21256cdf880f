import time

from django.core.management.base import BaseCommand

from renda.hotwords.services import term_rollup_rebuild


class Command(BaseCommand):
    help = (
        "由每日热词汇总重建按月、按日的地区热词汇总（不重新分词）。"
        "rebuild_case_terms 完成后会自动执行本命令的工作。"
    )

    def handle(self, *args, **options):
        began = time.monotonic()
        rows = term_rollup_rebuild()
        seconds = time.monotonic() - began
        self.stdout.write(f"完成：热词汇总已重建，共 {rows:,} 行，用时 {seconds:.1f} 秒。")
