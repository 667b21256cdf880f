"""Every role of Renda, its data scope and what it may do — declared here and nowhere else.

Data scopes follow RuoYi's five kinds (数据权限): the whole system, the member's unit and
everything under it, the unit alone, only what has been assigned to the unit, or only the
user's own records. `renda.org.scope.scope_for(user)` turns memberships into a `Scope`.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models


class DataScope(StrEnum):
    ALL = "all"
    UNIT_AND_BELOW = "unit_and_below"
    UNIT_ONLY = "unit_only"
    ASSIGNED = "assigned"
    SELF = "self"


DATA_SCOPE_LABELS = {
    DataScope.ALL: "全部数据",
    DataScope.UNIT_AND_BELOW: "本单位及下级",
    DataScope.UNIT_ONLY: "仅本单位",
    DataScope.ASSIGNED: "仅交办本单位",
    DataScope.SELF: "仅本人",
}


class Perm(StrEnum):
    """What a role may do; checked through `renda.org.scope.user_can`."""

    ORG_VIEW = "org.view"
    ORG_MANAGE = "org.manage"
    DEPUTIES_VIEW = "deputies.view"
    DEPUTIES_MANAGE = "deputies.manage"
    PERSONAL_DATA = "personal_data.view"
    CALENDAR_MANAGE = "calendar.manage"
    KEY_SUPERVISION = "supervision.key"
    # Plan duty activities, take attendance, record station visits.
    ACTIVITIES_MANAGE = "activities.manage"
    # See the monthly reports (月报) and the leaders' dashboard of the scope.
    REPORTS_VIEW = "reports.view"
    # Review (立案), assign and supervise deputies' suggestions and motions: 代表工委.
    SUGGESTIONS_REVIEW = "suggestions.review"
    ADMIN_SITE = "admin.site"


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    CONGRESS_CLERK = "congress_clerk", "人大工作人员"
    STATION_CLERK = "station_clerk", "联络站工作人员"
    HANDLER = "handler", "承办单位经办人"
    LEADER = "leader", "领导"
    DEPUTY = "deputy", "人大代表"
    CITIZEN = "citizen", "群众"


@dataclass(frozen=True)
class RoleSpec:
    role: Role
    scope: DataScope
    perms: frozenset[Perm]
    # Where a membership of this role is anchored: an org unit, a station, or nothing.
    anchor: str
    read_only: bool = False


ROLE_SPECS: dict[str, RoleSpec] = {
    spec.role: spec
    for spec in (
        RoleSpec(Role.SYSTEM_ADMIN, DataScope.ALL, frozenset(Perm), anchor="none"),
        RoleSpec(
            Role.CONGRESS_CLERK,
            DataScope.UNIT_AND_BELOW,
            frozenset(
                {
                    Perm.ORG_VIEW,
                    Perm.ORG_MANAGE,
                    Perm.DEPUTIES_VIEW,
                    Perm.DEPUTIES_MANAGE,
                    Perm.PERSONAL_DATA,
                    Perm.ACTIVITIES_MANAGE,
                    Perm.REPORTS_VIEW,
                    Perm.SUGGESTIONS_REVIEW,
                }
            ),
            anchor="unit",
        ),
        RoleSpec(
            Role.STATION_CLERK,
            DataScope.UNIT_AND_BELOW,
            frozenset(
                {Perm.ORG_VIEW, Perm.DEPUTIES_VIEW, Perm.PERSONAL_DATA, Perm.ACTIVITIES_MANAGE}
            ),
            anchor="station",
        ),
        RoleSpec(Role.HANDLER, DataScope.ASSIGNED, frozenset({Perm.ORG_VIEW}), anchor="unit"),
        RoleSpec(
            Role.LEADER,
            DataScope.UNIT_AND_BELOW,
            frozenset({Perm.ORG_VIEW, Perm.DEPUTIES_VIEW, Perm.KEY_SUPERVISION, Perm.REPORTS_VIEW}),
            anchor="unit",
            read_only=True,
        ),
        RoleSpec(Role.DEPUTY, DataScope.SELF, frozenset(), anchor="unit"),
        # Citizens hold no membership: a user without one is a citizen.
        RoleSpec(Role.CITIZEN, DataScope.SELF, frozenset(), anchor="none"),
    )
}


def spec_for(role: str) -> RoleSpec:
    return ROLE_SPECS[role]
