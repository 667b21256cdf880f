"""The triage app's background work: the duplicate index follows the new cases."""

from django_tasks import task


@task()
def duplicate_index_cases(case_ids: list[int]) -> None:
    """Index newly submitted cases (and record their near-duplicates). Queued with the
    submission; a case whose submission rolled back is not found and skipped. Logs, never
    raises: `rebuild_duplicate_index` repairs the index."""
    from renda.triage.duplicates import duplicate_index_add_committed

    duplicate_index_add_committed(case_ids)
