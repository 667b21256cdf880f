"""Invented Chinese opinion texts for the demo city: titles, bodies, replies and notes.

Pure Python, driven only by the `random.Random` it is handed. A problem (`Issue`) is drawn
once — its category, its template and the facts that fill it (the village, the road, the
numbers, the month) — and then written in a person's words (`issue_write`). Writing the same
issue again with another draw keeps the facts and changes the wording, which is what several
people raising one problem within weeks look like (near-duplicates); passing the same title
and body again is an exact re-post.

Every sentence here was written for the demo; none is taken from real opinion data.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

# --- where a problem happens ----------------------------------------------------------------


@dataclass(frozen=True)
class Locale:
    """The place names a text can use: the village or community, its town and county."""

    county: str
    town: str
    village: str
    is_community: bool


def _stem(name: str) -> str:
    for suffix in ("社区", "街道", "村", "镇", "乡", "区", "县", "市"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


_ESTATE_FORMS = ["花园", "小区", "家园", "新村", "苑", "嘉园", "公寓", "府"]
_ROAD_FORMS = ["路", "大道", "街", "中路", "东路", "西路", "北路"]
_COMPANY_KINDS = ["机械", "建材", "食品", "纺织", "物流", "化工", "包装", "电子"]
_CROPS = ["水稻", "茶叶", "柑橘", "蔬菜", "杨梅", "葡萄", "竹笋", "草莓"]


def _slots(rng: random.Random, locale: Locale, when: dt.date) -> dict[str, str]:
    """The facts of one problem: fixed for everyone who raises it."""
    v, t = _stem(locale.village), _stem(locale.town)
    month = when.month
    since = rng.choice([max(1, month - rng.randint(1, 4)), month])
    return {
        "county": locale.county,
        "town": locale.town,
        "village": locale.village,
        "v": v,
        "t": t,
        "road": v + rng.choice(_ROAD_FORMS),
        "road2": t + rng.choice(_ROAD_FORMS),
        "estate": v + rng.choice(_ESTATE_FORMS),
        "school": rng.choice([f"{t}中心小学", f"{t}初级中学", f"{v}小学", f"{t}第二小学"]),
        "kinder": rng.choice([f"{t}中心幼儿园", f"{v}幼儿园"]),
        "market": rng.choice([f"{t}农贸市场", f"{v}菜市场"]),
        "river": v + rng.choice(["溪", "河", "港", "渠"]),
        "clinic": rng.choice([f"{t}卫生院", f"{v}卫生服务站"]),
        "hospital": f"{locale.county}人民医院",
        "company": f"{t}{rng.choice(_COMPANY_KINDS)}有限公司",
        "crop": rng.choice(_CROPS),
        "bus": f"{rng.randint(1, 60)}路",
        "building": str(rng.randint(1, 30)),
        "households": str(rng.choice([12, 20, 30, 40, 50, 60, 80, 100, 150, 200, 300])),
        "people": str(rng.choice([30, 50, 80, 100, 200, 300, 500])),
        "meters": str(rng.choice([50, 80, 100, 150, 200, 300, 500, 800])),
        "lamps": str(rng.randint(3, 15)),
        "days": str(rng.randint(3, 20)),
        "months": str(rng.randint(2, 8)),
        "years": str(rng.randint(2, 10)),
        "hour": str(rng.choice([21, 22, 23, 5, 6])),
        "yuan": str(rng.choice([800, 1200, 1500, 2000, 3000, 5000, 8000, 12000])),
        "since": f"{since}月份",
        "date": f"{month}月{rng.randint(1, 28)}日",
    }


# --- problems -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One kind of problem: how people title it, state it, and what they ask for.
    `short` names it in a reply (“关于…的问题”)."""

    short: str
    titles: tuple[str, ...]
    facts: tuple[str, ...]
    asks: tuple[str, ...]
    impacts: tuple[str, ...] = ()


def P(short: str, titles, facts, asks, impacts=()) -> Problem:
    return Problem(short, tuple(titles), tuple(facts), tuple(asks), tuple(impacts))


