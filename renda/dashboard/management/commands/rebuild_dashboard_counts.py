import time

from django.core.management.base import BaseCommand

from renda.dashboard.counters import counts_rebuild


class Command(BaseCommand):
    help = "重建领导驾驶舱的月度计数：按全部民情事项重新累计收到、办结、逾期（已答复）件数。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", type=int, default=20000, help="每批处理的事项数（默认 20000）"
        )

    def handle(self, *args, batch: int, **options):
        if batch < 1:
            self.stderr.write("--batch 须为正整数。")
            return
        began = time.monotonic()

        def progress(done: int, total: int) -> None:
            seconds = time.monotonic() - began
            self.stdout.write(f"已处理 {done:,} / {total:,} 件（{seconds:.0f} 秒）")

        done = counts_rebuild(batch=batch, progress=progress)
        seconds = time.monotonic() - began
        self.stdout.write(f"完成：{done:,} 件民情已重新计数，用时 {seconds:.1f} 秒。")
