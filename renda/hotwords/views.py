"""民意热点 (/hot/): hot words as a bar chart and a word cloud, rising terms, hot issues with
their cases — for a region within the reader's scope, a category and a period.

Open to every role with Perm.ORG_VIEW (clerks, station clerks, handlers, leaders); citizens and
deputies get 403. What anyone sees is limited by their data scope inside the selectors.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from renda.hotwords import selectors
from renda.hotwords.forms import DashboardForm
from renda.org.roles import Perm
from renda.org.scope import require, scope_for

HOT_WORDS = 50  # the word cloud
BAR_WORDS = 20  # the bar chart
RISING = 20
ISSUES = 10


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.ORG_VIEW)
    scope = scope_for(request.user)
    regions = selectors.regions_for_scope(scope)
    query = request.GET.copy()
    query.setdefault("period", "month")  # so the picker shows the period the page counts
    form = DashboardForm(query, regions=regions, today=selectors.today())
    if not form.is_valid() or "start" not in form.cleaned_data:
        return render(request, "hotwords/dashboard.html", {"form": form}, status=400)
    data = form.cleaned_data
    filters = {
        "scope": scope,
        "region": data["region_obj"],
        "category": data.get("category"),
        "start": data["start"],
        "end": data["end"],
    }
    words = selectors.hot_words(**filters, limit=HOT_WORDS)
    previous = selectors.previous_period(data["start"], data["end"])
    return render(
        request,
        "hotwords/dashboard.html",
        {
            "form": form,
            "ready": True,
            "start": data["start"],
            "end": data["end"],
            "previous": previous,
            "place": data["region_obj"].name if data["region_obj"] else "全部（权限范围内）",
            "category": data.get("category"),
            "total": selectors.case_total(**filters),
            "words": words,
            "chart": {
                "bar": [[w.term, w.cases] for w in words[:BAR_WORDS]],
                "cloud": [{"name": w.term, "value": w.cases} for w in words],
            },
            "rising": selectors.rising_terms(**filters, limit=RISING),
            "issues": selectors.hot_issues(**filters, limit=ISSUES),
        },
    )