PROBLEMS: dict[str, tuple[Problem, ...]] = {
    "城乡建设": (
        P(
            "{road}路灯损坏",
            ["{road}路灯坏了很久没人修", "{road}一段路灯不亮", "{road}{lamps}盏路灯损坏"],
            [
                "{road}靠近{estate}的一段有{lamps}盏路灯从{since}起就不亮了，晚上一片漆黑。",
                "{since}开始，{road}上的路灯陆续坏了{lamps}盏，至今没有修好。",
                "{road}从{estate}门口往东约{meters}米，路灯全部不亮，已经{months}个月了。",
            ],
            ["希望尽快安排维修路灯。", "请有关部门尽快修复路灯。", "能否尽快把路灯修好？"],
            [
                "老人小孩晚上出门很不安全，前几天还有人摔倒。",
                "夜里骑电动车经过的人很多，容易出事。",
            ],
        ),
        P(
            "{estate}雨污管网堵塞",
            ["{estate}下水道堵塞污水外溢", "{estate}雨污管道堵塞", "{estate}污水冒到路面"],
            [
                "{estate}{building}幢附近的下水管道经常堵塞，一下雨污水就冒出来，臭气熏天。",
                "{estate}的雨污管网年久失修，{since}以来已经外溢了好几次。",
                "我们{estate}一楼住户家里反水，物业说是市政管道的问题，不归他们管。",
            ],
            ["请求对管网进行疏通改造。", "希望相关部门彻底整修管道。", "请尽快派人疏通。"],
            ["住户苦不堪言，夏天蚊蝇很多。", "一楼住户已经被淹过两次。"],
        ),
        P(
            "{estate}老旧小区改造",
            ["{estate}老旧小区改造进度慢", "申请将{estate}纳入老旧小区改造", "{estate}加装电梯"],
            [
                "{estate}建成已有二十多年，外墙脱落、楼道破旧，至今没有纳入老旧小区改造。",
                "{estate}改造工程{since}开工，到现在工地还围着，进度很慢。",
                "{estate}{building}幢多数是老年住户，上下楼困难，想加装电梯但不知道怎么申请。",
            ],
            ["希望尽快纳入改造计划。", "请相关部门督促施工单位加快进度。", "希望给予政策指导。"],
        ),
        P(
            "{road}道路破损",
            ["{road}路面坑洼不平", "{road}道路破损严重", "{road}路面塌陷"],
            [
                "{road}靠近{market}的路段路面破损，大大小小的坑有十几个。",
                "{road}有一段约{meters}米的路面塌陷，下雨天积水很深。",
                "{road}去年修过一次，{since}又开始破损，坑越来越大。",
            ],
            ["请尽快修补路面。", "希望对该路段进行整修。", "请派人查看并维修。"],
            ["电动车经过经常颠簸，已有人摔伤。", "车辆经过溅得行人一身水。"],
        ),
        P(
            "{estate}物业服务差",
            ["{estate}物业不作为", "{estate}物业服务质量差", "反映{estate}物业管理问题"],
            [
                "{estate}物业收费后服务跟不上，楼道卫生没人打扫，门禁坏了{months}个月没人修。",
                "{estate}物业擅自提高停车费，从每月{yuan}元的标准涨价，业主意见很大。",
                "{estate}的电梯经常故障，物业一直推脱说没有维修资金。",
            ],
            ["请住建部门督促物业整改。", "希望有关部门介入调查。", "希望规范物业服务。"],
        ),
        P(
            "{village}违章搭建",
            ["{village}有人违章搭建", "{road}旁违建无人管", "举报{estate}楼顶违建"],
            [
                "{road}旁边有人{since}开始搭建彩钢棚，占用公共通道。",
                "{estate}{building}幢顶楼住户在楼顶违章加盖，影响楼下住户安全。",
                "{village}一户村民未经审批在河道边建房，已经快封顶了。",
            ],
            ["请执法部门依法处理。", "希望尽快拆除违建。", "请查处违章建筑。"],
        ),
    ),
    "环境保护": (
        P(
            "{company}噪声扰民",
            ["{company}夜间噪声扰民", "{village}附近工厂噪音大", "{company}半夜施工"],
            [
                "{company}每天晚上{hour}点以后机器还在运转，噪声很大，附近居民无法休息。",
                "{village}旁边的{company}{since}以来经常通宵生产，轰鸣声不断。",
                "{road}上的{company}夜间装卸货物，叉车声音很吵。",
            ],
            ["请环保部门监测并处理。", "希望责令企业整改。", "请相关部门管一管。"],
            ["老人和孩子都睡不好觉。", "附近{households}多户居民深受其扰。"],
        ),
        P(
            "{river}水体污染",
            ["{river}河水发黑发臭", "{river}有人偷排污水", "{river}水质变差"],
            [
                "{river}流经{village}的一段河水发黑发臭，河面漂着很多垃圾。",
                "发现有企业往{river}偷排废水，晚上排放，水面有一层油污。",
                "{river}{since}以来出现死鱼，河水颜色异常。",
            ],
            ["请尽快查明污染源。", "希望加强河道治理。", "请有关部门严查偷排。"],
        ),
        P(
            "{village}垃圾清运不及时",
            ["{village}垃圾堆积无人清运", "{road}垃圾桶满了没人收", "{village}垃圾站臭气"],
            [
                "{village}的垃圾中转点{days}天没有清运，垃圾堆得满地都是。",
                "{road}边上的垃圾桶经常满溢，清运车几天才来一次。",
                "{estate}旁的垃圾站离住宅太近，夏天臭味很大。",
            ],
            ["希望增加清运次数。", "请尽快清运并消杀。", "希望把垃圾站迁移。"],
        ),
        P(
            "{company}废气异味",
            ["{company}排放刺鼻气味", "{village}空气中有异味", "{company}烟囱冒黑烟"],
            [
                "{company}经常在夜间排放废气，有刺鼻的气味，开窗都不行。",
                "{village}附近最近经常闻到一股化工味，怀疑是{company}排放的。",
                "{company}的烟囱{since}以来经常冒黑烟。",
            ],
            ["请环保部门检测处理。", "希望查处违法排放。", "请尽快调查。"],
        ),
        P(
            "{village}秸秆焚烧",
            ["{village}有人焚烧秸秆垃圾", "{village}露天焚烧", "{road}旁焚烧垃圾"],
            [
                "{village}田边经常有人焚烧秸秆和垃圾，烟雾很大。",
                "{road}旁的空地上每天傍晚有人烧垃圾，浓烟飘进小区。",
            ],
            ["请加强巡查制止。", "希望有关部门管理。"],
        ),
    ),
    "交通运输": (
        P(
            "{bus}公交班次少",
            ["{bus}公交车班次太少", "{village}公交不方便", "建议{bus}公交延长运营时间"],
            [
                "{village}只有{bus}一条公交线路，间隔四十多分钟一班，最后一班下午五点半就停了。",
                "{bus}公交{since}调整线路后不再经过{village}，村民出行很不方便。",
                "{bus}公交车经常不准点，等一个小时是常事。",
            ],
            ["建议增加班次、延长末班时间。", "希望恢复原线路。", "希望增设站点。"],
            ["村里老人看病、学生上学都靠公交。", "在{hospital}看完病常常赶不上末班车。"],
        ),
        P(
            "{school}门口交通拥堵",
            ["{school}门口上下学拥堵", "{school}附近缺少交通设施", "{school}门口需要红绿灯"],
            [
                "{school}门口每天上下学时段车辆乱停，拥堵严重，学生过马路很危险。",
                "{school}门口的{road}没有斑马线和红绿灯，车速很快。",
                "{school}附近缺少停车位，接送孩子的车辆把路全堵了。",
            ],
            ["建议设置红绿灯和减速带。", "希望上下学时段安排交警疏导。", "建议规划临时停车区。"],
        ),
        P(
            "{road}乱停车",
            ["{road}车辆乱停乱放", "{road}人行道被占用停车", "{estate}周边停车难"],
            [
                "{road}两侧人行道被车辆占满，行人只能走机动车道。",
                "{estate}周边停车位严重不足，晚上车子停满消防通道。",
                "{road}靠近{market}的路段经常有货车违停。",
            ],
            ["请加强管理。", "建议增设停车位。", "希望交警部门加大执法力度。"],
        ),
        P(
            "{village}道路需拓宽",
            ["{village}通村公路太窄", "{village}道路拓宽", "{road2}至{village}道路危险"],
            [
                "{road2}到{village}的公路只有四米宽，两车交会非常困难，弯道多。",
                "{village}进村道路年久失修，路边没有护栏，旁边就是{river}。",
            ],
            ["希望列入道路改造计划。", "建议加装护栏和警示标志。"],
            ["{since}这里已经发生了两起交通事故。"],
        ),
        P(
            "{road}信号灯设置不合理",
            ["{road}红绿灯时间不合理", "{road}路口需要增设信号灯", "{road}与{road2}路口拥堵"],
            [
                "{road}与{road2}交叉口的红绿灯直行时间太短，高峰期车辆排队几百米。",
                "{road}和{road2}交叉的路口没有信号灯，车流量大，经常发生刮擦。",
            ],
            ["建议调整配时。", "建议增设信号灯。"],
        ),
    ),
    "教育文体": (
        P(
            "{school}学位紧张",
            ["{school}学位紧张", "孩子入学难", "{estate}学区划分问题"],
            [
                "{estate}新交付了几百户，但{school}学位紧张，不少孩子要到很远的学校就读。",
                "{estate}今年划到了{t}以外的学区，孩子上学要坐车半小时。",
                "{school}一个班五十多人，教室很挤。",
            ],
            ["希望合理调整学区。", "建议扩建学校增加学位。", "希望教育部门统筹解决。"],
        ),
        P(
            "{kinder}收费问题",
            ["{kinder}收费不合理", "幼儿园收费标准疑问", "{t}普惠性幼儿园太少"],
            [
                "{kinder}今年保育费上涨，每学期要{yuan}元，家长负担重。",
                "{t}普惠性幼儿园学位不够，只能送孩子去民办园，费用高。",
            ],
            ["希望规范收费。", "希望增加公办、普惠学位。"],
        ),
        P(
            "{village}文体设施缺乏",
            ["{village}缺少健身场地", "{village}文化礼堂利用率低", "{estate}健身器材损坏"],
            [
                "{village}没有像样的健身场地，晚上大家只能在马路边跳广场舞。",
                "{estate}的健身器材已经坏了{months}个月，有的还有尖锐断口。",
                "{village}文化礼堂建好后大部分时间锁着门，村民很少能用上。",
            ],
            ["希望建设一处健身广场。", "请尽快维修更换器材。", "希望文化礼堂常态开放。"],
        ),
        P(
            "{school}周边安全",
            ["{school}周边流动摊贩多", "{school}附近网吧接纳未成年人", "{school}周边环境整治"],
            [
                "{school}门口放学时有很多流动摊贩，卖的零食来路不明。",
                "{school}附近有一家网吧经常有学生进出。",
            ],
            ["请加强学校周边整治。", "希望相关部门检查。"],
        ),
        P(
            "课后服务",
            ["{school}课后服务时间", "建议完善{school}课后托管", "课后服务收费问题"],
            [
                "{school}课后服务只到下午五点，双职工家庭接不了孩子。",
                "{school}课后服务内容单一，基本就是写作业。",
            ],
            ["建议延长课后服务时间。", "希望丰富课后服务内容。"],
        ),
    ),
    "劳动和社会保障": (
        P(
            "{company}拖欠工资",
            ["{company}拖欠工资", "讨薪：{company}欠薪{months}个月", "农民工工资被拖欠"],
            [
                "我们在{company}上班，老板已经拖欠工资{months}个月，一共{people}多人。",
                "我在{village}一处工地干活，包工头拖欠工资{yuan}元，一直推脱。",
                "{company}以效益不好为由，{since}以来只发生活费。",
            ],
            ["请劳动监察部门帮忙追讨。", "希望依法维护我们的权益。", "请尽快处理。"],
        ),
        P(
            "社保缴纳问题",
            ["{company}不给员工缴社保", "社保断缴如何补缴", "灵活就业人员社保咨询"],
            [
                "{company}一直没有给我们缴纳社会保险，入职时说试用期后缴，到现在也没缴。",
                "我以前在外地打工，社保断缴了{years}年，现在回{county}不知道怎么补缴。",
            ],
            ["请相关部门督促企业依法缴纳。", "希望给予政策解答。"],
        ),
        P(
            "养老服务",
            ["{village}居家养老服务中心不开门", "{village}老人用餐难", "建议{village}建老年食堂"],
            [
                "{village}的居家养老服务照料中心建好后基本不开门，老人没地方去。",
                "{village}{people}多名七十岁以上老人，很多是空巢老人，吃饭是个问题。",
            ],
            ["希望落实养老服务。", "建议开办老年食堂。"],
        ),
        P(
            "低保救助",
            ["{village}困难家庭申请低保", "低保审核慢", "残疾人补贴未发放"],
            [
                "我家在{village}，丈夫重病，孩子还在上学，申请低保{months}个月了还没结果。",
                "我是二级残疾，{since}以后残疾人补贴就没有按时发放。",
            ],
            ["希望尽快审核。", "请相关部门核实处理。"],
        ),
        P(
            "就业培训",
            ["{t}就业技能培训", "希望开展家门口就业服务", "退役军人就业帮扶"],
            [
                "{t}有不少四五十岁的人想学技术找工作，但附近没有培训机会。",
                "{village}有不少留守妇女想就近务工，希望有来料加工之类的项目。",
            ],
            ["希望开设技能培训班。", "希望提供就业岗位信息。"],
        ),
    ),
    "商贸旅游": (
        P(
            "{market}管理",
            ["{market}环境脏乱", "{market}占道经营", "{market}改造提升"],
            [
                "{market}地面污水横流，苍蝇很多，摊位乱摆。",
                "{market}外面的{road}上每天早上摆满摊位，占道经营严重。",
                "{market}建成已经{years}年，设施陈旧，屋顶漏雨。",
            ],
            ["希望整治提升。", "请加强市场管理。"],
        ),
        P(
            "{village}乡村旅游",
            ["{village}发展乡村旅游", "{village}民宿审批难", "{village}景区配套不足"],
            [
                "{village}山清水秀，周末游客不少，但没有停车场和公共厕所。",
                "{village}几户村民想办民宿，手续跑了好几个部门还没办下来。",
            ],
            ["希望完善旅游配套。", "希望简化审批流程。"],
        ),
        P(
            "预付卡跑路",
            ["{road}健身房预付卡退款难", "商家关门预付卡无法退费", "{road}培训机构跑路"],
            [
                "{road}上的一家健身房突然关门，我们办了卡的{people}多人无法退款。",
                "{road}一家教育培训机构{since}停业，学费{yuan}元退不回来。",
            ],
            ["请相关部门帮助追讨。", "希望加强预付卡监管。"],
        ),
        P(
            "{crop}销售难",
            ["{village}{crop}滞销", "帮助{village}{crop}拓宽销路", "{crop}收购价低"],
            [
                "{village}今年{crop}丰收，但收购商压价，很多卖不出去。",
                "{village}种{crop}的农户有{households}户，希望搭建电商平台帮助销售。",
            ],
            ["希望帮助对接销路。", "建议组织电商培训。"],
        ),
    ),
    "卫生计生": (
        P(
            "{clinic}看病难",
            ["{clinic}医生少看病排长队", "{clinic}缺少常用药", "{clinic}服务时间"],
            [
                "{clinic}只有两三个医生，每天上午排队看病要两个小时。",
                "{clinic}很多慢性病常用药没有，老人要跑到{hospital}去配药。",
                "{clinic}周末不开门，晚上有急病只能去县城。",
            ],
            ["希望充实医生力量。", "希望配齐常用药品。", "建议延长服务时间。"],
        ),
        P(
            "医保报销",
            ["异地就医报销难", "医保报销比例疑问", "慢病医保待遇"],
            [
                "我母亲在外地住院，回来报销要准备很多材料，跑了好几趟还没办好。",
                "我父亲有高血压、糖尿病，慢病门诊的医保待遇申请不知道流程。",
            ],
            ["希望简化报销手续。", "希望给予政策解答。"],
        ),
        P(
            "{village}环境卫生与防疫",
            ["{village}蚊虫多需要消杀", "{village}犬只伤人", "{estate}流浪狗多"],
            [
                "{village}池塘边蚊子特别多，希望定期消杀。",
                "{estate}一带流浪狗越来越多，{since}已经有两个孩子被咬伤。",
                "{village}有村民散养大型犬，不拴绳，路人很害怕。",
            ],
            ["请尽快处理。", "希望加强犬只管理。"],
        ),
        P(
            "家庭医生签约",
            ["{village}家庭医生签约服务", "家庭医生上门难", "签约了家庭医生却联系不上"],
            [
                "我们签约了家庭医生，但一年都没见过医生上门，电话也打不通。",
                "{village}老人多，行动不便，希望家庭医生能定期上门随访。",
            ],
            ["希望落实签约服务。"],
        ),
    ),
    "农业农村": (
        P(
            "{village}农田水利",
            ["{village}灌溉渠道堵塞", "{village}机耕路破损", "{village}山塘需加固"],
            [
                "{village}的灌溉渠道淤积堵塞，眼看要{crop}用水，水过不来。",
                "{village}通往田里的机耕路被雨水冲毁了一段，农机下不去。",
                "{village}的山塘堤坝有渗漏，下面就是农田和民房。",
            ],
            ["希望尽快清淤疏通。", "希望修复机耕路。", "请尽快检查加固。"],
            ["影响{households}多户农户的生产。"],
        ),
        P(
            "{village}饮用水",
            ["{village}自来水水压低", "{village}饮用水浑浊", "{village}经常停水"],
            [
                "{village}地势高的几十户自来水水压不够，二楼以上基本没水。",
                "{village}的自来水{since}以来经常浑浊发黄。",
                "{village}最近一个月停水好几次，也没有提前通知。",
            ],
            ["希望改造供水管网。", "请检测水质并处理。"],
        ),
        P(
            "{village}宅基地审批",
            ["{village}宅基地审批慢", "农房翻建审批", "{village}危房改造"],
            [
                "我家在{village}的老房子已经是危房，申请翻建{months}个月了还没批下来。",
                "{village}有几户村民的宅基地审批一直卡着，不知道卡在哪个环节。",
            ],
            ["希望加快审批。", "希望告知办理进度。"],
        ),
        P(
            "野猪等损毁庄稼",
            ["{village}野猪毁坏庄稼", "{village}野生动物损害农作物", "{village}猴子偷吃庄稼"],
            [
                "{village}山边的{crop}地经常被野猪拱坏，今年已经损失了大半。",
                "最近一段时间{village}野猪下山很频繁，村民不敢晚上出门。",
            ],
            ["希望组织防控。", "希望给予损失补偿。"],
        ),
        P(
            "农业补贴",
            ["{village}种粮补贴没发", "耕地地力保护补贴问题", "农机购置补贴申请"],
            [
                "{village}今年的耕地地力保护补贴到现在还没发到账上。",
                "我买了一台插秧机，申请农机购置补贴{months}个月了还没到账。",
            ],
            ["请相关部门核实。"],
        ),
        P(
            "{village}人居环境",
            ["{village}厕所改造", "{village}公共厕所脏乱", "{village}村庄环境整治"],
            [
                "{village}的公共厕所长期没人打扫，又脏又臭。",
                "{village}还有一些旱厕，夏天气味很大。",
            ],
            ["希望安排保洁。", "希望改造提升。"],
        ),
    ),
    "营商环境": (
        P(
            "审批办事难",
            ["{company}项目审批慢", "企业开办手续繁琐", "办事跑多趟"],
            [
                "我们{company}的扩建项目材料{since}就交了，审批到现在还没完成。",
                "到{t}便民服务中心办营业执照变更，前后跑了三趟，每次都说缺材料。",
            ],
            ["希望一次性告知所需材料。", "希望提高审批效率。"],
        ),
        P(
            "企业用工用电",
            ["{company}用电容量不足", "{t}工业园区停电频繁", "{company}招工难"],
            [
                "{t}工业园区{since}以来停电好几次，每次都影响生产。",
                "{company}新上了生产线，但变压器容量不够，增容申请一直没批。",
            ],
            ["希望电力部门保障供电。", "希望协调解决增容。"],
        ),
        P(
            "惠企政策落实",
            ["惠企政策兑现慢", "{company}补助资金未到位", "小微企业融资难"],
            [
                "去年评上的技术改造补助{yuan}元，{since}公示过了，钱一直没到位。",
                "我们是小微企业，想申请贷款，银行要求抵押，我们没有厂房。",
            ],
            ["希望尽快兑现。", "希望出台帮扶措施。"],
        ),
        P(
            "市场秩序",
            ["{road}商铺虚假宣传", "{market}缺斤短两", "{road}无证经营"],
            [
                "{market}有摊主用不准的秤，买一斤少二两。",
                "{road}有家店铺长期无证经营，卫生条件很差。",
            ],
            ["请市场监管部门查处。"],
        ),
    ),
    "社会治理": (
        P(
            "{estate}治安问题",
            ["{estate}电动车被盗", "{estate}监控不全", "{road}夜间治安差"],
            [
                "{estate}最近一个月有好几辆电动车被盗，小区监控很多都是坏的。",
                "{road}晚上有人聚集喝酒闹事，到{hour}点还很吵。",
            ],
            ["希望加强巡逻。", "建议加装监控。"],
        ),
        P(
            "电动车充电隐患",
            ["{estate}电动车楼道充电", "{estate}缺少电动车充电桩", "{estate}飞线充电"],
            [
                "{estate}很多住户把电动车推进楼道充电，还有人从楼上拉线下来充电，很危险。",
                "{estate}只有一处充电棚，二十几个充电口，远远不够。",
            ],
            ["建议增设集中充电设施。", "希望加强消防检查。"],
        ),
        P(
            "邻里纠纷",
            ["{village}邻里宅基地纠纷", "{village}土地流转纠纷", "{estate}楼上漏水纠纷"],
            [
                "我和邻居因为{village}的宅基地界线问题发生纠纷，村里调解了几次没结果。",
                "{village}有{households}户的土地流转给承包户，租金拖了一年没给。",
                "{estate}楼上住户卫生间漏水到我家，对方不肯维修。",
            ],
            ["希望帮助调解。", "希望依法处理。"],
        ),
        P(
            "{village}消防安全",
            ["{village}消防通道被占", "{estate}消防设施损坏", "{market}消防隐患"],
            [
                "{estate}消防通道长期被车辆占用，消防车根本进不来。",
                "{estate}楼道里的灭火器早就过期了，消防栓也没有水。",
                "{market}里电线乱拉，堆放大量易燃物。",
            ],
            ["请消防部门检查。", "希望尽快整改。"],
        ),
        P(
            "反诈与网络安全",
            ["老人被骗买保健品", "{village}有人推销理财产品", "电信诈骗宣传"],
            [
                "最近有人在{village}开讲座，送鸡蛋，骗老人买高价保健品。",
                "{village}有人上门推销所谓高收益理财，好几户老人投了钱。",
            ],
            ["希望公安部门调查。", "希望加强宣传。"],
        ),
    ),
    "其他": (
        P(
            "政策咨询",
            ["咨询{county}人才政策", "关于户口迁移的咨询", "咨询不动产登记"],
            [
                "我是今年毕业回{county}工作的大学生，想了解有哪些人才补贴政策。",
                "想把户口从{village}迁到{estate}，不知道需要哪些材料。",
                "{estate}交房{years}年了还没办下不动产证。",
            ],
            ["请给予解答。", "希望告知办理流程。"],
        ),
        P(
            "意见建议",
            ["建议在{village}设置便民服务点", "对{t}工作的建议", "建议公开办事流程"],
            [
                "{village}离{t}便民服务中心较远，老人办事不方便，建议在村里设代办点。",
                "建议把常办事项的流程和材料清单张贴在村务公开栏里。",
            ],
            ["希望采纳。"],
        ),
        P(
            "感谢表扬",
            ["感谢{t}干部为民办实事", "表扬{clinic}医生", "感谢代表帮助解决问题"],
            [
                "之前反映的{road}路灯问题很快就修好了，特此感谢。",
                "{clinic}的医生对老人很耐心，服务很好，特此表扬。",
            ],
            ["希望继续保持。"],
        ),
    ),
}

