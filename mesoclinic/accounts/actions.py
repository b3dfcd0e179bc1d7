"""Writes of the accounts app. Each owns its transaction; the audit log records them
through the accounts signals (accounts sits below audit and never imports it)."""

from django.db import transaction

from .actor import Actor
from .models import Clinic
from .signals import clinic_changed

CLINIC_FIELDS = (
    "name",
    "timezone",
    "phone",
    "on_call_email",
    # issue 14: set on the settings page too
    "address",
    "sender_email",
    "languages",
    "two_factor_roles",
    "logo",
)


@transaction.atomic
def update_clinic(actor: Actor, **values) -> Clinic:
    """Change the settings of the actor's own clinic, validated as the model says (a time
    zone must be a zone). Only the fields that changed are saved and recorded."""
    actor.require("manage_clinic")
    unknown = set(values) - set(CLINIC_FIELDS)
    if unknown:
        raise TypeError(f"not a clinic setting: {', '.join(sorted(unknown))}")
    clinic = Clinic.objects.select_for_update().get(pk=actor.clinic.pk)
    before = {f: getattr(clinic, f) for f in values}
    for field, value in values.items():
        setattr(clinic, field, value)
    clinic.full_clean()
    changed = {f: [before[f], values[f]] for f in values if before[f] != values[f]}
    if changed:
        clinic.save(update_fields=list(changed))
        clinic_changed.send(Clinic, actor=actor, clinic=clinic, changed=changed)
    return clinic
