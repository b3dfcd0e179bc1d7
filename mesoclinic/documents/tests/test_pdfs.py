"""Each document rendered to PDF in English and Turkish, turned into PNG pages (look at
them in artifacts/screenshots/pdf-*.png) and read back as text."""

import pytest

from mesoclinic.consent.actions import sign_consent
from mesoclinic.consent.tests.helpers import png_data_url
from mesoclinic.consent.versions import current_template
from mesoclinic.documents import access
from mesoclinic.documents.tests.pdfcheck import pages, text_of, to_png
from tests.support import personas

pytestmark = pytest.mark.django_db


def _lang(patient, lang):
    patient.language = lang
    patient.save(update_fields=["language"])


def _pdf(doc, name):
    pdf = access.pdf_of(doc)
    assert pdf.startswith(b"%PDF-")
    assert to_png(pdf, name), "pdftoppm made no page"
    return pdf, text_of(pdf)


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_consent_pdf_has_text_version_and_drawn_signature(nora, patient, plan, lang):
    consent = sign_consent(
        personas.actor(nora),
        patient,
        template=current_template("face-mesolift"),
        product_classes=["ha-skin-booster"],
        signer_name=patient.full_name,
        signature=png_data_url(),
        language=lang,
    )
    pdf, text = _pdf(access.consent(personas.actor(nora), consent.code), f"consent-{lang}")
    assert "Clinic A" in text and "+90 212 555 01 23" in text  # letterhead
    assert "Ayşe Yılmaz" in text
    body = consent.template.document(lang)
    assert body["sections"][0]["items"][0]["text"][:40] in " ".join(text.split())
    if lang == "tr":
        assert "Metin sürümü" in text and "İmza" in text
    else:
        assert "Text version" in text and "Signature" in text
    assert f"{consent.template.version}" in text
    assert b"/Subtype /Image" in pdf  # the drawn signature is in the document
    assert pages(pdf) >= 2


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_session_record_pdf(nora, patient, session, lang):
    _lang(patient, lang)
    pdf, text = _pdf(access.session(personas.actor(nora), session.code), f"session-{lang}")
    flat = " ".join(text.split())
    assert "HB-1" in text  # the lot
    assert "0.05" in text and "1" in text  # volume and depth, never localised
    assert "0,05" not in text
    assert session.signed_by.display_name in text
    if lang == "tr":
        assert "Seans kaydı" in flat and "Derinlik (mm)" in flat and "Alın" in flat
    else:
        assert "Session record" in flat and "Depth (mm)" in flat and "Forehead" in flat


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_aftercare_pdf_has_its_dates(nora, patient, plan, lot, lang):
    from tests.support import journeys

    _lang(patient, lang)
    session = journeys.signed_session(nora, plan, lot)
    sheet = session.aftercare_sheet
    pdf, text = _pdf(access.aftercare(personas.actor(nora), session.code), f"aftercare-{lang}")
    flat = " ".join(text.split())
    first = sheet.items["items"][0]
    assert first["label"] in flat
    import datetime as dt

    from mesoclinic.lib import clinicday

    until = clinicday.local(dt.datetime.fromisoformat(first["until"]), patient.clinic)
    from django.utils import formats, translation

    with translation.override(lang):  # the patient's language's own date format
        shown = formats.date_format(until, "DATETIME_FORMAT")
    assert shown in flat and until.strftime("%Y-%m-%d") not in flat
    assert ("Uyarı işaretleri" if lang == "tr" else "Warning signs") in flat


@pytest.mark.parametrize("lang", ["en", "tr"])
@pytest.mark.parametrize("audience", ["patient", "doctor"])
def test_summary_pdf(nora, patient, session, lang, audience):
    _lang(patient, lang)
    doc = access.summary(personas.actor(nora), patient.code, audience)
    pdf, text = _pdf(doc, f"summary-{audience}-{lang}")
    flat = " ".join(text.split())
    assert "HB-1" in flat
    if lang == "tr":
        assert ("başka bir hekim" if audience == "doctor" else "Tedavi özetiniz") in flat
    else:
        assert ("another doctor" if audience == "doctor" else "Your treatment summary") in flat
    assert (("Derinlik" if lang == "tr" else "Depth") in flat) == (audience == "doctor")
