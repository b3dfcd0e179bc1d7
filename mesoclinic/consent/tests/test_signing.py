import pytest
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.consent.models import Consent
from mesoclinic.consent.signature import MAX_BYTES
from mesoclinic.consent.versions import current_template
from tests.support.chart import whole_chart

from .helpers import png_data_url, use_knowledge


def form(template, **change):
    data = {
        "protocol": template.protocol,
        "template": str(template.code),
        "language": "en",
        "product_classes": ["ha-skin-booster", "vitamin-cocktail"],
        "signer_name": "Ayşe Yılmaz",
        "understood": "on",
        "signature": png_data_url(),
    }
    data.update(change)
    return {k: v for k, v in data.items() if v is not None}


def test_the_signing_page_shows_the_whole_text_and_a_signature_pad(login, nora, patient):
    client = login(nora)
    url = reverse("consent:sign", args=[patient.code])
    chooser = client.get(url)
    assert chooser.status_code == 200 and "Show the consent text" in chooser.content.decode()
    page = client.get(url, {"protocol": "face-mesolift"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Consent to treatment: Face mesolift (facial mesotherapy)" in html
    for heading in (
        "The procedure",
        "Risks",
        "Alternatives",
        "What the evidence shows",
        "Aftercare",
    ):
        assert heading in html
    assert "Stage 2, Mesolift proper" in html and "Mammucari M et al." in html
    assert "data-signature" in html and "js/signature.js" in html and "css/consent.css" in html
    assert "<script>" not in html and " onclick=" not in html and ' style="' not in html
    assert "Content-Security-Policy" in page.headers
    turkish = client.get(url, {"protocol": "face-mesolift", "language": "tr"}).content.decode()
    assert "Yüz mezolifti (yüz mezoterapisi)" in turkish and 'lang="tr"' in turkish
    assert client.get(url, {"protocol": "botox"}).status_code == 400


def test_a_patient_signs_on_screen_without_javascript(login, nora, patient):
    client = login(nora)
    template = current_template("face-mesolift")
    page = client.post(reverse("consent:sign", args=[patient.code]), form(template, language="tr"))
    assert page.status_code == 302 and page.url == reverse("patients:chart", args=[patient.code])
    consent = Consent.objects.get()
    assert consent.template == template and consent.language == "tr"
    assert consent.product_classes == ["ha-skin-booster", "vitamin-cocktail"]
    assert consent.signature.startswith("data:image/png;base64,") and not consent.typed_signature
    assert consent.witnessed_by == nora and consent.ip == "127.0.0.1"
    assert consent.signer_name == "Ayşe Yılmaz" and consent.signed_at
    event = AuditEvent.objects.get(action="sign")
    assert event.object_code == str(consent.code) and event.patient_code == patient.code
    chart = whole_chart(client, patient)  # the consent panel loads after the chart
    assert "Face mesolift (facial mesotherapy)" in chart and "Valid" in chart
    detail = client.get(reverse("consent:detail", args=[consent.code])).content.decode()
    assert 'src="data:image/png;base64,' in detail and "Yüz mezolifti" in detail
    assert AuditEvent.objects.filter(action="view", object_code=str(consent.code)).exists()


def test_a_patient_who_cannot_draw_signs_by_the_typed_name(login, alice, patient):
    client = login(alice)
    template = current_template("hair")
    data = form(template, signature="", typed_signature="on", product_classes=["vitamin-cocktail"])
    assert client.post(reverse("consent:sign", args=[patient.code]), data).status_code == 302
    consent = Consent.objects.get()
    assert consent.typed_signature and consent.signature == "" and consent.witnessed_by == alice
    detail = client.get(reverse("consent:detail", args=[consent.code])).content.decode()
    assert "Typed name" in detail


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"signature": "data:image/gif;base64,R0lGODlhAQABAAAAACw="}, "signature", "not a PNG"),
        (
            {"signature": png_data_url(fmt="JPEG").replace("image/jpeg", "image/png")},
            "signature",
            "not a PNG",
        ),
        ({"signature": "data:image/png;base64,%%%"}, "signature", "not a PNG"),
        ({"signature": png_data_url(ink=False)}, "signature", "The signature is empty"),
        ({"signature": png_data_url(size=(5000, 10))}, "signature", "unusual size"),
        ({"signature": "data:image/png;base64," + "A" * (MAX_BYTES * 2)}, "signature", "too large"),
        ({"signature": ""}, "signature", "The patient has not signed"),
        ({"typed_signature": "on"}, "typed_signature", "Clear the drawn signature"),
        ({"product_classes": None}, "product_classes", "Tick at least one product class"),
        ({"product_classes": ["botox"]}, "product_classes", "Select a valid choice"),
        ({"understood": None}, "understood", "Confirm that the patient has read the text"),
        ({"signer_name": ""}, "signer_name", "This field is required"),
    ],
)
def test_bad_input_gets_a_message_next_to_the_field_and_nothing_is_saved(
    login, nora, patient, change, field, message
):
    template = current_template("face-mesolift")
    page = login(nora).post(reverse("consent:sign", args=[patient.code]), form(template, **change))
    assert page.status_code == 400
    assert message in " ".join(page.context["form"].errors[field])
    html = page.content.decode()
    assert "Nothing has been saved" in html and message in html
    assert not Consent.objects.exists() and not AuditEvent.objects.filter(action="sign").exists()


def test_a_text_that_changed_while_the_page_was_open_is_not_signed(
    login, nora, patient, monkeypatch, edited_knowledge
):
    shown = current_template("face-mesolift")
    use_knowledge(
        monkeypatch,
        edited_knowledge,
        lambda f: f["consent.yaml"]["evidence"]["text"].update(en="New evidence statement."),
    )
    page = login(nora).post(reverse("consent:sign", args=[patient.code]), form(shown))
    assert page.status_code == 400
    html = page.content.decode()
    assert "The consent text changed while this page was open; version 2 is shown now." in html
    assert "New evidence statement." in html
    assert not Consent.objects.exists()
    current = current_template("face-mesolift")
    assert f'name="template" value="{current.code}"' in html
