from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ErasureConfig(AppConfig):
    name = "mesoclinic.erasure"
    verbose_name = _("Erasure of a patient's personal data")
