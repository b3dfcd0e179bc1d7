from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "mesoclinic.documents"
    verbose_name = _("Printed documents (PDF)")

    def ready(self) -> None:
        from . import mail

        mail.register()  # the consent copy e-mail and the PDF attachments, sent by the outbox
