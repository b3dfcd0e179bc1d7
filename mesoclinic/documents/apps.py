from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "mesoclinic.documents"
    verbose_name = _("Printed documents (PDF)")

    def ready(self) -> None:
        from mesoclinic.consent import signals

        from . import mail

        mail.register()  # the consent copy e-mail and the PDF attachments, sent by the outbox
        signals.consent_signed.connect(mail.on_consent_signed, dispatch_uid="documents.copy")
