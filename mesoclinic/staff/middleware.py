from django.shortcuts import redirect

from mesoclinic.accounts.models import Clinic, User

FIRST_PAGES = ("/accounts/login",)  # the public home page needs no database


class FirstRunMiddleware:
    """On a fresh installation (no clinic and no user yet) the sign-in page (the home
    page's "Sign in") leads to the set-up. Two indexed EXISTS queries on a GET of the
    sign-in page only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "GET"
            and request.path in FIRST_PAGES
            and not Clinic.objects.exists()
            and not User.objects.exists()
        ):
            return redirect("staff:setup")
        return self.get_response(request)
