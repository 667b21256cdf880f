from django.core.management.base import BaseCommand

from renda.cases.selectors import due_for_close_unrated
from renda.cases.services import CaseConflict, case_close_unrated


class Command(BaseCommand):
    help = "将答复后超过评价期限仍未评价的事项自动办结（未评价）。可手动运行，也可每日定时运行。"

    def handle(self, *args, **options):
        closed = skipped = 0
        for case in due_for_close_unrated().order_by("pk").iterator():
            try:
                case_close_unrated(case=case, actor=None, version=case.version)
            except CaseConflict:
                skipped += 1  # rated at this very moment: the rating wins
                continue
            closed += 1
        self.stdout.write(f"自动办结 {closed} 件，跳过 {skipped} 件。")
