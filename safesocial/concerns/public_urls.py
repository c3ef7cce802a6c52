app_name = "concerns_public"
urlpatterns: list = []
