from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from renda.open311.services import client_create
from renda.org.models import Region


class Command(BaseCommand):
    help = "创建 Open311 客户端，输出的最后一行是它的 API 密钥（只显示这一次）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--name", required=True, help="客户端名称，例如“12345 热线”")
        parser.add_argument(
            "--region",
            required=True,
            help="受理区划代码：请求未指明区划时，事项登记在该区划（例如 331002）",
        )

    def handle(self, *args, name: str, region: str, **options):
        found = Region.objects.filter(code=region.strip()).first()
        if found is None:
            raise CommandError(f"区划代码“{region}”不存在。")
        try:
            client, api_key = client_create(name=name, region=found)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(f"已创建 Open311 客户端“{client.name}”（受理区划：{found.name}）。")
        self.stdout.write("API 密钥如下，只显示这一次，请妥善保存：")
        self.stdout.write(api_key)
