"""Two-factor pages: enrolment (QR code, first code, recovery codes shown once), the code
asked after the password, and the clinic admin's reset for a lost phone."""

import segno
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.lib.forms import Form as GuardedForm
from mesoclinic.lib.refusals import refused_page

from . import access, twofactor


class CodeForm(GuardedForm):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if safe else "/"


@staff_view()
@require_http_methods(["GET", "POST"])
def setup(request):
    user = request.user
    if twofactor.enrolled(user) and not user.is_verified():
        return redirect("staff:two_factor_verify")
    device = twofactor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm(request, request.actor, device, form.cleaned_data["token"])
        if codes is not None:
            return render(request, "staff/two_factor_codes.html", {"codes": codes})
        form.add_error(
            "token",
            gettext("This code is not right. Check the app's clock and try the newest code."),
        )
    qr = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    context = {
        "form": form,
        "qr": mark_safe(qr),  # made here from our own data: no user markup
        "secret": _base32(device),
        "required": twofactor.required(user),
        "next": _next(request),
    }
    return render(
        request, "staff/two_factor_setup.html", context, status=400 if form.errors else 200
    )


def _base32(device) -> str:
    import base64

    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@require_http_methods(["GET", "POST"])
def verify(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if request.user.is_verified() or not twofactor.enrolled(request.user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.locked(request) is None and twofactor.verify(
            request, form.cleaned_data["token"]
        ):
            return redirect(_next(request))
        reason = twofactor.locked(request) if request.user.is_authenticated else "locked"
        if reason:
            return refused_page(
                request,
                [
                    gettext(
                        "Too many wrong codes: you are signed out. Ask your clinic admin to unlock your account, or try again later."
                    )
                ],
                title=gettext("Locked"),
            )
        form.add_error("token", gettext("This code is not right."))
    context = {"form": form, "next": _next(request)}
    return render(
        request, "staff/two_factor_verify.html", context, status=400 if form.errors else 200
    )


@staff_view("manage_staff")
@require_POST
def reset(request, code):
    membership = access.member(request.actor, code)
    if membership is None:
        messages.error(request, gettext("No such member of staff in this clinic."))
    else:
        twofactor.reset(request.actor, membership.user)
        messages.success(
            request,
            gettext("Two-factor sign-in removed: they set it up again at their next sign-in."),
        )
    return redirect("staff:list")
