from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("API clients")

    def ready(self) -> None:
        from corsheaders.signals import check_request_enabled

        from clients.cors import cors_allow_registered_origins

        check_request_enabled.connect(cors_allow_registered_origins, dispatch_uid="clients.cors")
