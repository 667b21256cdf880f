from django.http import HttpRequest

from renda.lib.memo import remembered
from renda.org.models import Installation
from renda.org.roles import Role
from renda.org.scope import scope_for
from renda.workbench.nav import nav_for, nav_sections


@remembered(key=lambda: "installation")
def _installation() -> Installation | None:
    # Remembered for a minute, forgotten on a save in this process (OrgConfig.ready).
    return Installation.objects.order_by("pk").first()


def shell(request: HttpRequest) -> dict:
    """What every page's frame shows: the installation, the user's unit, scope and menu."""
    context = {"installation": _installation()}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        scope = scope_for(user)
        context.update(
            scope=scope,
            nav_sections=nav_sections(nav_for(scope)),
            role_labels=[Role(role).label for role in scope.roles],
        )
    return context
