"""What other apps hear from the cases app. renda.cases must not import them (import-linter):
they connect here instead."""

from django.dispatch import Signal

# Sent by the worker once a case change has committed (renda.cases.tasks.case_follow_up), for
# every event a service appended: keyword arguments case_id, event_id and action (an
# Action value, e.g. "submit"). Receivers do their own follow-up work (the duplicate index,
# duty points) and log their own failures.
case_changed = Signal()
