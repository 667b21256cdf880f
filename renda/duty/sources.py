"""The records that earn points, read as facts the rules are matched against.

Each `Source` reads one kind of record in bulk (ids → facts) and knows how to find the records
whose date falls in a window, so that a rule change can revisit exactly the records it may
affect. Records of the activities app are read through `django.apps` so this module works
whether or not that app's models exist yet; `renda.cases` knows nothing of this module.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model, QuerySet
from django.utils import timezone

from renda.cases.models import Case
from renda.deputies.models import Deputy
from renda.duty.models import PointRule

S = PointRule.Source
CHUNK = 5000


@dataclass(frozen=True)
class Fact:
    """What a rule looks at: who earned it, on which day, and the record's traits."""

    deputy_id: int
    date: dt.date
    label: str
    attendance_status: str = ""
    activity_kind_id: int | None = None
    case_kind: str = ""


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localdate(value)


class Source:
    source: str
    model_label: str

    def model(self) -> type[Model] | None:
        try:
            return apps.get_model(self.model_label)
        except LookupError:
            return None

    def facts(self, ids: Iterable[int]) -> dict[int, list[Fact]]:
        raise NotImplementedError

    def ids_between(self, start: dt.date | None, end: dt.date | None) -> QuerySet:
        """The ids of the records whose point date may fall in [start, end] (None: open)."""
        raise NotImplementedError


class CaseSource(Source):
    """A case belongs to the deputy who collected it, or who submitted it for themselves."""

    model_label = "cases.Case"

    def _cases(self, ids) -> list[dict]:
        rows = list(
            Case.objects.filter(pk__in=list(ids)).values(
                "pk",
                "code",
                "title",
                "kind",
                "state",
                "result_class",
                "created_at",
                "replied_at",
                "collected_by_id",
                "submitter_id",
            )
        )
        submitters = {r["submitter_id"] for r in rows if not r["collected_by_id"]} - {None}
        by_user = dict(
            Deputy.objects.filter(user_id__in=submitters).values_list("user_id", "pk")
            if submitters
            else []
        )
        for row in rows:
            row["deputy_id"] = row["collected_by_id"] or by_user.get(row["submitter_id"])
        return [r for r in rows if r["deputy_id"]]


class CaseCollectedSource(CaseSource):
    source = S.CASE_COLLECTED

    def facts(self, ids):
        facts: dict[int, list[Fact]] = {}
        for row in self._cases(ids):
            if row["state"] in (Case.State.REJECTED, Case.State.MERGED):
                continue  # a rejected or merged case earns nothing
            facts[row["pk"]] = [
                Fact(
                    deputy_id=row["deputy_id"],
                    date=_local_date(row["created_at"]),
                    label=f"{row['code']} {row['title']}",
                    case_kind=row["kind"],
                )
            ]
        return facts

    def ids_between(self, start, end):
        qs = Case.objects.filter(collected_by__isnull=False) | Case.objects.filter(
            submitter__deputy__isnull=False
        )
        if start:
            qs = qs.filter(created_at__date__gte=start)
        if end:
            qs = qs.filter(created_at__date__lte=end)
        return qs.values_list("pk", flat=True)


class CaseSolvedSource(CaseSource):
    source = S.CASE_SOLVED

    def facts(self, ids):
        facts: dict[int, list[Fact]] = {}
        for row in self._cases(ids):
            answered = row["state"] in (Case.State.REPLIED, Case.State.CLOSED)
            if not answered or row["result_class"] != Case.ResultClass.SOLVED:
                continue
            if row["replied_at"] is None:
                continue
            facts[row["pk"]] = [
                Fact(
                    deputy_id=row["deputy_id"],
                    date=_local_date(row["replied_at"]),
                    label=f"{row['code']} {row['title']}",
                    case_kind=row["kind"],
                )
            ]
        return facts

    def ids_between(self, start, end):
        qs = Case.objects.filter(result_class=Case.ResultClass.SOLVED, replied_at__isnull=False)
        if start:
            qs = qs.filter(replied_at__date__gte=start)
        if end:
            qs = qs.filter(replied_at__date__lte=end)
        return qs.values_list("pk", flat=True)


class AttendanceSource(Source):
    """Attendance taken at a held activity: 出席 earns, 缺席 loses, 请假 as the rules say."""

    source = S.ATTENDANCE
    model_label = "activities.Attendance"

    def facts(self, ids):
        model = self.model()
        rows = model.objects.filter(
            pk__in=list(ids),
            activity__status="held",
            status__in=PointRule.AttendanceStatus.values,
        ).values(
            "pk", "deputy_id", "status", "activity__date", "activity__kind_id", "activity__title"
        )
        return {
            row["pk"]: [
                Fact(
                    deputy_id=row["deputy_id"],
                    date=row["activity__date"],
                    label=row["activity__title"],
                    attendance_status=row["status"],
                    activity_kind_id=row["activity__kind_id"],
                )
            ]
            for row in rows
        }

    def ids_between(self, start, end):
        qs = self.model().objects.all()
        if start:
            qs = qs.filter(activity__date__gte=start)
        if end:
            qs = qs.filter(activity__date__lte=end)
        return qs.values_list("pk", flat=True)


class DutyRotaSource(Source):
    """A deputy on duty at a station (值班) on a day that was held and that they attended."""

    source = S.DUTY_DAY
    model_label = "activities.DutyDayDeputy"

    def facts(self, ids):
        model = self.model()
        rows = list(
            model.objects.filter(
                pk__in=list(ids),
                duty_day__is_cancelled=False,
                duty_day__activity__status="held",
                duty_day__date__lte=timezone.localdate(),
            ).values(
                "pk",
                "deputy_id",
                "duty_day__date",
                "duty_day__title",
                "duty_day__activity_id",
                "duty_day__station__name",
            )
        )
        attendance = apps.get_model("activities", "Attendance")
        attended = set(
            attendance.objects.filter(
                activity_id__in={r["duty_day__activity_id"] for r in rows},
                status="attended",
            ).values_list("activity_id", "deputy_id")
        )
        return {
            row["pk"]: [
                Fact(
                    deputy_id=row["deputy_id"],
                    date=row["duty_day__date"],
                    label=f"{row['duty_day__station__name']} {row['duty_day__title']}",
                )
            ]
            for row in rows
            if (row["duty_day__activity_id"], row["deputy_id"]) in attended
        }

    def ids_between(self, start, end):
        qs = self.model().objects.all()
        if start:
            qs = qs.filter(duty_day__date__gte=start)
        if end:
            qs = qs.filter(duty_day__date__lte=end)
        return qs.values_list("pk", flat=True)


SOURCES: dict[str, Source] = {
    s.source: s
    for s in (
        AttendanceSource(),
        DutyRotaSource(),
        CaseCollectedSource(),
        CaseSolvedSource(),
    )
}


def sources_for_model(label: str) -> list[Source]:
    """The sources reading records of one model ("app_label.ModelName")."""
    return [s for s in SOURCES.values() if s.model_label.lower() == label.lower()]


def chunks(ids: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    batch: list[int] = []
    for pk in ids:
        batch.append(pk)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
