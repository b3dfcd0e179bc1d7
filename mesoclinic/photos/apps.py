from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhotosConfig(AppConfig):
    name = "mesoclinic.photos"
    verbose_name = _("Photos")

    def ready(self) -> None:
        from . import chart  # noqa: F401  (registers the chart panel)
