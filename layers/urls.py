app_name = "layers"

urlpatterns: list = []
