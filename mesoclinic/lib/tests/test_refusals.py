"""Refusals: one exception, shown on the form, as messages, or on the refused page (the
normal layout with the reason and the right status), never a bare 403."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import translation

from mesoclinic.lib.refusals import (
    Forbidden,
    RefusalMiddleware,
    Refused,
    flash,
    permission_denied,
    show_on_form,
)
from tests.support import journeys

pytestmark = pytest.mark.django_db


class _Form(forms.Form):
    name = forms.CharField(required=False)
    ingredients_text = forms.CharField(required=False)
    refusal_fields = {"ingredients": "ingredients_text"}


def test_a_refusal_goes_beside_its_field_or_above_the_form():
    form = _Form({})
    form.is_valid()
    show_on_form(form, Refused({"name": "Too short.", "elsewhere": "Not a field here."}))
    show_on_form(form, Refused({"ingredients": "Name one."}))
    show_on_form(form, Refused(["First reason.", "Second reason."]))
    assert form.errors["name"] == ["Too short."]
    assert form.errors["ingredients_text"] == ["Name one."]
    assert form.non_field_errors() == ["Not a field here.", "First reason.", "Second reason."]


def test_a_refusal_after_a_redirect_is_one_message_per_reason():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    flash(request, Refused(["Not booked.", "Too late."]))
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [
        ("error", "Not booked."),
        ("error", "Too late."),
    ]


def test_the_front_desk_sees_why_a_clinical_page_is_refused(login, frank, patient):
    r = login(frank).get(f"/screening/patient/{patient.code}/new")
    page = r.content.decode()
    assert r.status_code == 403
    assert "Your role (Front desk) does not allow this." in page
    assert 'aria-label="Main"' in page and "Sign out" in page  # the normal staff layout
    assert "<h1" in page and "Not allowed" in page


def test_the_refusal_is_in_the_readers_language(login, frank, patient):
    client = login(frank)
    with translation.override("tr"):
        r = client.get(f"/screening/patient/{patient.code}/new", HTTP_ACCEPT_LANGUAGE="tr")
    page = r.content.decode()
    assert r.status_code == 403 and "İzin verilmiyor" in page
    assert "Rolünüz (Ön büro) buna izin vermiyor." in page


def test_a_patient_on_a_staff_page_is_refused_in_the_portal_layout(client, nora, patient):
    client.force_login(journeys.portal_user(nora, patient))
    r = client.get("/patients/")
    page = r.content.decode()
    assert r.status_code == 403
    assert "This page is for the clinic&#x27;s staff." in page
    assert 'class="portal"' in page  # the portal's layout, not the staff one


def test_staff_on_a_portal_page_are_told_it_is_for_patients(login, nora):
    r = login(nora).get("/portal/")
    assert r.status_code == 403
    assert "This page is for patients with a portal account." in r.content.decode()


def test_a_plain_permission_denied_gets_a_general_sentence(rf):
    request = rf.get("/")
    request.actor = None
    response = permission_denied(request, PermissionDenied("another clinic's alert"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "not allowed to open this page" in page and "another clinic" not in page


def test_forbidden_keeps_the_rule_for_logs_and_the_sentence_for_people():
    exc = Forbidden("Your role (Nurse) does not allow this.", "view_audit")
    assert isinstance(exc, PermissionDenied)
    assert str(exc) == "view_audit" and exc.reason.startswith("Your role")


def test_a_refusal_no_view_catches_is_the_refused_page_with_400(rf):
    request = rf.get("/", HTTP_REFERER="http://evil.example/")
    request.actor = None
    middleware = RefusalMiddleware(lambda request: None)
    response = middleware.process_exception(request, Refused("Nothing to book."))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing to book." in page and "Not possible" in page
    assert 'href="/"' in page and "evil.example" not in page  # no way back to another site
    assert middleware.process_exception(request, ValueError("x")) is None


def test_an_expired_form_is_explained_not_a_bare_403(frank, patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(frank)
    r = client.post(f"/patients/{patient.code}/edit", {})
    page = r.content.decode()
    assert r.status_code == 403
    assert "This form has expired" in page and 'aria-label="Main"' in page