CATEGORIES = tuple(PROBLEMS)

_OPENINGS_VILLAGE = [
    "我是{village}村民，",
    "我家住在{village}，",
    "您好！我们是{village}的几户村民，",
    "向代表反映一个情况：",
    "我是{t}{village}人，",
    "",
    "",
    "反映人住{village}。",
]
_OPENINGS_COMMUNITY = [
    "我是{village}{estate}的居民，",
    "我住在{estate}，",
    "您好！我是{estate}业主，",
    "向代表反映一个情况：",
    "",
    "",
    "我们是{estate}的部分住户，",
]
_CLOSINGS = [
    "",
    "",
    "谢谢！",
    "盼复。",
    "麻烦尽快处理，谢谢！",
    "恳请人大代表帮忙呼吁。",
    "希望能引起重视。",
    "之前向村（社区）反映过，至今没有结果。",
    "此事已拖了很久，希望这次能有个答复。",
]
_TITLE_FORMS = ["{}", "{}", "{}", "关于{}的问题", "反映{}", "{}，盼解决", "{}的问题"]


@dataclass(frozen=True)
class Issue:
    """A problem at a place: its category, its template and the facts that fill it."""

    category: str
    problem: int
    slots: dict[str, str] = field(hash=False)

    @property
    def short(self) -> str:
        return PROBLEMS[self.category][self.problem].short.format(**self.slots)


