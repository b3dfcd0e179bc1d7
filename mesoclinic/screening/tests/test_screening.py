"""Screening through the pages, with the named personas."""

import datetime as dt

import pytest
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.engine.knowledge import load
from mesoclinic.screening import access
from mesoclinic.screening.actions import Refused, override_review
from mesoclinic.screening.models import ScreeningOverride, ScreeningRecord
from tests.support import personas

from .conftest import TODAY

REASON = "Asked the patient in person: not pregnant, last period two weeks ago."


def new_url(patient):
    return reverse("screening:new", args=[patient.code])


def test_a_nurse_screens_and_sees_every_reason_and_source(login, nora, patient):
    personas.make_intake(personas.actor(nora), patient, allergies=["Lidocaine"])
    client = login(nora)
    form = client.get(new_url(patient), {"protocol": "face-mesolift"})
    assert form.status_code == 200
    body = form.content.decode()
    assert "Face mesolift" in body and 'value="2026-12-01"' in body and "version 1" in body
    page = client.post(
        new_url(patient),
        {
            "protocol": "face-mesolift",
            "planned_date": "2026-12-01",
            "products": "Cocktail A: hyaluronic acid, lidocaine\n\nVit C: ascorbic acid",
        },
    )
    screening = ScreeningRecord.objects.get()
    assert page.status_code == 302 and page.url == reverse(
        "screening:detail", args=[screening.code]
    )
    k = load()
    assert screening.knowledge_version == k.version == screening.result["knowledge_version"]
    assert screening.decision == "contraindicated" == screening.result["decision"]
    assert screening.intake == patient.intakes.get() and screening.created_by == nora
    assert screening.products == [
        {"name": "Cocktail A", "ingredients": ["hyaluronic acid", "lidocaine"]},
        {"name": "Vit C", "ingredients": ["ascorbic acid"]},
    ]
    assert AuditEvent.objects.filter(
        action="create", object_code=str(screening.code), patient_code=patient.code
    ).exists()
    body = client.get(page.url).content.decode()
    finding = screening.result["findings"][0]
    assert finding["reason"] in body and "Allergy to Lidocaine" in finding["reason"]
    assert "restylane.com" in body and k.version in body
    assert "badge-contraindicated" in body and "Current: valid today" in body
    assert "Record the override" not in body  # a contraindication is never overridden
    assert AuditEvent.objects.filter(action="view", object_code=str(screening.code)).exists()


def test_without_any_intake_every_question_is_unanswered(login, nora, patient):
    client = login(nora)
    assert (
        "No medical history has been recorded yet" in client.get(new_url(patient)).content.decode()
    )
    client.post(new_url(patient), {"protocol": "hands", "planned_date": "2026-12-01"})
    screening = ScreeningRecord.objects.get()
    assert screening.decision == "review" and screening.intake is None
    facts = {f for finding in screening.findings for f in finding["facts"]}
    assert "pregnant" in facts and "birth_date" not in facts  # the age comes from demographics
    body = client.get(reverse("screening:detail", args=[screening.code])).content.decode()
    assert "Screened without a medical history" in body and "Only a physician can override" in body


def test_the_result_is_stored_in_the_screeners_language(nora, patient, screen_as):
    from django.utils import translation

    from mesoclinic.lib.language import language
    from mesoclinic.lib.titles import protocol_title

    personas.make_intake(personas.actor(nora), patient, pregnant=...)
    screening = screen_as(nora, patient, lang="tr")
    assert screening.language == "tr"
    assert screening.findings[0]["reason"].startswith("Yanıtlanmadı")
    with translation.override("tr"):
        assert protocol_title("face-mesolift", language(), load()).startswith("Yüz mezolifti")
    assert protocol_title("retired-protocol", "en", load()) == "retired-protocol"


