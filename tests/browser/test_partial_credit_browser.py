"""Issue 17: the owner credits part of an issued invoice (one line, part of another) from
the invoice page, and the credit note and its PDF read in the page's and the patient's
language; a physician's dashboard shows the photo measures over the series beside GAIS,
and its bar opens the series behind it. English and Turkish, on a tablet.
Screenshots: artifacts/screenshots/credit-* and dashboard-outcomes-*."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mesoclinic.billing import actions
from mesoclinic.photos.actions import record_consent
from mesoclinic.photos.models import Photo
from mesoclinic.treatments.models import TreatmentSession
from tests.browser.conftest import shot
from tests.browser.test_billing_browser import _pdf_shot, billed  # noqa: F401
from tests.support import personas

pytestmark = pytest.mark.browser
WORDS = {
    "en": {"correct": "Correct with a credit note", "part": "Credit the amounts entered",
           "note": "Credit note CN-000001", "partly": "Partly credited by",
           "outcomes": "Photo measures over the series", "list": "Series and their photo measures"},
    "tr": {"correct": "İade faturasıyla düzelt", "part": "Girilen tutarları iade et",
           "note": "İade faturası CN-000001", "partly": "Kısmen iade eden",
           "outcomes": "Seri boyunca fotoğraf ölçümleri", "list": "Seriler ve fotoğraf ölçümleri"},
}  # fmt: skip


def _page(browser, live_server, lang, username):
    context = browser.new_context(
        viewport={"width": 1180, "height": 820}, locale="tr-TR" if lang == "tr" else "en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.base = live_server.url
    page.goto(page.base + "/accounts/login")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(personas.PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/home/"))
    return context, page, errors


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_the_owner_credits_part_of_an_invoice(browser, live_server, billed, adam, frank, lang):  # noqa: F811
    patient, session = billed
    if lang == "tr":
        type(patient).objects.filter(pk=patient.pk).update(language="tr")
    invoice = actions.invoice_session(personas.actor(frank), session)
    context, page, errors = _page(browser, live_server, lang, "adam")
    words = WORDS[lang]
    page.goto(page.base + f"/billing/invoices/{invoice.code}/")
    page.get_by_text(words["correct"]).click()
    page.locator("#id_line_1").fill("100,00")  # part of the session's amount
    page.locator("#id_line_2").fill("20,00")  # the whole booster line
    page.locator("#id_reason").fill("Goodwill" if lang == "en" else "İyi niyet")
    page.get_by_role("button", name=words["part"]).click()
    page.wait_for_url(re.compile(r"/billing/invoices/"))
    expect(page.get_by_role("heading", name=re.compile(words["note"]))).to_be_visible()
    shot(page, f"credit-1-partial-note-{lang}")
    _pdf_shot(page, page.url + "pdf", f"credit-2-partial-note-pdf-{lang}")
    page.goto(page.base + f"/billing/invoices/{invoice.code}/")
    expect(page.get_by_text(words["partly"])).to_be_visible()
    page.get_by_text(words["correct"]).click()
    shot(page, f"credit-3-invoice-partly-credited-{lang}")
    assert not errors, errors  # no CSP violation
    context.close()


def _measured_series(patient, nora, alice):
    """Two more signed sessions of the patient's plan, each with a measured front photo
    (pigmented area 10.0 % -> 6.5 %, erythema index 14.0 -> 11.0)."""
    plan = patient.plans.get()
    now = timezone.now()
    consent = record_consent(
        personas.actor(nora), patient, scope="patient", signer_name=patient.full_name,
        signed_on=timezone.localdate(),
    )  # fmt: skip
    done = []
    for number, days in ((2, 20), (3, 2)):
        s = TreatmentSession.objects.create(
            plan=plan, patient=patient, number=number, protocol=plan.protocol,
            started_at=now - dt.timedelta(days=days),
        )  # fmt: skip
        TreatmentSession.objects.filter(pk=s.pk).update(
            status="signed", signed_at=now - dt.timedelta(days=days), signed_by=alice
        )
        done.append(s)
    for s, area, ei in ((done[0], 10.0, 14.0), (done[1], 6.5, 11.0)):
        Photo.objects.create(
            patient=patient, consent=consent, session=s,
            taken_on=timezone.localdate(s.started_at),
            view="front", area="face", file=f"t/{s.pk}.jpg", sha256="0" * 64, width=10,
            height=10, size_bytes=1, original_format="jpeg",
            analysis={"regions": {"face": {"pigmented_area_pct": area, "erythema_index": ei,
                                           "mean_a_star": ei - 2, "ita_deg": 38.0}}},
        )  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_the_dashboard_shows_photo_outcomes_and_the_series_behind(
    browser,
    live_server,
    billed,  # noqa: F811
    nora,
    alice,
    lang,  # noqa: F811
):
    patient, _session = billed
    _measured_series(patient, nora, alice)
    context, page, errors = _page(browser, live_server, lang, "alice")
    words = WORDS[lang]
    start = (timezone.localdate() - dt.timedelta(days=60)).isoformat()
    page.goto(page.base + f"/home/dashboard?start={start}")
    section = page.locator("section[aria-labelledby=h-outcomes]")
    expect(section.get_by_text(words["outcomes"])).to_be_visible()
    expect(section.locator("svg.plot")).to_be_visible()
    section.scroll_into_view_if_needed()
    shot(page, f"dashboard-outcomes-1-{lang}")
    section.locator("svg.plot a").first.click()
    page.wait_for_url(re.compile(r"/home/dashboard/outcomes"))
    expect(page.get_by_role("heading", name=re.compile(words["list"]))).to_be_visible()
    expect(page.get_by_text("10.0 → 6.5%" if lang == "en" else "10,0 → 6,5%")).to_be_visible()
    shot(page, f"dashboard-outcomes-2-series-{lang}")
    assert not errors, errors
    context.close()
