from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mesoclinic.accounts.decorators import staff_view
from mesoclinic.lib.language import pick_language
from mesoclinic.lib.refusals import show_on_form
from mesoclinic.lib.titles import class_label, protocol_title
from mesoclinic.patients.access import get_patient

from . import access, actions
from .document import languages
from .forms import CheckForm, ProtocolForm, SignForm, WithdrawForm
from .validity import validity
from .versions import current_template


def _language_links() -> list[tuple[str, str]]:
    return [(code, get_language_info(code)["name_local"]) for code in languages()]


@staff_view("record_clinical")
@require_http_methods(["GET", "POST"])
def sign(request, patient):
    patient = get_patient(request.actor, patient)
    params = request.POST if request.method == "POST" else request.GET
    chooser = ProtocolForm(params if "protocol" in params else None)
    if not chooser.is_valid():
        return render(
            request,
            "consent/choose.html",
            {"form": chooser, "patient": patient},
            status=400 if chooser.errors else 200,
        )
    protocol = chooser.cleaned_data["protocol"]
    template = current_template(protocol)
    lang = pick_language(params.get("language"), languages())
    form = SignForm(
        request.POST or None,
        initial={
            "signer_name": patient.full_name,
            "product_classes": params.getlist("product_class"),  # the gate's link names them
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if request.POST.get("template") != str(template.code):
                raise ValidationError({"__all__": [actions.changed_text(template)]})
            actions.sign_consent(
                request.actor,
                patient,
                template=template,
                product_classes=d["product_classes"],
                signer_name=d["signer_name"],
                signature=d["signature"],
                typed_signature=d["typed_signature"],
                language=lang,
            )
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(
                request,
                _("Consent to %(protocol)s signed (text version %(n)s).")
                % {"protocol": protocol_title(protocol), "n": template.version},
            )
            return redirect("patients:chart", code=patient.code)
    return render(
        request,
        "consent/sign.html",
        {
            "form": form,
            "patient": patient,
            "protocol": protocol,
            "template": template,
            "doc": template.document(lang),
            "language": lang,
            "languages": _language_links(),
        },
        status=400 if form.errors else 200,
    )


@staff_view("view_clinical")
def detail(request, code):
    consent = access.get_consent(request.actor, code)
    versions = access.versions_for([consent])
    valid, reasons = validity(
        consent, consent.protocol, (), current_version=versions[consent.protocol]
    )
    return render(
        request,
        "consent/detail.html",
        {
            "consent": consent,
            "patient": consent.patient,
            "doc": consent.template.document(consent.language),
            "title": protocol_title(consent.protocol),
            "classes": [class_label(pc) for pc in consent.product_classes],
            "valid": valid,
            "reasons": reasons,
        },
    )


@staff_view("record_clinical")
@require_http_methods(["GET", "POST"])
def withdraw(request, code):
    consent = access.get_consent(request.actor, code)
    form = WithdrawForm(request.POST or None)
    if consent.withdrawn is None and request.method == "POST" and form.is_valid():
        try:
            actions.withdraw_consent(request.actor, consent, form.cleaned_data["reason"])
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("The consent is withdrawn."))
            return redirect("consent:detail", code=consent.code)
    return render(
        request,
        "consent/withdraw.html",
        {"form": form, "consent": consent, "patient": consent.patient},
        status=400 if form.errors else 200,
    )


@staff_view("view_clinical")
def check(request, patient):
    patient = get_patient(request.actor, patient)
    form = CheckForm(request.GET if "protocol" in request.GET else None)
    status = protocol = None
    if form.is_valid():
        d = form.cleaned_data
        protocol = d["protocol"]
        status = access.consent_status(request.actor, patient, d["protocol"], d["product_classes"])
    template = "consent/_status.html" if request.headers.get("HX-Request") else "consent/check.html"
    return render(
        request,
        template,
        {"form": form, "patient": patient, "status": status, "protocol": protocol},
        status=400 if form.errors else 200,
    )
