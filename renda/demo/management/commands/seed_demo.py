"""`manage.py seed_demo`: load the demo city into an empty database (`make run` calls it with
--if-empty) and print the demo accounts for the person starting the server."""

import time
import unicodedata

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from renda.demo.activities_seed import seed_activities
from renda.demo.plan import CITY_NAME, DEFAULT_SEED
from renda.demo.selectors import demo_accounts, demo_installation, org_has_regions
from renda.demo.services import demo_city_seed
from renda.demo.shapes import SIZES
from renda.duty.services import points_recompute

# The demo's cases are made through the services under a moved clock (cases_seed): their
# notifications, duplicate index and points are made at once, in that clock, not queued for a
# worker that may not be running yet.
RUN_TASKS_AT_ONCE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class Command(BaseCommand):
    help = (
        f"生成演示城市（虚构的{CITY_NAME}：行政区划、人大机构、承办单位、联络站、网格、"
        "代表和演示账号）。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--size", choices=list(SIZES), default="city", help="演示规模（默认 city）"
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子")
        parser.add_argument(
            "--cases",
            type=int,
            default=None,
            help="民情事项数量（默认按规模：small 200、city 700、province 1500；0 表示不生成）",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="数据库已有行政区划时什么也不做（只列出演示账号）",
        )

    def handle(
        self, *args, size: str, seed: int, cases: int | None, if_empty: bool, **options
    ) -> None:
        if org_has_regions():
            if not if_empty:
                raise CommandError(
                    "数据库中已有行政区划数据，不能再生成演示城市。"
                    "请换一个空数据库，或加 --if-empty 跳过。"
                )
            installation = demo_installation()
            if installation is None:
                self.stdout.write("数据库中已有数据，跳过演示城市。")
                return
            self.stdout.write(
                f"演示城市已存在（{installation.name}，规模 {installation.demo_size}，"
                f"种子 {installation.demo_seed}），跳过生成。"
            )
            self._print_accounts()
            return

        started = time.monotonic()
        try:
            if cases is not None and cases < 0:
                raise ValidationError("民情事项数量不能为负数。")
            with override_settings(TASKS=RUN_TASKS_AT_ONCE):
                summary = demo_city_seed(size=size, seed=seed, cases=cases)
                # Activities link to the cases raised in them: a city without cases gets none.
                activities = seed_activities(seed=seed) if cases != 0 else {}
                # The duty-day rota is bulk-written (no signals): one pass brings the points
                # ledger in line with every record.
                points_recompute(year=None)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成演示城市{CITY_NAME}（规模 {size}，种子 {seed}），用时 {elapsed:.1f} 秒："
            )
        )
        rows = [[label, str(n)] for label, n in summary.rows()]
        rows += [
            [label, str(activities.get(key, 0))]
            for key, label in ACTIVITY_ROWS.items()
            if activities
        ]
        self._print_table(["项目", "数量"], rows)
        self._print_accounts()

    def _print_accounts(self) -> None:
        self.stdout.write("\n演示账号（仅供演示，请勿用于生产）：")
        self._print_table(
            ["账号", "密码", "姓名", "角色", "所在单位"],
            [[a.username, a.password, a.full_name, a.role, a.place] for a in demo_accounts()],
        )

    def _print_table(self, header: list[str], rows: list[list[str]]) -> None:
        widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, ["-" * w for w in widths], *rows]:
            line = "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True))
            self.stdout.write(line.rstrip())


ACTIVITY_ROWS = {
    "campaigns": "主题活动",
    "activities": "履职活动",
    "linked_cases": "活动中收集的事项",
    "schedules": "联络站活动安排",
    "visits": "国家机关工作人员进站",
}


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal: pad by display width, not length.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