def test_a_physician_overrides_a_review_with_a_written_reason(
    login, nora, alice, patient, screen_as
):
    personas.make_intake(personas.actor(nora), patient, pregnant=...)
    screening = screen_as(nora, patient)
    assert screening.decision == "review"
    client = login(alice)
    detail = reverse("screening:detail", args=[screening.code])
    url = reverse("screening:override", args=[screening.code])
    body = client.get(detail).content.decode()
    assert "Record the override" in body and "Are you pregnant" in body and "“Eligible”" in body
    short = client.post(url, {"reason": "  ok   "})
    assert short.status_code == 400 and "at least 10 characters" in short.content.decode()
    assert not ScreeningOverride.objects.exists()
    assert client.post(url, {"reason": REASON}).url == detail
    override = ScreeningOverride.objects.get()
    assert override.physician == alice and override.reason == REASON
    assert override.covers == ["unanswered-pregnant"] and override.decision == "eligible"
    screening = ScreeningRecord.objects.get()
    assert screening.decision == "review" and access.effective_decision(screening) == "eligible"
    event = AuditEvent.objects.get(action="override")
    assert event.object_code == str(override.code) and event.patient_code == patient.code
    assert REASON not in str(event.detail)  # clinical text stays out of the audit log
    body = client.get(detail).content.decode()
    assert REASON in body and "Alice" in body and "badge-eligible" in body
    assert "a physician overrode the review" in body and "Record the override" not in body
    again = client.post(url, {"reason": REASON})
    assert again.status_code == 400 and "already been overridden" in again.content.decode()
    assert ScreeningOverride.objects.count() == 1


def test_an_override_keeps_a_deferral(nora, alice, patient, screen_as):
    recent = (TODAY - dt.timedelta(days=2)).isoformat()
    personas.make_intake(personas.actor(nora), patient, pregnant=..., last_aspirin_or_nsaid=recent)
    screening = screen_as(nora, patient)
    assert screening.decision == "review" and screening.defer_until == dt.date(2026, 12, 13)
    override = override_review(personas.actor(alice), screening, REASON)
    assert override.decision == "defer"
    screening = ScreeningRecord.objects.get()
    assert access.effective_decision(screening) == "defer"


def test_a_nurse_cannot_override(login, nora, patient, screen_as):
    screening = screen_as(nora, patient)
    client = login(nora)
    url = reverse("screening:override", args=[screening.code])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": REASON}).status_code == 403
    with pytest.raises(Exception, match="override_screening"):
        override_review(personas.actor(nora), screening, REASON)
    assert not ScreeningOverride.objects.exists()


def test_a_contraindication_cannot_be_overridden(login, nora, alice, patient, screen_as):
    personas.make_intake(personas.actor(nora), patient, pregnant=True)
    screening = screen_as(nora, patient)
    assert screening.decision == "contraindicated"
    page = login(alice).post(
        reverse("screening:override", args=[screening.code]), {"reason": REASON}
    )
    assert page.status_code == 400 and "can never be overridden" in page.content.decode()
    with pytest.raises(Refused, match="never be overridden"):
        override_review(personas.actor(alice), screening, REASON)
    assert not ScreeningOverride.objects.exists()


def test_an_eligible_screening_has_nothing_to_override(nora, alice, patient, screen_as):
    personas.make_intake(personas.actor(nora), patient)
    screening = screen_as(nora, patient)
    assert screening.decision == "eligible"
    with pytest.raises(Refused, match="asks for a physician's review"):
        override_review(personas.actor(alice), screening, REASON)


def _urls(patient, screening):
    return [
        ("get", new_url(patient)),
        ("post", new_url(patient)),
        ("get", reverse("screening:detail", args=[screening.code])),
        ("get", reverse("screening:override", args=[screening.code])),
        ("post", reverse("screening:override", args=[screening.code])),
    ]


@pytest.mark.parametrize("persona", ["frank", "adam"])
def test_front_desk_and_admin_get_403_on_every_screening_page(
    request, login, nora, patient, screen_as, persona
):
    screening = screen_as(nora, patient)
    client = login(request.getfixturevalue(persona))
    for method, url in _urls(patient, screening):
        data = {"reason": REASON, "protocol": "hands", "planned_date": "2026-12-01"}
        page = getattr(client, method)(url, data) if method == "post" else client.get(url)
        assert page.status_code == 403, url
    chart = client.get(reverse("patients:chart", args=[patient.code])).content.decode()
    assert "Screenings" not in chart and "Face mesolift" not in chart
    assert ScreeningRecord.objects.count() == 1 and not ScreeningOverride.objects.exists()


