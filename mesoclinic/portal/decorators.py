from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.utils import translation
from django.utils.translation import gettext as _

from mesoclinic.accounts.roles import Role
from mesoclinic.audit.actions import record
from mesoclinic.lib.language import offered
from mesoclinic.lib.refusals import Forbidden


def patient_view(view):
    """Only a signed-in patient with a portal account in their clinic; sets
    request.patient, the patient the actor carries (every portal read is scoped to it)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        actor = request.actor
        if not actor or actor.role != Role.PATIENT:
            raise Forbidden(_("This page is for patients with a portal account."), "not a patient")
        patient = actor.patient
        if patient is None:
            raise Forbidden(
                _("This page is for patients with a portal account."), "no portal account"
            )
        request.patient = patient
        if request.method == "GET":  # every portal page the patient opens is a read
            match = request.resolver_match
            record(
                actor,
                "view",
                patient=patient,
                summary=match.view_name if match else request.path[:200],
            )
        # the patient's own language, whatever the browser's, when the clinic offers it
        if patient.language and patient.language in offered(patient.clinic):
            translation.activate(patient.language)
            request.LANGUAGE_CODE = translation.get_language()
        return view(request, *args, **kwargs)  # on the clinic's clock (the middleware's)

    return wrapped
