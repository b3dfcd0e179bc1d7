from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FhirConfig(AppConfig):
    name = "mesoclinic.fhir"
    label = "fhir"
    verbose_name = _("FHIR API and the patient's copy")

    def ready(self) -> None:
        from django.apps import apps

        from . import documents

        if apps.is_installed("mesoclinic.documents"):  # the PDFs of issue 16 in the copy
            from mesoclinic.documents.access import patient_documents

            documents.register(patient_documents)
