from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "renda.reviews"
    verbose_name = "审议意见与问题清单"
