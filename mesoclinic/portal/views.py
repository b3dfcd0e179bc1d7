"""The patient's pages (mobile first): home, invitation, medical history, consent,
appointments. Aftercare, check-ins, side effects and ratings are in views_care.py; the
staff's pages in views_staff.py. Every page reads through `access` with request.patient."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mesoclinic.accounts.middleware import client_ip
from mesoclinic.consent import access as consent_access
from mesoclinic.consent import actions as consent_actions
from mesoclinic.followup import access as followup_access
from mesoclinic.followup.sheets import sheet_context
from mesoclinic.lib.forms import bound
from mesoclinic.lib.language import language, pick_language
from mesoclinic.lib.refusals import show_on_form
from mesoclinic.lib.titles import class_label, protocol_title
from mesoclinic.patients.forms import IntakeForm
from mesoclinic.photos import access as photos_access
from mesoclinic.scheduling import access as scheduling_access
from mesoclinic.scheduling.texts import SAFETY, preparation
from mesoclinic.treatments import access as treatments_access

from . import access, actions
from .decorators import patient_view
from .forms import AcceptForm, ChangeForm, ConsentForm


def emergency_number() -> str:
    return getattr(settings, "PORTAL_EMERGENCY_NUMBER", "112")


@patient_view
def home(request):
    patient = request.patient
    now = timezone.now()
    sheets = [sheet_context(s, now) for s in followup_access.own_sheets(patient)[:3]]
    consents = [c for c in treatments_access.own_consents_to_sign(request.actor) if not c["ready"]]
    return render(
        request,
        "portal/home.html",
        {
            "patient": patient,
            "appointments": access.upcoming_appointments(request.actor)[:3],
            "checkins": followup_access.own_checkins(patient, open_only=True),
            "sheets": [s for s in sheets if s["running"]],
            "needs_intake": patient.current_intake_id is None,
            "consents": [c for c in consents if c["classes"]],
        },
    )


@patient_view
def progress(request):
    """The patient's own photo measures over the series, per face region (numbers only)."""
    return render(
        request,
        "portal/progress.html",
        {"charts": photos_access.own_trends(request.actor, request.patient)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request, token):
    """The invitation link: choose a user name and password; then signed in."""
    invitation = access.invitation_for(token)
    if invitation is None:
        return render(request, "portal/invitation_invalid.html", status=404)
    patient = invitation.patient
    if patient.language:  # the patient's own language from the first page
        translation.activate(patient.language)
        request.LANGUAGE_CODE = translation.get_language()
    form = AcceptForm(*bound(request), patient=patient)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            account = actions.accept_invitation(
                token,
                username=d["username"],
                password=d["password1"],
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) in ("invalid", "taken"):
                return render(request, "portal/invitation_invalid.html", status=404)
            show_on_form(form, exc)
        else:
            login(request, account.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome. Your portal is ready."))
            return redirect("portal:home")
    return render(
        request,
        "portal/accept.html",
        {"form": form, "patient": patient, "clinic": patient.clinic},
        status=400 if form.errors else 200,
    )


@patient_view
@require_http_methods(["GET", "POST"])
def intake(request):
    patient = request.patient
    current = patient.current_intake
    form = IntakeForm(*bound(request), patient=patient, initial=IntakeForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        # A form sent with nothing in it would replace the history with a blank version,
        # and the same answers again would add a copy: neither is a new version.
        if form.is_blank():
            form.add_error(
                None,
                _("Nothing is answered: answer at least one question. Nothing has been saved."),
            )
        elif form.same_as(current):
            messages.info(request, _("Nothing has changed: the clinic already has these answers."))
            return redirect("portal:home")
        else:
            actions.record_intake_online(request.actor, form.cleaned_data)
            messages.success(request, _("Thank you: your medical history is saved for the clinic."))
            return redirect("portal:home")
    return render(
        request,
        "portal/intake.html",
        {"form": form, "current": current},
        status=400 if form.errors else 200,
    )


@patient_view
def consents(request):
    return render(
        request,
        "portal/consents.html",
        {"items": treatments_access.own_consents_to_sign(request.actor)},
    )


@patient_view
@require_http_methods(["GET", "POST"])
def consent_sign(request, code):
    plan = treatments_access.own_plan(request.actor, code)
    template = consent_access.current_text(plan.protocol)
    params = request.POST if request.method == "POST" else request.GET
    lang = pick_language(params.get("language"), consent_access.languages())
    form = ConsentForm(*bound(request), initial={"signer_name": request.patient.full_name})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if request.POST.get("template") != str(template.code):
                raise ValidationError({"__all__": [consent_actions.changed_text(template)]})
            actions.sign_consent_online(
                request.actor,
                plan,
                template=template,
                signer_name=d["signer_name"],
                signature=d["signature"],
                language=lang,
            )
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(
                request,
                _("Thank you: your consent to %(protocol)s is signed.")
                % {"protocol": protocol_title(plan.protocol)},
            )
            return redirect("portal:home")
    classes = sorted({p.product_class for p in plan.products.all()})
    return render(
        request,
        "portal/consent_sign.html",
        {
            "form": form,
            "plan": plan,
            "title": protocol_title(plan.protocol),
            "classes": [class_label(c) for c in classes],
            "template": template,
            "doc": template.document(lang),
            "language": lang,
        },
        status=400 if form.errors else 200,
    )


@patient_view
def appointments(request):
    upcoming = access.upcoming_appointments(request.actor)
    nxt = next((a for a in upcoming if a.start > timezone.now()), None)
    return render(
        request,
        "portal/appointments.html",
        {
            "upcoming": upcoming,
            "next": nxt,
            "preparation": preparation(nxt, language()) if nxt else [],
            "safety": SAFETY(),
            "past": scheduling_access.own_past(request.actor),
            "requests": access.own_change_requests(request.actor),
        },
    )


@patient_view
@require_http_methods(["GET", "POST"])
def appointment_change(request, code):
    appointment = scheduling_access.own_appointment(request.actor, code)
    window = scheduling_access.change_window(appointment)
    initial = {"earliest": window[0], "latest": window[1]} if window else {}
    form = ChangeForm(*bound(request), initial=initial)
    if window:
        for name in ("earliest", "latest"):
            form.fields[name].widget.attrs.update(
                min=window[0].isoformat(), max=window[1].isoformat()
            )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.request_change(
                request.actor,
                appointment,
                earliest=d["earliest"],
                latest=d["latest"],
                part_of_day=d["part_of_day"],
                note=d["note"],
            )
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(
                request, _("Your request is sent. The clinic will confirm the new time.")
            )
            return redirect("portal:appointments")
    return render(
        request,
        "portal/appointment_change.html",
        {"form": form, "appointment": appointment, "window": window},
        status=400 if form.errors else 200,
    )
