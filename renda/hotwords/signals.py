"""Signal receivers that keep the hot-words tables in step with the cases. Each hands over to
a service at once; the rules live in `renda.hotwords.services`.

- A case submitted through the services is indexed in the worker, after its submission has
  committed (`case_changed`, action `submit`): segmenting the text and moving the counts is
  no part of the citizen's wait, and a rolled-back submission indexes nothing.
- The workflow moves cases with `QuerySet.update()`, which sends no signal; the only change
  there that matters here is the category corrected while accepting (受理), recorded in the
  accept event's data as {"category": {"from": …, "to": …}}: that event re-indexes the case,
  through `case_changed` too.
- A case edited outside the workflow (the admin site) is re-indexed as it is saved.
- A deleted case (never done by Renda itself) takes its counts with it.

Indexing is idempotent (a case whose text, category, area and day are unchanged is left as it
is), so a task that runs twice counts nothing twice. A failure here must not lose the
citizen's case: it is logged, the case keeps no terms, and `manage.py rebuild_case_terms`
puts them back.
"""

import logging

from django.db import DatabaseError, transaction

from renda.hotwords import services

logger = logging.getLogger(__name__)

# Fields whose change moves a case's terms or counts.
_INDEXED_FIELDS = {"title", "content", "category", "category_id", "region", "region_id"}

# The case actions after which the terms may have moved: the submission, and the acceptance
# (受理), where the clerk may correct the category.
_INDEXING_ACTIONS = {"submit", "accept"}


def _index(case, *, created: bool) -> None:
    try:
        with transaction.atomic():
            services.case_terms_index(case=case, created=created)
    except (DatabaseError, ValueError, OSError):
        logger.exception("hot words: could not index case %s", case.pk)


def case_saved(sender, instance, created: bool, update_fields=None, raw: bool = False, **kwargs):
    if raw or created:  # loading a fixture; a new case is indexed once its submission commits
        return
    if update_fields is not None and not _INDEXED_FIELDS & set(update_fields):
        return
    _index(instance, created=False)


def case_changed(sender, *, case_id: int, event_id: int, action: str, **kwargs) -> None:
    if action not in _INDEXING_ACTIONS:
        return
    from renda.cases.models import Case, CaseEvent

    if action != "submit":
        data = CaseEvent.objects.filter(pk=event_id).values_list("data", flat=True).first()
        if not isinstance(data, dict) or "category" not in data:
            return
    case = Case.objects.select_related("region").filter(pk=case_id).first()
    if case is not None:
        _index(case, created=False)


def case_deleting(sender, instance, **kwargs):
    services.case_terms_forget(case_id=instance.pk)