def issue_draw(
    rng: random.Random, *, category: str, locale: Locale, when: dt.date, problem: int | None = None
) -> Issue:
    problems = PROBLEMS[category]
    index = rng.randrange(len(problems)) if problem is None else problem
    return Issue(category, index, _slots(rng, locale, when))


def issue_write(
    rng: random.Random, issue: Issue, *, is_community: bool, fact: int | None = None
) -> tuple[str, str]:
    """A title and a body for the issue in one person's words. `fact` fixes the fact
    sentence (a hot issue's reporters describe the same thing); the rest varies."""
    p = PROBLEMS[issue.category][issue.problem]
    s = issue.slots
    # Titles and asks are listed in the order of the facts they go with; most people's title
    # and request match what they describe, some pick another wording.
    k = fact if fact is not None else rng.randrange(len(p.facts))
    title = p.titles[k % len(p.titles)] if rng.random() < 0.7 else rng.choice(p.titles)
    form = rng.choice(_TITLE_FORMS)
    if "问题" in form and title.endswith("问题"):
        form = "{}"
    title = form.format(title).format(**s)
    opening = rng.choice(_OPENINGS_COMMUNITY if is_community else _OPENINGS_VILLAGE)
    first = p.facts[k]
    parts = [opening + first]
    others = [f for f in p.facts if f != first]
    if others and rng.random() < 0.35:
        parts.append(rng.choice(others))
    if p.impacts and rng.random() < 0.6:
        parts.append(rng.choice(p.impacts))
    parts.append(p.asks[k % len(p.asks)] if rng.random() < 0.7 else rng.choice(p.asks))
    closing = rng.choice(_CLOSINGS)
    if closing:
        parts.append(closing)
    body = "".join(parts).format(**s)
    return title[:100], body


