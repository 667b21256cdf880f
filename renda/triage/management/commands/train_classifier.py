"""Train the triage models from the deployment's own cases; run by hand or nightly, e.g.

    30 2 * * * cd /srv/renda && .venv/bin/python manage.py train_classifier

A refusal (too few cases) exits with status 1 and says what is missing; the model in use,
if any, stays in use.
"""

from django.core.management.base import BaseCommand, CommandError

from renda.triage.training import (
    MIN_ASSIGNMENTS,
    MIN_CASES_PER_CATEGORY,
    TrainingRefused,
    classifier_train,
    unit_model_train,
)


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1%}"


class Command(BaseCommand):
    help = (
        "用本平台已受理的事项训练分类模型，用交办记录训练承办单位建议模型。"
        "可手动运行，也可每日定时运行；新模型训练完成后各进程自动使用。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            choices=["category", "unit"],
            help="只训练分类模型（category）或承办单位模型（unit）",
        )
        parser.add_argument(
            "--min-per-category",
            type=int,
            default=MIN_CASES_PER_CATEGORY,
            help=f"每个分类至少需要的已受理事项数（默认 {MIN_CASES_PER_CATEGORY}）",
        )
        parser.add_argument(
            "--min-assignments",
            type=int,
            default=MIN_ASSIGNMENTS,
            help=f"训练承办单位模型至少需要的交办记录数（默认 {MIN_ASSIGNMENTS}）",
        )

    def handle(self, *args, **options):
        failures = []
        if options["only"] in (None, "category"):
            try:
                result = classifier_train(min_per_category=options["min_per_category"])
            except TrainingRefused as e:
                failures.append(str(e))
                self.stderr.write(str(e))
            else:
                row = result.row
                scores = row.scores or {}
                self.stdout.write(
                    f"分类模型：{row.training_size} 件、{len(row.labels)} 个分类，"
                    f"耗时 {row.training_seconds:.1f} 秒，大小 {row.size_bytes / 1024:.0f} KB；"
                    f"验证集 {scores.get('n', 0)} 件，准确率 {_pct(scores.get('accuracy'))}，"
                    f"macro-F1 {_pct(scores.get('macro_f1'))}，"
                    f"前三准确率 {_pct(scores.get('top3_accuracy'))}。"
                )
                if row.note:
                    self.stdout.write(row.note)
        if options["only"] in (None, "unit"):
            try:
                result = unit_model_train(min_assignments=options["min_assignments"])
            except TrainingRefused as e:
                failures.append(str(e))
                self.stderr.write(str(e))
            else:
                row = result.row
                scores = row.scores or {}
                self.stdout.write(
                    f"承办单位模型：{row.training_size} 件交办记录、{len(row.labels)} 个单位，"
                    f"耗时 {row.training_seconds:.1f} 秒，大小 {row.size_bytes / 1024:.0f} KB；"
                    f"按时间切分验证（{scores.get('test', 0)} 件）"
                    f"前三准确率 {_pct(scores.get('top3'))}。"
                )
        if failures:
            raise CommandError("未完成训练：" + " ".join(failures))
