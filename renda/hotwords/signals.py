"""Signal receivers that keep the hot-words tables in step with the cases. Each hands over to
a service at once; the rules live in `renda.hotwords.services`.

- A case saved (submitted, or edited in the admin site) is indexed.
- The workflow moves cases with `QuerySet.update()`, which sends no signal; the only change
  there that matters here is the category corrected while accepting (受理), recorded in the
  accept event's data as {"category": {"from": …, "to": …}}: that event re-indexes the case.
- A deleted case (never done by Renda itself) takes its counts with it.

A failure here must not lose the citizen's case: it is logged, the case is saved without its
terms, and `manage.py rebuild_case_terms` puts them back.
"""

import logging

from django.db import DatabaseError, transaction

from renda.hotwords import services

logger = logging.getLogger(__name__)

# Fields whose change moves a case's terms or counts.
_INDEXED_FIELDS = {"title", "content", "category", "category_id", "region", "region_id"}


def _index(case, *, created: bool) -> None:
    try:
        with transaction.atomic():
            services.case_terms_index(case=case, created=created)
    except (DatabaseError, ValueError, OSError):
        logger.exception("hot words: could not index case %s", case.pk)


def case_saved(sender, instance, created: bool, update_fields=None, raw: bool = False, **kwargs):
    if raw:  # loading a fixture
        return
    if update_fields is not None and not _INDEXED_FIELDS & set(update_fields):
        return
    _index(instance, created=created)


def case_event_saved(sender, instance, created: bool, raw: bool = False, **kwargs):
    if raw or not created or not isinstance(instance.data, dict):
        return
    if "category" not in instance.data:
        return
    from renda.cases.models import Case

    case = Case.objects.select_related("region").filter(pk=instance.case_id).first()
    if case is not None:
        _index(case, created=False)


def case_deleting(sender, instance, **kwargs):
    services.case_terms_forget(case_id=instance.pk)
