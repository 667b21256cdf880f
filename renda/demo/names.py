"""Invented Chinese names, places, work units and phone numbers for the demo city.

Pure Python and driven only by the `random.Random` it is handed, so one seed always gives the
same city. Nothing here names a real person; every phone number comes from one reserved range.
"""

import random
from dataclasses import dataclass

# Every phone number the demo generates is 1990000xxxx: the ten thousand numbers of this
# block are reserved for demo data, so a leaked demo database (or a careless SMS test)
# reaches nobody's real phone. `PhoneBook` hands out numbers from this block only.
DEMO_PHONE_PREFIX = "1990000"
DEMO_PHONE_BLOCK = 10_000


def is_demo_phone(phone: str) -> bool:
    return (
        len(phone) == len(DEMO_PHONE_PREFIX) + 4
        and phone.startswith(DEMO_PHONE_PREFIX)
        and phone.isdigit()
    )


class PhoneBook:
    """Distinct demo phone numbers in a seed-determined order."""

    def __init__(self, rng: random.Random) -> None:
        self._numbers = list(range(DEMO_PHONE_BLOCK))
        rng.shuffle(self._numbers)
        self._next = 0

    def take(self) -> str:
        if self._next >= len(self._numbers):
            raise ValueError(f"演示号段 {DEMO_PHONE_PREFIX}xxxx 已用完，请缩小演示规模。")
        number = self._numbers[self._next]
        self._next += 1
        return f"{DEMO_PHONE_PREFIX}{number:04d}"


# The hundred commonest surnames; the first twenty are weighted up, as they are in life.
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    "郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_SURNAME_WEIGHTS = [6 if i < 20 else 2 if i < 50 else 1 for i in range(len(SURNAMES))]

MALE_GIVEN = list(
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆建国峰林海东文志永新德荣龙兵江洪亮"
    "成立庆毅博瑞晨昊宁光远卫振忠祥福松良安"
)
FEMALE_GIVEN = list(
    "芳娜敏静丽艳娟霞燕玲婷雪琳慧洁红梅萍莉兰颖倩琴云英佳蓉欣怡丹秀凤玉珍君薇晶露月璐妍悦晓春美"
)


def person_name(rng: random.Random, *, female: bool) -> str:
    surname = rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]
    chars = FEMALE_GIVEN if female else MALE_GIVEN
    # Seven in ten given names have two characters.
    length = 2 if rng.random() < 0.7 else 1
    return surname + "".join(rng.choice(chars) for _ in range(length))


# Two characters of a place name: a first from _PLACE_A and a second from _PLACE_B give
# 1,500 stems, enough for every town and village of the province-sized demo to differ.
_PLACE_A = list(
    "青石柳桃杨梅松竹云溪龙凤金银白黄红东西南北上下新长安"
    "平和兴永清明双三马鹤桂兰荷枫湘秀桑榆茶丰泰福宝嘉"
)
_PLACE_B = list("山溪湖桥塘岭坑田湾港口埠林园洲浦头岙庄坝泉峰河堰川坞渡亭岗阳")


class PlaceNames:
    """Two-character place stems, each used once in the whole city."""

    def __init__(self, rng: random.Random, taken: list[str] | None = None) -> None:
        self._rng = rng
        self._taken = set(taken or [])

    def take(self) -> str:
        for _ in range(10_000):
            stem = self._rng.choice(_PLACE_A) + self._rng.choice(_PLACE_B)
            if stem not in self._taken:
                self._taken.add(stem)
                return stem
        raise ValueError("地名已用完，请缩小演示规模。")


@dataclass(frozen=True)
class Place:
    """Where a deputy lives and works: names used to invent a plausible work unit."""

    city: str
    county: str
    town: str
    village: str
    village_is_community: bool


_INDUSTRIES = [
    "机械",
    "纺织",
    "电子",
    "新材料",
    "食品",
    "建材",
    "汽车零部件",
    "化工",
    "物流",
    "电气",
    "医药",
    "包装",
]
_COMPANY_FORMS = ["有限公司", "股份有限公司", "集团有限公司"]
_CROPS = ["茶叶", "水果", "蔬菜", "水产", "粮食", "花卉", "竹笋", "中药材"]


