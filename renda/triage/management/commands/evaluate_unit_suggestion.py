from django.core.management.base import BaseCommand, CommandError

from renda.triage.training import TrainingRefused, unit_suggestion_evaluate


class Command(BaseCommand):
    help = "按时间切分（较早的交办记录训练、最新的检验）评估承办单位建议的前三准确率。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--test-fraction", type=float, default=0.2, help="用于检验的最新记录比例（默认 0.2）"
        )

    def handle(self, *args, **options):
        fraction = options["test_fraction"]
        if not 0 < fraction < 1:
            raise CommandError("--test-fraction 应在 0 到 1 之间。")
        try:
            r = unit_suggestion_evaluate(test_fraction=fraction)
        except TrainingRefused as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            f"训练 {r['train']} 件（截至 {r['train_until'][:10]}），"
            f"检验 {r['test']} 件（自 {r['test_from'][:10]}）"
        )
        self.stdout.write(f"unit top-1 accuracy: {r['top1']:.3f}")
        self.stdout.write(f"unit top-3 accuracy: {r['top3']:.3f}")
        self.stdout.write(
            f"baseline top-3 (most frequent units of the category): {r['baseline_top3']:.3f}"
        )
