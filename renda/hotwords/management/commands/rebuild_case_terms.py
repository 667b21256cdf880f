import time

from django.core.management.base import BaseCommand

from renda.hotwords.services import case_terms_rebuild


class Command(BaseCommand):
    help = (
        "重建民意热点的词项与每日热词汇总：为每件民情分词并重新累计。"
        "已有词项且文本未变的事项沿用原词项（--reanalyze 则全部重新分词）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000, help="每批处理的事项数（默认 1000）")
        parser.add_argument("--reanalyze", action="store_true", help="全部重新分词")

    def handle(self, *args, batch: int, reanalyze: bool, **options):
        if batch < 1:
            self.stderr.write("--batch 须为正整数。")
            return
        began = time.monotonic()

        def progress(done: int, total: int) -> None:
            seconds = time.monotonic() - began
            self.stdout.write(f"已处理 {done:,} / {total:,} 件（{seconds:.0f} 秒）")

        done = case_terms_rebuild(batch=batch, reanalyze=reanalyze, progress=progress)
        seconds = time.monotonic() - began
        self.stdout.write(f"完成：{done:,} 件民情的词项已重建，用时 {seconds:.1f} 秒。")
