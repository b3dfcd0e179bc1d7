"""The ready-to-treat gate in the browser, in English and Turkish: each unsafe case is
refused with a reason and a "fix this" link that opens its form already filled.

- session 2 on the day of session 1 (start refused; the link books the plan);
- an open urgent side effect (the link opens the event to record its outcome);
- points from a recalled lot (a warning on the session page; sign-off needs a physician's
  note; the signed table marks those points);
- a patch test entered by mistake is voided; the gate's patch link picks the product;
- a plan with no products, starting in 2099, is refused next to its fields.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.browser.test_charting_browser import use_language
from tests.support import personas
from tests.support.treatments import point, seal_lifted

WORDS = {  # a few words of each refusal, in the page's language
    "en": {
        "interval": "at least 14 days after session 1",
        "side": "still open",
        "recall": "from a recalled lot",
        "note": "write what was done",
        "recalled": "recalled",
        "voided": "voided by",
        "products": "a plan needs one",
        "year": "more than a year ahead",
    },
    "tr": {
        "interval": "en az 14 gün sonra",
        "side": "hâlâ açık",
        "recall": "geri çağrılan bir lottan",
        "note": "hastaya söylenenleri yazın",
        "recalled": "geri çağrıldı",
        "voided": "geçersiz sayıldı",
        "products": "en az bir ürünü olmalı",
        "year": "bir yıldan daha ileride",
    },
}


@pytest.fixture
def clinic_day(nora, clinic_a, monkeypatch):
    """A booster in the catalogue with a lot, and the support helpers on the real clock."""
    from tests.support import treatments as tc
    from tests.support.products import make_lot, make_product

    act = personas.actor(nora)
    product = make_product(
        act,
        name="HA booster",
        product_class="ha-skin-booster",
        ingredients=["sodium hyaluronate"],
        patch_test_reading_minutes=30,
    )
    today = timezone.localdate()
    lot = make_lot(act, product, "HB-77", expiry=today + dt.timedelta(days=300), quantity="20")
    monkeypatch.setattr(tc, "TODAY", today)
    monkeypatch.setattr(tc, "NOW", timezone.now())
    return product, lot, today


def new_plan(nora, product, given):
    from mesoclinic.patients.actions import register_patient
    from tests.support import journeys
    from tests.support import treatments as tc

    patient = register_patient(
        personas.actor(nora),
        {"given_name": given, "family_name": "Aksoy", "birth_date": dt.date(1986, 5, 4)},
    )
    return journeys.ready_plan(nora, patient, product, tc.TODAY)


def signed_first(nora, plan, lot, days_ago=0):
    from mesoclinic.treatments.models import TreatmentSession
    from tests.support import journeys

    session = journeys.signed_session(nora, plan, lot)
    if days_ago:
        earlier = timezone.now() - dt.timedelta(days=days_ago)
        with seal_lifted(session):
            TreatmentSession.objects.filter(pk=session.pk).update(
                started_at=earlier, signed_at=earlier
            )
    return session


def gate_line(page, words: str):
    return page.locator("ul.gate li.missing", has_text=words)


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_the_gate_refuses_unsafe_sessions(page, clinic_day, nora, alice, lang):
    from mesoclinic.followup.actions import report_side_effect
    from mesoclinic.products.actions import recall_lot
    from mesoclinic.treatments.actions import add_point, start_session

    product, lot, today = clinic_day
    w = WORDS[lang]
    sign_in(page, "nora", personas.PASSWORD)
    use_language(page, lang)

    # 1. session 2 on the day of session 1: the gate says when, and links to the booking
    same_day = new_plan(nora, product, "Deniz")
    signed_first(nora, same_day, lot)
    page.goto(page.base + f"/treatments/plans/{same_day.code}/")
    line = gate_line(page, w["interval"])
    expect(line).to_be_visible()
    expect(line.locator("a")).to_have_attribute("href", f"/scheduling/plans/{same_day.code}/book")
    shot(page, f"gate-01-same-day-{lang}")
    page.locator(f"form[action$='/plans/{same_day.code}/start'] button").click()
    expect(page.locator(".messages .msg-error")).to_contain_text(w["interval"])
    assert same_day.sessions.count() == 1
    shot(page, f"gate-02-same-day-refused-{lang}")

    # 2. an urgent side effect of session 1 still open: blocks, links to the event
    hurt = new_plan(nora, product, "Sena")
    first = signed_first(nora, hurt, lot, days_ago=15)
    event = report_side_effect(
        personas.actor(nora), first, symptoms=["pus"], severity="moderate", fever=True
    )
    page.goto(page.base + f"/treatments/plans/{hurt.code}/")
    line = gate_line(page, w["side"])
    expect(line).to_be_visible()
    shot(page, f"gate-03-urgent-side-effect-{lang}")
    line.locator("a").click()
    expect(page).to_have_url(re.compile(f"/followup/events/{event.code}/"))
    shot(page, f"gate-04-fix-opens-the-event-{lang}")

    # 3. a lot recalled while the session is open: warned, a physician signs with a note
    open_plan = new_plan(nora, product, "Ece")
    session = start_session(personas.actor(nora), open_plan)
    add_point(personas.actor(nora), session, point(lot))
    recall_lot(personas.actor(alice), lot, "Sterility failure reported by the maker")
    page.goto(page.base + f"/treatments/sessions/{session.code}/")
    expect(page.locator("#recall-warning")).to_contain_text(w["recall"])
    shot(page, f"gate-05-recall-warning-{lang}")
    page.context.clear_cookies()
    sign_in(page, "alice", personas.PASSWORD)
    use_language(page, lang)
    page.goto(page.base + f"/treatments/sessions/{session.code}/")
    page.locator(f"form[action$='/sessions/{session.code}/sign'] button").click()
    expect(page.locator(".messages .msg-error")).to_contain_text(w["note"])
    session.refresh_from_db()
    assert not session.is_signed
    page.locator("#id_recall_note").fill("Told the patient; day-2 and week-1 calls booked.")
    page.locator(f"form[action$='/sessions/{session.code}/sign'] button").click()
    expect(page.locator(".messages .msg-success")).to_be_visible()
    session.refresh_from_db()
    assert session.is_signed and session.signed_record["recall_acknowledged"]
    expect(page.locator("table.points tr.recalled .badge")).to_have_text(w["recalled"])
    shot(page, f"gate-06-recall-signed-table-{lang}")


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_catalogue_links_voids_and_dates(page, clinic_day, nora, lang):
    from mesoclinic.patchtests.models import PatchTest

    product, lot, today = clinic_day
    w = WORDS[lang]
    plan = new_plan(nora, product, "Ada")
    patient = plan.patient
    sign_in(page, "nora", personas.PASSWORD)
    use_language(page, lang)

    # a patch test entered by mistake: voided with a reason, it no longer clears or blocks
    page.goto(page.base + f"/patients/{patient.code}/")
    page.locator("a[href$='/void']").first.click()
    page.locator("[name=reason]").fill("Entered for the wrong product by mistake.")
    page.locator("main form button.danger").click()
    expect(page.locator(".messages .msg-success")).to_be_visible()
    expect(page.locator("li.voided").first).to_contain_text(w["voided"])
    shot(page, f"gate-07-patch-test-voided-{lang}")
    assert PatchTest.objects.get(patient=patient).is_voided

    # the gate now misses the patch test: its link opens the form with the product picked
    page.goto(page.base + f"/treatments/plans/{plan.code}/")
    line = page.locator("ul.gate li.missing", has=page.locator("a[href*='/patch-tests/']"))
    expect(line).to_be_visible()
    shot(page, f"gate-08-patch-test-missing-{lang}")
    line.locator("a").click()
    expect(page.locator("[name=product]")).to_have_value(str(product.pk))
    expect(page.locator("[name=reading_time]")).to_have_count(0)  # the catalogue's, not typed
    shot(page, f"gate-09-patch-test-form-filled-{lang}")

    # screening from the catalogue, ticked from the plan; the plan form refuses bad input
    page.goto(page.base + f"/screening/patient/{patient.code}/new?products={product.code}")
    expect(page.locator(f"[name=catalogue][value='{product.pk}']")).to_be_checked()
    shot(page, f"gate-10-screening-from-catalogue-{lang}")
    page.goto(
        page.base + f"/treatments/patients/{patient.code}/plan/new?screening={plan.screening.code}"
    )
    page.locator("[name=products]").uncheck()
    page.locator("[name=start_date]").fill("2099-01-01")
    page.locator("form.card button[type=submit]").click()
    expect(page.locator("form.card")).to_contain_text(w["products"])
    expect(page.locator("form.card")).to_contain_text(w["year"])
    shot(page, f"gate-11-plan-refused-{lang}")
