from django.apps import AppConfig
from django.core import checks
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from .db import register_sqlite_function


class CoreConfig(AppConfig):
    name = "mesoclinic.core"
    verbose_name = _("Mesoclinic core")

    def ready(self) -> None:
        checks.register(check_knowledge, "mesoclinic")
        # the SQL function the SQLite DELETE guards read (core/db.py)
        connection_created.connect(register_sqlite_function, dispatch_uid="mesoclinic-maint")


def check_knowledge(app_configs=None, **kwargs):
    """The knowledge base must load and validate; a broken file names file and field."""
    from mesoclinic.engine.knowledge import PROTOCOL_IDS, load
    from mesoclinic.engine.schema import KnowledgeError

    try:
        k = load()
    except KnowledgeError as exc:
        return [checks.Error(str(exc), id="mesoclinic.core.E001")]
    missing = [p for p in PROTOCOL_IDS if p not in k.protocols]
    if missing:
        return [
            checks.Error(
                f"knowledge has no protocol file for: {', '.join(missing)}",
                id="mesoclinic.core.E002",
            )
        ]
    return []