# --- the other side: replies and notes ------------------------------------------------------

# What a unit did, by category: the verb phrase of a 已解决 reply, and the plan a 列入计划
# reply names.
_DONE = {
    "城乡建设": ["安排施工队进行了维修", "组织人员完成了疏通和修复", "督促物业完成了整改"],
    "环境保护": ["开展了现场监测并责令企业整改", "组织人员进行了清理", "对相关企业立案查处"],
    "交通运输": ["调整了线路和班次", "增设了交通标志和减速带", "会同交警部门开展了整治"],
    "教育文体": ["与学校进行了沟通并落实整改", "更换了损坏的器材", "调整了服务安排"],
    "劳动和社会保障": ["督促企业支付了拖欠的款项", "为当事人办理了相关手续", "落实了救助"],
    "商贸旅游": ["组织市场开展了专项整治", "协调有关方面完成了退费", "对接了销售渠道"],
    "卫生计生": ["调配了医务人员并补充了药品", "开展了专项整治", "安排家庭医生上门服务"],
    "农业农村": ["组织力量完成了清淤和修复", "完成了审批", "落实了补贴发放"],
    "营商环境": ["开辟绿色通道完成了办理", "协调供电部门完成了增容", "兑现了政策资金"],
    "社会治理": ["加强了巡逻防控并加装了监控", "组织调解，双方达成协议", "开展了消防检查"],
    "其他": ["作了详细解答", "已按您的建议予以改进", "已将您的意见转达相关人员"],
}
_PLANS = {
    "城乡建设": ["城市维护计划", "老旧小区改造计划", "市政设施提升计划"],
    "环境保护": ["水环境综合治理计划", "环境整治提升计划"],
    "交通运输": ["公交线网优化计划", "农村公路提升改造计划"],
    "教育文体": ["学校建设计划", "全民健身设施建设计划"],
    "劳动和社会保障": ["养老服务设施建设计划", "职业技能提升行动计划"],
    "商贸旅游": ["农贸市场改造提升计划", "乡村旅游发展计划"],
    "卫生计生": ["基层医疗机构能力提升计划", "卫生健康服务提升计划"],
    "农业农村": ["农田水利建设计划", "农村饮用水提升工程", "人居环境整治计划"],
    "营商环境": ["营商环境优化提升行动", "电网改造计划"],
    "社会治理": ["平安建设工作计划", "电动车充电设施建设计划"],
    "其他": ["下一步工作计划"],
}
_EXPLANATIONS = [
    "该事项暂不具备办理条件",
    "您反映的情况与实际有一定出入",
    "该诉求不属于我单位职责范围内可以直接解决的事项",
]
_RULES = [
    "根据现行政策规定",
    "按照有关法律法规",
    "经查阅相关规划",
    "根据属地管理原则",
    "经与相关部门会商",
]


