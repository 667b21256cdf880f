from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "renda.reviews"
    verbose_name = "审议意见与问题清单"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from renda.reviews.models import ProblemItem, ReviewOpinion

        # A draft is corrected in place, and a line taken out of its problem list is removed
        # (it has no case yet): the operation log keeps who changed or removed what.
        for model in (ReviewOpinion, ProblemItem):
            auditlog.register(model)