def test_another_clinic_gets_404_on_every_screening_url(login, nora, charlie, patient, screen_as):
    personas.make_intake(personas.actor(nora), patient, pregnant=...)
    screening = screen_as(nora, patient)
    client = login(charlie)
    for method, url in _urls(patient, screening):
        data = {"reason": REASON, "protocol": "hands", "planned_date": "2026-12-01"}
        page = getattr(client, method)(url, data) if method == "post" else client.get(url)
        assert page.status_code == 404, url
    act = personas.actor(charlie)
    with pytest.raises(Exception, match="no such"):
        access.screenings_for(act, patient)
    with pytest.raises(Exception, match="no such"):
        override_review(act, screening, REASON)
    assert ScreeningRecord.objects.count() == 1 and not ScreeningOverride.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("products", "Serum without colon", "Line 1: write the product as"),
        ("products", "Good: caffeine\nSerum X:  , ", "Line 2: list the ingredients of Serum X"),
        ("products", "Serum X: caffeine;", "give one base after the semicolon"),
        ("products", "A: caffeine\na : biotin", "Line 2: a is listed twice."),
        ("products", "A: " + "x" * 101, "longer than 100 characters"),
        ("products", "\n".join(f"P{i}: caffeine" for i in range(21)), "at most 20 products"),
        ("planned_date", "2026-11-30", "The planned date has passed"),
        ("planned_date", "2028-01-01", "more than a year ahead"),
        ("planned_date", "tomorrow", "Enter a valid date"),
        ("protocol", "", "This field is required"),
        ("protocol", "botox", "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_message_next_to_the_field_and_nothing_is_saved(
    login, nora, patient, field, value, message
):
    data = {"protocol": "face-mesolift", "planned_date": "2026-12-01", "products": ""}
    data[field] = value
    page = login(nora).post(new_url(patient), data)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert page.context["form"].errors[field]
    assert "Nothing has been saved" in page.content.decode()
    assert not ScreeningRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="create", object_type="ScreeningRecord").exists()


def test_a_product_base_is_parsed_and_screened(login, nora, patient):
    personas.make_intake(personas.actor(nora), patient)
    client = login(nora)
    client.post(
        new_url(patient),
        {
            "protocol": "body-cellulite",
            "planned_date": "2026-12-02",
            "products": "S: caffeine; oil",
        },
    )
    screening = ScreeningRecord.objects.get()
    assert screening.products == [{"name": "S", "ingredients": ["caffeine"], "vehicle": "oil"}]
    assert "refused-vehicle" in [f["rule"] for f in screening.findings]
    body = client.get(reverse("screening:detail", args=[screening.code])).content.decode()
    assert "base: oil" in body and "Not current yet" in body


def test_products_are_picked_from_the_catalogue_never_retyped(login, nora, patient):
    from tests.support.products import make_product

    act = personas.actor(nora)
    personas.make_intake(act, patient)
    booster = make_product(act, name="HA booster", ingredients=["sodium hyaluronate"])
    make_product(act, name="Vitamin mix", product_class="vitamin-cocktail", ingredients=["biotin"])
    client = login(nora)
    # the gate's "fix this" link names the plan's products: they come ticked
    page = client.get(
        new_url(patient), {"protocol": "face-mesolift", "products": str(booster.code)}
    )
    body = page.content.decode()
    assert "Vitamin mix" in body
    picked = page.context["form"]["catalogue"].value()
    assert [getattr(p, "pk", p) for p in picked] == [booster.pk]
    answer = client.post(
        new_url(patient),
        {
            "protocol": "face-mesolift",
            "planned_date": "2026-12-01",
            "catalogue": [str(booster.pk)],
            "products": "Serum X: caffeine",
        },
    )
    assert answer.status_code == 302
    screening = ScreeningRecord.objects.get()
    assert screening.products == [
        {"name": "HA booster", "ingredients": ["sodium hyaluronate"], "vehicle": "aqueous"},
        {"name": "Serum X", "ingredients": ["caffeine"]},
    ]
    twice = client.post(
        new_url(patient),
        {
            "protocol": "face-mesolift",
            "planned_date": "2026-12-01",
            "catalogue": [str(booster.pk)],
            "products": "HA booster: sodium hyaluronate",
        },
    )
    assert twice.status_code == 400
    assert "already ticked" in twice.context["form"].errors["products"][0]
    assert ScreeningRecord.objects.count() == 1
