"""The duty app's background work: keeping the points ledger in step with the records."""

from django_tasks import task


@task()
def points_sync_record(sender_label: str, pk: int) -> None:
    """Bring the ledger in line with one saved record (an activity, an attendance, a duty
    day; case events come through `case_changed` instead). Queued with the save; a failure
    is logged, not raised, and `recompute_points` repairs the ledger later."""
    from renda.duty.services import points_sync_after_commit

    points_sync_after_commit(sender_label, pk)
