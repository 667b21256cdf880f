"""Bench only: the WSGI application gunicorn serves in `bench_cases`'s intake throughput run.

It is the site itself (`renda.settings.base`, every URL and middleware of `renda.urls`) plus
one trivial view, /bench/floor/, that inserts one row into a tiny table (`bench_floor`, made by
the benchmark before the server starts) and answers 201. Open311 POST requests.json is measured
against it under the same server, database and load: the floor is what any Django view that
writes one row costs here, so the ratio shows what intake itself adds.

Never part of a deployment: nothing outside bench/ imports it.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings.base")
application = get_wsgi_application()

# Imported once Django is set up (the site's URLs import every app's views).
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from django.views.decorators.http import require_POST  # noqa: E402

from renda.urls import urlpatterns as site_urlpatterns  # noqa: E402

# Made by bench_cases (its FLOOR_TABLE) before the server starts.
FLOOR_TABLE = "bench_floor"


# CSRF-exempt like Open311 POST requests, which it stands beside: both take form posts from
# another server, with no browser session.
@csrf_exempt
@require_POST
def floor(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FLOOR_TABLE} (created_at, body) VALUES (%s, %s)",
            [timezone.now(), request.POST.get("description", "")],
        )
    return HttpResponse(status=201)


urlpatterns = [path("bench/floor/", floor), *site_urlpatterns]
settings.ROOT_URLCONF = __name__
