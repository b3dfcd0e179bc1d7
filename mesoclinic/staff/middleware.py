from django.shortcuts import redirect

from mesoclinic.accounts.models import Clinic, User

FIRST_PAGES = ("/accounts/login",)  # the public home page needs no database


class FirstRunMiddleware:
    """On a fresh installation (no clinic and no user yet) the sign-in page (the home
    page's "Sign in") leads to the set-up. Once a clinic exists it is never checked again in this process."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.configured = False

    def __call__(self, request):
        if not self.configured and request.method == "GET" and request.path in FIRST_PAGES:
            if Clinic.objects.exists() or User.objects.exists():
                self.configured = True
            else:
                return redirect("staff:setup")
        return self.get_response(request)
