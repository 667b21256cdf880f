from django.core.management.base import BaseCommand
from django.utils import timezone

from renda.cases.selectors import due_for_reminder
from renda.cases.services import CaseConflict, case_remind
from renda.workcal.calendar import is_working_day


class Command(BaseCommand):
    help = "对超过办理期限的事项催办（每个错过的期限催办一次）。可手动运行，也可每日定时运行。"

    def handle(self, *args, **options):
        today = timezone.localdate()
        # Reminders go out on the working day after a missed deadline, not on a holiday.
        if not is_working_day(today):
            self.stdout.write(f"{today:%Y-%m-%d} 不是工作日，不催办。")
            return
        reminded = skipped = 0
        for case in due_for_reminder(today).order_by("pk").iterator():
            try:
                case_remind(case=case, actor=None, version=case.version, note="系统自动催办")
            except CaseConflict:
                skipped += 1
                continue
            reminded += 1
        self.stdout.write(f"催办 {reminded} 件，跳过 {skipped} 件。")
