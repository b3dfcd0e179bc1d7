"""Issue 17: the front desk invoices a signed session and takes a card payment; the invoice
PDF (rasterised for the screenshot) in English and in Turkish; the owner's dashboard in
both languages, on a tablet. Screenshots: artifacts/screenshots/billing-*."""

import datetime as dt
import re
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, shot, sign_in
from tests.support import journeys, personas

pytestmark = pytest.mark.browser


@pytest.fixture
def billed(nora, adam, frank, clinic_a, monkeypatch, django_capture_on_commit_callbacks):
    from mesoclinic.billing import actions
    from tests.support import treatments as tc
    from tests.support.products import make_lot, make_product

    act = personas.actor(nora)
    patient = personas.make_patient(act, given="Elif", family="Kaya")
    product = make_product(
        act,
        name="HA booster",
        product_class="ha-skin-booster",
        ingredients=["sodium hyaluronate"],
        patch_test_reading_minutes=30,
    )
    today = timezone.localdate()
    lot = make_lot(act, product, "HB-2026-11", expiry=today + dt.timedelta(days=300), quantity="20")
    monkeypatch.setattr(tc, "TODAY", today)
    monkeypatch.setattr(tc, "NOW", timezone.now())
    plan = journeys.ready_plan(nora, patient, product, today)
    with django_capture_on_commit_callbacks(execute=True):
        session = journeys.signed_session(nora, plan, lot)
    owner = personas.actor(adam)
    vat = actions.add_vat_rate(owner, "KDV 20", Decimal(20), default=True)
    actions.set_price(owner, "face-mesolift", "session", 150000, vat)
    actions.set_price(owner, "face-mesolift", "per_ml", 40000, vat, product=product)
    return patient, session


def _pdf_shot(page, url: str, name: str) -> None:
    response = page.request.get(url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    SHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SHOTS / f"{name}.pdf"
    pdf.write_bytes(response.body())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(SHOTS / name)], check=True
    )
    pdf.unlink()


def test_invoice_payment_and_pdf_in_both_languages(page, billed, frank):
    patient, session = billed
    sign_in(page, "frank", personas.PASSWORD)
    page.goto(page.base + f"/billing/patients/{patient.code}/")
    page.get_by_role("button", name="Issue the invoice").click()
    page.wait_for_url(re.compile(r"/billing/invoices/"))
    expect(page.get_by_role("heading", name=re.compile("Invoice INV-000001"))).to_be_visible()
    expect(page.get_by_text("1,520.00 TRY").first).to_be_visible()
    shot(page, "billing-1-invoice-en")
    _pdf_shot(page, page.url + "pdf", "billing-2-invoice-pdf-en")

    page.goto(page.base + f"/billing/patients/{patient.code}/")
    page.get_by_label("Amount").fill("1520,00")
    page.get_by_label("Method").select_option("card")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_text("settled")).to_be_visible()
    shot(page, "billing-3-account-en")

    # the patient reads Turkish: the PDF follows the patient's language
    patient.language = "tr"
    patient.save()
    from mesoclinic.billing import actions
    from mesoclinic.billing.models import Invoice

    adam = personas.make_user("owner2", patient.clinic, "clinic_admin")
    note = actions.credit(personas.actor(adam), Invoice.objects.get(), reason="Yanlış fiyat")
    again = actions.invoice_session(personas.actor(frank), session)
    assert again.language == "tr" and note.number_text == "CN-000001"
    _pdf_shot(page, page.base + f"/billing/invoices/{again.code}/pdf", "billing-4-invoice-pdf-tr")


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_the_owner_lands_on_the_dashboard(browser, live_server, billed, adam, lang):
    context = browser.new_context(
        viewport={"width": 1180, "height": 820}, locale="tr-TR" if lang == "tr" else "en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.base = live_server.url
    page.goto(page.base + "/accounts/login")
    page.locator("#id_username").fill("adam")
    page.locator("#id_password").fill(personas.PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/home/dashboard"))
    heading = "Klinik nasıl gidiyor" if lang == "tr" else "How the clinic is doing"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("svg.plot").first).to_be_visible()
    shot(page, f"billing-5-dashboard-{lang}")
    assert not errors, errors  # no CSP violation
    context.close()
