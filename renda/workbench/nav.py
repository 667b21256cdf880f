"""The workbench's navigation: one entry per page, shown to the roles whose permissions
reach it. Later apps add their entries here."""

from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, reverse

from renda.org.roles import Perm, Role
from renda.org.scope import Scope


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    perm: Perm | None = None
    section: str = ""
    # When set, only users holding one of these roles see the entry (a deputy's own pages).
    roles: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        # Every page draws the menu twice (desktop and phone): reversing each entry anew was a
        # tenth of a case list's time.
        return _reversed(self.url_name, get_script_prefix())


@lru_cache(maxsize=256)
def _reversed(url_name: str, script_prefix: str) -> str:
    return reverse(url_name)


NAV: tuple[NavItem, ...] = (
    NavItem("工作台", "workbench:home", "house"),
    # A citizen's own pages are the portal's: without these a citizen who signs in found
    # nothing but the calendar and the message box.
    NavItem("反映问题", "portal:submit", "pencil-square", None, "群众", roles=(Role.CITIZEN,)),
    NavItem("我的意见", "portal:mine", "chat-left-text", None, "群众", roles=(Role.CITIZEN,)),
    NavItem("查询进度", "portal:track", "search", None, "群众", roles=(Role.CITIZEN,)),
    NavItem("公开答复", "portal:public", "megaphone", None, "群众", roles=(Role.CITIZEN,)),
    NavItem("民情办理", "cases:inbox", "inboxes", Perm.ORG_VIEW, "民情"),
    NavItem("办理统计", "cases:rates", "bar-chart", Perm.ORG_VIEW, "民情"),
    NavItem("民意热点", "hotwords:dashboard", "fire", Perm.ORG_VIEW, "民情"),
    NavItem("代表建议", "suggestions:list", "lightbulb", Perm.ORG_VIEW, "建议"),
    NavItem("建议审查", "suggestions:review", "clipboard2-check", Perm.SUGGESTIONS_REVIEW, "建议"),
    NavItem("承诺跟踪", "suggestions:promises", "hourglass-split", Perm.ORG_VIEW, "建议"),
    NavItem("我的建议", "suggestions:list", "lightbulb", None, "我的", roles=(Role.DEPUTY,)),
    NavItem("组织机构", "org:units", "diagram-3", Perm.ORG_VIEW, "组织"),
    NavItem("联络站", "org:stations", "building", Perm.ORG_VIEW, "组织"),
    NavItem("网格", "org:grids", "grid-3x3", Perm.ORG_VIEW, "组织"),
    NavItem("导入导出", "org:transfer", "file-earmark-spreadsheet", Perm.ORG_MANAGE, "组织"),
    NavItem("代表名册", "deputies:list", "people", Perm.DEPUTIES_VIEW, "代表"),
    NavItem("代表进网格", "deputies:grid_coverage", "grid-3x3-gap", Perm.DEPUTIES_VIEW, "代表"),
    NavItem("履职活动", "activities:list", "journal-check", Perm.DEPUTIES_VIEW, "代表"),
    NavItem("主题活动", "activities:campaigns", "flag", Perm.DEPUTIES_VIEW, "代表"),
    NavItem("四张清单", "activities:four_lists", "list-check", Perm.DEPUTIES_VIEW, "代表"),
    NavItem(
        "联络站日程", "activities:calendar_home", "calendar-week", Perm.ACTIVITIES_MANAGE, "代表"
    ),
    NavItem("履职积分", "duty:ranking", "award", Perm.DEPUTIES_VIEW, "考评"),
    NavItem("积分规则", "duty:rules", "sliders", Perm.DEPUTIES_VIEW, "考评"),
    NavItem("荣誉推荐", "duty:nominations", "trophy", Perm.DEPUTIES_VIEW, "考评"),
    NavItem("我的履职", "me:home", "person-vcard", None, "我的", roles=(Role.DEPUTY,)),
    NavItem("收集民意", "portal:collect", "chat-square-quote", None, "我的", roles=(Role.DEPUTY,)),
    NavItem("我收集的", "portal:collected", "collection", None, "我的", roles=(Role.DEPUTY,)),
    NavItem(
        "满意度测评", "oversight:evaluation_list", "clipboard-check", Perm.DEPUTIES_VIEW, "考评"
    ),
    NavItem("我的测评", "oversight:my_sheets", "ui-radios", None, "我的", roles=(Role.DEPUTY,)),
    NavItem("审议意见", "reviews:list", "list-task", Perm.REPORTS_VIEW, "考评"),
    # A handling unit sees the opinions that have an item of theirs (reviews.selectors).
    NavItem("审议意见", "reviews:list", "list-task", None, "民情", roles=(Role.HANDLER,)),
    NavItem("工作人员进站", "activities:visits", "person-badge", Perm.DEPUTIES_VIEW, "代表"),
    NavItem("领导驾驶舱", "dashboard:home", "speedometer2", Perm.REPORTS_VIEW, "报表"),
    NavItem("月报", "reports:overview", "calendar2-check", Perm.REPORTS_VIEW, "报表"),
    NavItem("工作日历", "workcal:year", "calendar3", None, "系统"),
    NavItem("消息", "notifications:inbox", "bell", None, "系统"),
    NavItem("系统管理", "admin:index", "gear", Perm.ADMIN_SITE, "系统"),
)


@dataclass(frozen=True)
class NavSection:
    label: str
    items: tuple[NavItem, ...]


def nav_for(scope: Scope) -> list[NavItem]:
    """The entries the scope reaches, each page once (a page may have an entry for a
    permission and another for a role, e.g. 审议意见 for clerks and for handling units)."""
    items: dict[str, NavItem] = {}
    for item in NAV:
        if (item.perm is None or scope.can(item.perm)) and (
            not item.roles or any(role in scope.roles for role in item.roles)
        ):
            items.setdefault(item.url_name, item)
    return list(items.values())


def nav_sections(items: list[NavItem]) -> list[NavSection]:
    """The menu grouped by section, in the order NAV names them; a section of one item is
    still a section (the top bar shows sections as drop-downs, a phone as a grouped list)."""
    order: dict[str, list[NavItem]] = {}
    for item in items:
        order.setdefault(item.section, []).append(item)
    return [NavSection(label, tuple(group)) for label, group in order.items()]
