app_name = "hotwords"
urlpatterns: list = []