def reply_text(
    rng: random.Random, issue: Issue, *, result_class: str, unit: str, when: dt.date
) -> str:
    """A handling unit's answer in its own voice, by result class."""
    short = issue.short
    date = f"{when.month}月{when.day}日"
    opening = rng.choice(
        [
            f"您反映的关于{short}的问题收悉。",
            f"关于您反映的{short}问题，现答复如下：",
            f"感谢您对我们工作的关心。针对{short}问题，",
        ]
    )
    if result_class == "solved":
        done = rng.choice(_DONE[issue.category])
        body = (
            f"{unit}高度重视，收到交办后即派人到现场核实，"
            f"于{date}{done}，问题已得到解决。{rng.choice(['', '后续我们将加强日常巡查。'])}"
        )
    elif result_class == "planned":
        plan = rng.choice(_PLANS[issue.category])
        year = when.year + (1 if when.month >= 10 else 0)
        body = (
            f"经实地调查，该问题确实存在，但涉及资金和多部门协调，短期内难以一次解决。"
            f"{unit}已将其列入{year}年度{plan}，预计{rng.randint(3, 12)}月底前实施，"
            f"在此之前先采取临时措施。"
        )
    else:
        body = (
            f"经核实，{rng.choice(_RULES)}，{rng.choice(_EXPLANATIONS)}。"
            "我们已向您当面（电话）作了解释说明，"
            + rng.choice(["如有疑问可再与我们联系。", "请予以理解。"])
        )
    return opening + body + f"（{unit}）"


