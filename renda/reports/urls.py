from django.urls import path, register_converter

from renda.reports import views
from renda.reports.figures import Month


class MonthConverter:
    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> Month:
        try:
            return Month.parse(value)
        except Exception as exc:  # a 13th month is not a page: 404
            raise ValueError(value) from exc

    def to_url(self, value) -> str:
        return str(value)


register_converter(MonthConverter, "month")

app_name = "reports"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("overview/<month:month>/export/", views.overview_xlsx, name="overview_xlsx"),
    path("overview/<month:month>/summary/", views.overview_docx, name="overview_docx"),
    path("<str:code>/<month:month>/", views.unit_report, name="unit"),
    path("<str:code>/<month:month>/submit/", views.submit, name="submit"),
    path("<str:code>/<month:month>/history/", views.history, name="history"),
    path("<str:code>/<month:month>/rows/<str:metric>/", views.rows, name="rows"),
    path("<str:code>/<month:month>/export/", views.unit_xlsx, name="xlsx"),
    path("<str:code>/<month:month>/summary/", views.unit_docx, name="docx"),
]
