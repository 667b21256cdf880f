from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "renda.suggestions"
    verbose_name = "代表建议"

    def ready(self) -> None:
        from renda.cases.signals import case_changed
        from renda.suggestions.copies import on_case_changed

        # A case step taken outside the suggestion services (a unit's return, a reply or a
        # rating through the case pages) reaches the copy for the rates once it has committed.
        case_changed.connect(on_case_changed, dispatch_uid="suggestions_copy_case_changed")
