import time

from django.core.management.base import BaseCommand

from renda.triage.duplicates import duplicate_index_rebuild


class Command(BaseCommand):
    help = "为已有事项建立（或重建）疑似重复查重索引，分批处理。新提交的事项会自动加入索引。"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000, help="每批事项数（默认 1000）")
        parser.add_argument("--missing", action="store_true", help="只为尚未建立索引的事项建立索引")

    def handle(self, *args, **options):
        started = time.perf_counter()
        done = duplicate_index_rebuild(
            batch_size=max(1, options["batch_size"]), only_missing=options["missing"]
        )
        seconds = time.perf_counter() - started
        self.stdout.write(f"已为 {done} 件事项建立查重索引，耗时 {seconds:.1f} 秒。")
