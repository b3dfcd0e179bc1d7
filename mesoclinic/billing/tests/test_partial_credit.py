"""Issue 17: partial credit notes. Some lines or part of a line's amount of an issued
invoice, several notes per invoice, VAT rounded per line, never more than is left, the
patient's balance and refunds consistent, the PDF in the patient's language."""

from decimal import Decimal

import pytest
from django.urls import reverse

from mesoclinic.billing import access, actions, credits
from mesoclinic.billing.models import Counter, Invoice
from mesoclinic.documents.tests.pdfcheck import text_of
from mesoclinic.lib.refusals import Refused
from tests.support import personas


@pytest.fixture
def invoice(frank, prices, signed):
    """INV-000001: the session 1 500.00 (VAT 250.00) and 0.05 mL of booster 20.00 (3.33)."""
    return actions.invoice_session(personas.actor(frank), signed)


def _totals(invoice):
    notes = list(invoice.credit_notes.all())
    return tuple(
        getattr(invoice, k) + sum(getattr(n, k) for n in notes) for k in ("net", "vat", "gross")
    )


def test_a_credit_note_for_one_line_leaves_the_other_billed(adam, invoice, signed):
    note = actions.credit(
        personas.actor(adam), invoice, reason="no booster used", amounts={2: 2000}
    )
    (line,) = note.lines.all()
    assert (line.net, line.vat, line.gross) == (-1667, -333, -2000)  # the line's own VAT, exactly
    assert line.credits_line.position == 2 and line.quantity == Decimal("0.050")
    assert note.number_text == "CN-000001" and note.credits == invoice
    assert [left.gross for left in credits.left_to_credit(invoice)] == [150000, 0]
    assert access.balance(signed.patient) == 150000
    # still invoiced: the session is not offered for a new invoice
    assert signed not in list(access.sessions_to_invoice(personas.actor(adam)))
    with pytest.raises(Refused, match="already has an invoice"):
        actions.invoice_session(personas.actor(adam), signed)


def test_part_of_an_amount_rounds_vat_on_the_line_and_the_last_part_takes_what_is_left(
    adam, invoice, signed
):
    act = personas.actor(adam)
    first = actions.credit(act, invoice, reason="goodwill", amounts={1: 333})
    (line,) = first.lines.all()
    # 3.33 at 20 % included: VAT 333 x 20 / 120 = 55.5 -> 56 (half up), net 277
    assert (line.net, line.vat, line.gross) == (-277, -56, -333)
    assert line.description.startswith("Part of: ") and line.unit_price == 333
    second = actions.credit(act, invoice, reason="goodwill, more", amounts={1: 333})
    assert [(x.net, x.vat) for x in second.lines.all()] == [(-277, -56)]
    # the rest of everything: each line ends at exactly zero, every total too
    last = actions.credit(act, invoice, reason="cancelled after all")
    assert [x.gross for x in last.lines.all()] == [-(150000 - 666), -2000]
    assert all((e.net, e.vat, e.gross) == (0, 0, 0) for e in credits.left_to_credit(invoice))
    assert _totals(invoice) == (0, 0, 0)
    assert access.balance(signed.patient) == 0
    assert [n.number for n in Invoice.objects.filter(kind="credit_note").order_by("number")] == [
        1,
        2,
        3,
    ]
    # wholly credited: the session may be invoiced again
    assert signed in list(access.sessions_to_invoice(act))
    with pytest.raises(Refused, match="Nothing is left"):
        actions.credit(act, invoice, reason="once more")


def test_more_than_is_left_is_refused_and_nothing_is_written(adam, invoice):
    act = personas.actor(adam)
    actions.credit(act, invoice, reason="goodwill", amounts={1: 100000})
    for amounts, message in [
        ({1: 50001}, "At most 500.00 is left"),
        ({1: 0}, "above zero"),
        ({1: -5}, "above zero"),
        ({9: 100}, "not on this invoice"),
        ({}, "at least one line"),
        ({1: 1.5}, "above zero"),
    ]:
        with pytest.raises(Refused, match=message):
            actions.credit(act, invoice, reason="again", amounts=amounts)
    assert Invoice.objects.filter(kind="credit_note").count() == 1
    assert Counter.objects.get(clinic=invoice.clinic, series="CN").last == 1  # no gap


def test_the_balance_and_refunds_follow_a_partial_credit(adam, frank, invoice, signed):
    payment = actions.take_payment(
        personas.actor(frank), signed.patient, 152000, "card", invoice=invoice
    )
    assert access.balance(signed.patient) == 0
    actions.credit(personas.actor(adam), invoice, reason="one product less", amounts={2: 2000})
    assert access.balance(signed.patient) == -2000  # in credit: the clinic owes her 20.00
    actions.refund(personas.actor(adam), payment, 2000, reason="the credit note, paid back")
    assert access.balance(signed.patient) == 0
    # a payment is never taken against a credit note
    note = invoice.credit_notes.get()
    with pytest.raises(Refused):
        actions.take_payment(personas.actor(frank), signed.patient, 100, "cash", invoice=note)


def test_a_package_is_cancelled_only_when_its_invoice_is_credited_in_full(
    adam, frank, prices, plan
):
    _vat, offer = prices
    sale = actions.sell_package(personas.actor(frank), plan, offer)
    inv = sale.invoices.get()
    actions.credit(personas.actor(adam), inv, reason="price agreed lower", amounts={1: 50000})
    sale.refresh_from_db()
    assert sale.cancelled_at is None
    actions.credit(personas.actor(adam), inv, reason="changed her mind")
    sale.refresh_from_db()
    assert sale.cancelled_at is not None


def test_the_invoice_page_credits_amounts_entered_and_shows_errors(login, adam, invoice, signed):
    page = login(adam).get(reverse("billing:invoice", args=[invoice.code]))
    assert 'name="line_1"' in page.text and 'name="line_2"' in page.text
    url = reverse("billing:credit", args=[invoice.code])
    r = login(adam).post(url, {"reason": "goodwill", "line_1": "9999,00", "part": ""})
    assert r.status_code == 400 and "At most 1500.00 is left" in r.text.replace("\u00a0", "")
    r = login(adam).post(url, {"reason": "goodwill", "line_1": "abc", "part": ""})
    assert r.status_code == 400 and "Enter an amount" in r.text
    r = login(adam).post(url, {"reason": "goodwill", "line_1": "100,00", "part": ""})
    note = Invoice.objects.get(kind="credit_note")
    assert r.status_code == 302 and note.gross == -10000
    page = login(adam).get(reverse("billing:invoice", args=[invoice.code])).text
    assert "Partly credited by" in page and "CN-000001" in page
    r = login(adam).post(url, {"reason": "cancel the rest", "all": ""})
    assert r.status_code == 302
    page = login(adam).get(reverse("billing:invoice", args=[invoice.code])).text
    assert "Cancelled by" in page and 'name="line_1"' not in page


def test_the_credit_note_pdf_is_in_the_patients_language(login, adam, invoice, signed):
    patient = signed.patient
    type(patient).objects.filter(pk=patient.pk).update(language="tr")
    invoice_tr = actions.credit(personas.actor(adam), invoice, reason="iade", amounts={2: 2000})
    assert invoice_tr.language == "tr"
    r = login(adam).get(reverse("billing:invoice_pdf", args=[invoice_tr.code]))
    text = text_of(r.content)
    assert "İade faturası CN-000001" in text and "INV-000001" in text
