"""First-run set-up, staff management for clinic admins, and accepting a staff invitation."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods, require_POST

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.accounts.security import client_ip
from mesoclinic.lib.links import absolute
from mesoclinic.lib.refusals import flash, refused_page, show_on_form

from . import access, actions
from .forms import AcceptForm, InviteForm, RoleForm, SetupForm

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _who(request) -> dict:
    return {"ip": client_ip(request), "user_agent": request.META.get("HTTP_USER_AGENT", "")}


@require_http_methods(["GET", "POST"])
def setup(request):
    """The first-run set-up of a fresh installation; closed once a clinic exists."""
    if not access.needs_setup():
        return refused_page(
            request, [gettext("This installation already has a clinic; set-up is closed.")]
        )
    form = SetupForm(request.POST or None)
    form.refusal_fields = {"password": "password1", "timezone_name": "timezone"}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _clinic, user = actions.create_clinic(
                name=data["name"],
                address=data["address"],
                phone=data["phone"],
                timezone_name=data["timezone"],
                languages=data["languages"],
                hours=form.hours(),
                admin_username=data["username"],
                admin_email=data["email"],
                admin_password=data["password1"],
                **_who(request),
            )
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, gettext("Your clinic is ready. Next: invite your staff."))
            return redirect("staff:list")
    status = 400 if form.errors else 200
    return render(request, "staff/setup.html", {"form": form}, status=status)


@staff_view("manage_staff")
@require_http_methods(["GET", "POST"])
def staff_list(request):
    """The clinic's staff, open invitations, and recent failed sign-ins and lockouts."""
    actor = request.actor
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.invite_staff(
                actor,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                link_for=lambda secret: absolute(reverse("staff:accept", args=[secret])),
                language=get_language() or "en",
            )
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(
                request,
                gettext("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("staff:list")
    context = {
        "form": form,
        "members": access.staff(actor),
        "invitations": access.open_invitations(actor),
        "problems": access.sign_in_problems(actor),
        "role_form": RoleForm(),
    }
    return render(request, "staff/list.html", context, status=400 if form.errors else 200)


def _member_action(request, do, done: str):
    try:
        do()
    except ValidationError as exc:
        flash(request, exc)
    else:
        messages.success(request, done)
    return redirect("staff:list")


@staff_view("manage_staff")
@require_POST
def set_role(request, code):
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose a staff role."))
        return redirect("staff:list")
    role = form.cleaned_data["role"]
    return _member_action(
        request, lambda: actions.set_role(request.actor, code, role), gettext("Role changed.")
    )


@staff_view("manage_staff")
@require_POST
def deactivate(request, code):
    return _member_action(
        request,
        lambda: actions.set_active(request.actor, code, False),
        gettext("Deactivated: this person can no longer sign in."),
    )


@staff_view("manage_staff")
@require_POST
def reactivate(request, code):
    return _member_action(
        request, lambda: actions.set_active(request.actor, code, True), gettext("Reactivated.")
    )


@staff_view("manage_staff")
@require_POST
def unlock(request, code):
    return _member_action(
        request, lambda: actions.unlock(request.actor, code), gettext("Account unlocked.")
    )


@require_http_methods(["GET", "POST"])
def accept(request, secret):
    """A new member of staff chooses their name, user name and password."""
    invitation = actions.open_invitation(secret)
    if invitation is None:
        return refused_page(
            request,
            [gettext("This invitation link cannot be used any more. Ask your clinic admin.")],
            status=400,
        )
    form = AcceptForm(request.POST or None)
    form.refusal_fields = {"password": "password1"}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.accept_invitation(
                secret,
                username=data["username"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                **_who(request),
            )
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, gettext("Welcome. Your account is ready."))
            return redirect("/")
    context = {"form": form, "invitation": invitation}
    return render(request, "staff/accept.html", context, status=400 if form.errors else 200)
