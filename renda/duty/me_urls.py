"""A deputy's own pages at /me/."""

app_name = "me"
urlpatterns: list = []
