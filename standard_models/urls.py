app_name = "standard_models"

urlpatterns: list = []
