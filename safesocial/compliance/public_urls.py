app_name = "compliance_public"
urlpatterns: list = []
