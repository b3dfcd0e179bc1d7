from django.utils import translation
from django.utils.functional import SimpleLazyObject

from mesoclinic.lib import clinicday, language

from .actor import Actor
from .security import client_ip

__all__ = ["ActorMiddleware", "client_ip"]


class ActorMiddleware:
    """Sets request.actor (None for anonymous users and users without an active clinic)
    and, for staff and portal patients, makes the clinic's time zone the current one for
    the request: templates, date filters and form fields then use the clinic's clock. The
    zone is deactivated when the response is done. A page is in one of the clinic's
    languages: a browser's or cookie's language the clinic does not offer gives way to
    the clinic's own (lib/language.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def load():
            user = request.user
            if not user.is_authenticated:
                return None
            return Actor.for_user(user, client_ip(request), request.META.get("HTTP_USER_AGENT", ""))

        request.actor = SimpleLazyObject(load)
        if not request.actor:
            return self.get_response(request)
        clinic = request.actor.clinic
        if language.language() not in language.offered(clinic):
            translation.activate(language.clinic_default(clinic))
            request.LANGUAGE_CODE = translation.get_language()
        with clinicday.activated(clinic):
            return self.get_response(request)