REJECT_REASONS = [
    "该事项已进入诉讼程序，依法不属于本渠道受理范围，请通过司法途径解决。",
    "反映内容不清，无法核实具体地点和诉求，请补充后重新提交。",
    "该事项属于信访事项，请向信访部门反映。",
    "该事项为个人之间的民事纠纷，建议通过人民调解或诉讼解决。",
    "与已受理事项重复。",
]
RETURN_REASONS = [
    "该事项不属于本单位职责，建议交{other}办理。",
    "经核实，所涉地点不在本单位管辖范围，请重新交办。",
    "该事项涉及多个部门，请明确主办单位。",
]
EXTENSION_REASONS = [
    "需协调多个部门共同处理，申请延期。",
    "涉及资金申请和招投标程序，申请延期办理。",
    "受天气影响无法施工，申请延期。",
]
ASSIGN_NOTES = [
    "",
    "",
    "请按期办理并答复。",
    "请实地核查，及时与反映人沟通。",
    "群众反映强烈，请优先办理。",
]
ESCALATE_NOTES = [
    "涉及县级部门职责，乡镇层面无法解决，上报。",
    "需上级部门统筹协调，上报。",
    "跨乡镇事项，上报。",
]
SEND_DOWN_NOTES = ["属地事项，下转乡镇（街道）办理。", "请属地先行处理。"]
RATING_NOTES = {
    "satisfied": ["", "", "处理很及时，谢谢！", "问题已经解决，非常满意。", "感谢代表和相关部门！"],
    "basically_satisfied": ["", "基本解决了，希望后续保持。", "有改善，但还不彻底。"],
    "unsatisfied": ["问题没有解决，只是电话解释了一下。", "答复与实际不符，现场还是老样子。"],
}
MERGE_NOTE = "同一问题多人反映，合并办理。"
REPOST_NOTE = "重复提交，合并至原事项。"