def _short(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def work_unit_and_post(rng: random.Random, *, sector: str, place: Place) -> tuple[str, str]:
    """A work unit and post that fit the deputy's sector and home."""
    town = _short(place.town, ("街道", "镇", "乡"))
    if sector == "企业":
        unit = f"{rng.choice([town, place.county[:2]])}{rng.choice(_INDUSTRIES)}"
        unit += rng.choice(_COMPANY_FORMS)
        post = rng.choice(["董事长", "总经理", "副总经理", "车间主任", "工程师", "技术员", "职工"])
    elif sector == "农业":
        if rng.random() < 0.5:
            unit, post = f"{town}{rng.choice(_CROPS)}专业合作社", rng.choice(["理事长", "社员"])
        else:
            unit = f"{place.village}股份经济合作社"
            post = rng.choice(["党支部书记", "村委会主任", "种植大户", "家庭农场主"])
    elif sector == "教科文卫":
        unit, post = rng.choice(
            [
                (f"{place.county}第一中学", "校长"),
                (f"{place.county}第一中学", "教师"),
                (f"{town}中心小学", "教师"),
                (f"{town}卫生院", "院长"),
                (f"{place.county}人民医院", "主任医师"),
                (f"{place.city}人民医院", "护士长"),
                (f"{place.city}职业技术学院", "副教授"),
            ]
        )
    elif sector == "社区":
        kind = "居民委员会" if place.village_is_community else "村民委员会"
        unit = f"{place.village}{kind}"
        post = rng.choice(["党组织书记", "主任", "副主任", "网格员"])
    elif sector == "机关":
        unit, post = rng.choice(
            [
                (f"{place.town}办事处", "副主任")
                if place.town.endswith("街道")
                else (f"{place.town}人民政府", "副乡长" if place.town.endswith("乡") else "副镇长"),
                (f"{place.county}人民政府办公室", "主任"),
                (f"{place.county}农业农村局", "局长"),
                (f"{place.county}住房和城乡建设局", "副局长"),
                (f"{place.city}发展和改革委员会", "处长"),
            ]
        )
    else:
        unit, post = rng.choice(
            [
                (f"{place.county[:2]}律师事务所", "律师"),
                (f"{town}农贸市场", "个体经营户"),
                (f"{place.county}退役军人服务中心", "志愿者"),
            ]
        )
    return unit, post


# Departments of the city government, most-asked-about first: a smaller size keeps the head
# of the list, and 住房和城乡建设局 (unit_handler's) is always in it.
CITY_DEPARTMENTS = [
    "住房和城乡建设局",
    "教育局",
    "公安局",
    "民政局",
    "交通运输局",
    "农业农村局",
    "发展和改革委员会",
    "经济和信息化局",
    "科学技术局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "水利局",
    "商务局",
    "文化广电旅游体育局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "综合行政执法局",
    "信访局",
    "大数据发展管理局",
    "机关事务管理局",
    "投资促进局",
    "林业局",
    "粮食和物资储备局",
    "人民防空办公室",
    "住房公积金管理中心",
    "供销合作社",
    "城市管理局",
    "行政审批服务局",
]
COUNTY_DEPARTMENTS = [
    "住房和城乡建设局",
    "教育局",
    "公安分局",
    "民政局",
    "交通运输局",
    "农业农村局",
    "发展和改革局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划分局",
    "生态环境分局",
    "水利局",
    "商务局",
    "文化和广电旅游体育局",
    "卫生健康局",
    "应急管理局",
    "市场监督管理局",
    "综合行政执法局",
    "退役军人事务局",
    "医疗保障局",
]
CITY_COMMITTEES = [
    "代表工作委员会",
    "法制工作委员会",
    "财政经济工作委员会",
    "教育科学文化卫生工作委员会",
    "农业与农村工作委员会",
    "城乡建设环境与资源保护工作委员会",
    "监察和司法工作委员会",
    "社会建设工作委员会",
    "预算工作委员会",
]
