from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from renda.deputies.selectors import deputies_for_user, deputies_with_seats
from renda.org.roles import Perm
from renda.org.scope import scope_for
from renda.org.selectors import org_counts_for_user
from renda.workbench.nav import nav_for


@login_required
def home(request):
    scope = scope_for(request.user)
    counts = org_counts_for_user(request.user) if scope.can(Perm.ORG_VIEW) else {}
    if scope.can(Perm.DEPUTIES_VIEW):
        counts["deputies"] = deputies_for_user(request.user).count()
    own_deputy = (
        deputies_with_seats(deputies_for_user(request.user)).filter(user=request.user).first()
    )
    return render(
        request,
        "workbench/home.html",
        {
            "counts": counts,
            "own_deputy": own_deputy,
            "shortcuts": [item for item in nav_for(scope) if item.url_name != "workbench:home"],
        },
    )
