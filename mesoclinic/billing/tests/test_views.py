"""The billing pages through HTTP: who may see and do what, and what they get."""

from django.urls import reverse

from mesoclinic.billing import actions
from mesoclinic.billing.models import Invoice, Payment
from tests.support import personas


def test_the_front_desk_invoices_a_session_and_takes_a_payment(login, frank, prices, signed):
    client = login(frank)
    page = client.get(reverse("billing:account", args=[signed.patient.code]))
    assert page.status_code == 200 and "Sessions to invoice" in page.text
    r = client.post(reverse("billing:invoice_session", args=[signed.code]))
    invoice = Invoice.objects.get()
    assert r.status_code == 302 and r.url == reverse("billing:invoice", args=[invoice.code])
    r = client.post(
        reverse("billing:pay", args=[signed.patient.code]),
        {"amount": "1.520,00", "method": "card", "invoice": str(invoice.code)},
    )
    assert r.status_code == 302
    payment = Payment.objects.get()
    assert (payment.amount, payment.invoice, payment.method) == (152000, invoice, "card")
    page = client.get(reverse("billing:account", args=[signed.patient.code]))
    assert "settled" in page.text


def test_a_bad_amount_is_named_and_nothing_is_stored(login, frank, prices, signed):
    r = login(frank).post(
        reverse("billing:pay", args=[signed.patient.code]), {"amount": "lots", "method": "cash"}
    )
    assert r.status_code == 400 and "Enter an amount" in r.text
    assert not Payment.objects.exists()


def test_a_nurse_cannot_take_payments_nor_the_front_desk_refund(login, nora, frank, prices, signed):
    r = login(nora).post(
        reverse("billing:pay", args=[signed.patient.code]), {"amount": "10", "method": "cash"}
    )
    assert r.status_code == 403
    payment = actions.take_payment(personas.actor(frank), signed.patient, 1000, "cash")
    r = login(frank).post(
        reverse("billing:refund", args=[payment.code]), {"amount": "10", "reason": "because"}
    )
    assert r.status_code == 403


def test_the_invoice_pdf_is_a_pdf_in_the_patients_language(login, frank, prices, signed):
    invoice = actions.invoice_session(personas.actor(frank), signed)
    r = login(frank).get(reverse("billing:invoice_pdf", args=[invoice.code]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert 'filename="INV-000001.pdf"' in r["Content-Disposition"]


def test_the_accountant_export_lists_every_line(login, frank, adam, prices, signed):
    invoice = actions.invoice_session(personas.actor(frank), signed)
    actions.credit(personas.actor(adam), invoice, reason="=HYPERLINK(bad)")
    day = invoice.issued_at.date().isoformat()
    r = login(adam).get(reverse("billing:export"), {"start": day, "end": day})
    assert r.status_code == 200
    rows = r.content.decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + 4  # header, two lines of the invoice, two of the credit note
    assert (
        rows[1].startswith("INV-000001,Invoice") and ",1250.00,20.00,250.00,1500.00,TRY" in rows[1]
    )
    assert rows[3].startswith("CN-000001,Credit note") and ",-1500.00," in rows[3]
    r = login(adam).get(reverse("billing:export"), {"start": day, "end": "2000-01-01"})
    assert r.status_code == 400 and "start date is after" in r.text


def test_the_daily_close_prints(login, frank, prices, signed):
    actions.take_payment(personas.actor(frank), signed.patient, 5000, "cash")
    r = login(frank).get(reverse("billing:close"))
    assert r.status_code == 200 and "50.00 TRY" in r.text and "billing/billing.css" in r.text
    assert login(frank).get(reverse("billing:close"), {"day": "nonsense"}).status_code == 200


def test_prices_are_set_by_the_owner_only(login, adam, frank, prices, booster):
    page = login(adam).get(reverse("billing:prices"))
    assert page.status_code == 200 and "Set a price" in page.text
    vat, _offer = prices
    r = login(adam).post(
        reverse("billing:prices"),
        {
            "form": "price",
            "price-protocol": "face-mesolift",
            "price-kind": "session",
            "price-amount": "1600",
            "price-vat_rate": str(vat.code),
        },
    )
    assert r.status_code == 302
    r = login(frank).post(
        reverse("billing:prices"),
        {"form": "vat", "vat-name": "x", "vat-percent": "1"},
    )
    assert r.status_code == 403


def test_a_deposit_at_booking_shows_on_the_account(login, frank, adam, plan):
    import datetime as dt

    from mesoclinic.lib import clinicday
    from tests.support import journeys

    practitioner, room = journeys.scheduling_setup(adam)
    start = clinicday.aware(
        clinicday.today(frank.membership.clinic) + dt.timedelta(days=3),
        dt.time(10),
        frank.membership.clinic,
    )
    appt = journeys.book(frank, plan, start, practitioner, room)
    r = login(frank).post(
        reverse("billing:deposit", args=[appt.code]), {"amount": "500", "method": "cash"}
    )
    assert r.status_code == 302
    page = login(frank).get(reverse("billing:account", args=[plan.patient.code]))
    assert "Deposit" in page.text and "in credit" in page.text


def test_another_clinic_gets_not_found(login, charlie, frank, prices, signed):
    invoice = actions.invoice_session(personas.actor(frank), signed)
    assert login(charlie).get(reverse("billing:invoice", args=[invoice.code])).status_code == 404
    assert (
        login(charlie).get(reverse("billing:account", args=[signed.patient.code])).status_code
        == 404
    )


def test_the_owner_sets_the_currency_until_money_is_recorded(login, adam, frank, prices, signed):
    from mesoclinic.billing.models import BillingSettings

    data = {
        "form": "settings",
        "currency": "eur",
        "minor_digits": "2",
        "prices_include_vat": "on",
        "legal_name": "Clinic A Ltd",
        "tax_number": "1234567890",
        "address": "Istanbul",
    }
    assert login(adam).post(reverse("billing:prices"), data).status_code == 302
    billing = BillingSettings.objects.get(clinic=adam.membership.clinic)
    assert (billing.currency, billing.legal_name) == ("EUR", "Clinic A Ltd")
    r = login(adam).post(reverse("billing:prices"), {**data, "currency": "E1"})
    assert r.status_code == 400 and "three-letter currency code" in r.text
    invoice = actions.invoice_session(personas.actor(frank), signed)
    assert invoice.currency == "EUR" and invoice.seller["tax_number"] == "1234567890"
    r = login(adam).post(reverse("billing:prices"), {**data, "currency": "USD"})
    assert r.status_code == 400 and "cannot change once invoices" in r.text
    assert BillingSettings.objects.get(pk=billing.pk).currency == "EUR"


def test_the_chart_loads_the_account_panel_after_itself(login, nora, frank, prices, signed):
    from django.urls import reverse as r

    chart = login(nora).get(r("patients:chart", args=[signed.patient.code]))
    assert r("billing:panel", args=[signed.patient.code]) in chart.text
    actions.take_payment(personas.actor(frank), signed.patient, 5000, "cash")
    panel = login(nora).get(r("billing:panel", args=[signed.patient.code]))
    assert panel.status_code == 200 and "-50.00 TRY" in panel.text
