from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatientsConfig(AppConfig):
    name = "mesoclinic.patients"
    verbose_name = _("Patients")

    def ready(self) -> None:
        from mesoclinic.audit.attempts import register_patient_lookup

        from .access import patient_by_codes

        register_patient_lookup(patient_by_codes)  # a refused attempt names its patient
