"""Invoices from the price list, credit notes, immutability, payments, refunds, balance."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from mesoclinic.billing import access, actions
from mesoclinic.billing.models import Invoice, InvoiceLine, Payment
from mesoclinic.core.models import AppendOnly
from mesoclinic.lib.refusals import Forbidden, Refused
from tests.support import personas


def test_a_signed_session_is_invoiced_from_the_price_list(frank, prices, signed):
    invoice = actions.invoice_session(personas.actor(frank), signed)
    lines = list(invoice.lines.all())
    # the session (1 500.00) and 0.05 mL of booster at 400.00/mL (20.00)
    assert [(line.unit_price, line.quantity, line.gross) for line in lines] == [
        (150000, Decimal("1.000"), 150000),
        (40000, Decimal("0.050"), 2000),
    ]
    # VAT included at 20 %, rounded per line: 250.00 and 3.33
    assert [line.vat for line in lines] == [25000, 333]
    assert (invoice.gross, invoice.vat, invoice.net) == (152000, 25333, 126667)
    assert invoice.number_text == "INV-000001" and invoice.currency == "TRY"
    assert invoice.practitioner == signed.signed_by


def test_invoice_numbers_follow_each_other_per_clinic(frank, charlie, prices, signed, plan):
    first = actions.invoice_session(personas.actor(frank), signed)
    actions.credit(
        personas.actor(personas.make_user("owner", frank.membership.clinic, "clinic_admin")),
        first,
        reason="wrong price",
    )
    second = actions.invoice_session(personas.actor(frank), signed)
    assert (first.number, second.number) == (1, 2)
    assert Invoice.objects.get(kind="credit_note").number_text == "CN-000001"


def test_a_session_is_not_invoiced_twice(frank, prices, signed):
    actions.invoice_session(personas.actor(frank), signed)
    with pytest.raises(Refused, match="already has an invoice"):
        actions.invoice_session(personas.actor(frank), signed)


def test_an_open_session_is_not_invoiced(frank, nora, prices, plan):
    from mesoclinic.treatments.actions import start_session

    session = start_session(personas.actor(nora), plan)
    with pytest.raises(Refused, match="signed-off"):
        actions.invoice_session(personas.actor(frank), session)


def test_an_issued_invoice_is_never_changed(frank, prices, signed):
    invoice = actions.invoice_session(personas.actor(frank), signed)
    invoice.gross = 1
    with pytest.raises(AppendOnly):
        invoice.save()
    with pytest.raises(AppendOnly):
        Invoice.objects.filter(pk=invoice.pk).update(gross=1)
    with pytest.raises(AppendOnly):
        InvoiceLine.objects.filter(invoice=invoice).delete()
    # and the database refuses it too, past the ORM
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as c,
    ):
        c.execute("UPDATE billing_invoice SET gross = 1 WHERE id = %s", [invoice.pk])
    invoice.refresh_from_db()
    assert invoice.gross == 152000


def test_a_credit_note_cancels_the_invoice_and_the_balance(frank, adam, prices, signed):
    invoice = actions.invoice_session(personas.actor(frank), signed)
    assert access.balance(signed.patient) == 152000
    with pytest.raises(Forbidden):
        actions.credit(personas.actor(frank), invoice, reason="wrong price")
    with pytest.raises(Refused):
        actions.credit(personas.actor(adam), invoice, reason="")
    note = actions.credit(personas.actor(adam), invoice, reason="wrong price")
    assert note.gross == -152000 and note.vat == -25333 and note.credits == invoice
    assert [line.gross for line in note.lines.all()] == [-150000, -2000]
    assert access.balance(signed.patient) == 0
    with pytest.raises(Refused, match="Nothing is left to credit"):
        actions.credit(personas.actor(adam), invoice, reason="again")
    with pytest.raises(Refused):
        actions.credit(personas.actor(adam), note, reason="credit a credit")


def test_discounts_need_the_role_and_a_reason(frank, alice, prices, signed):
    with pytest.raises(Forbidden):
        actions.invoice_session(personas.actor(frank), signed, discount=10000, discount_reason="x")
    with pytest.raises(Refused):
        actions.invoice_session(personas.actor(alice), signed, discount=10000, discount_reason="")
    invoice = actions.invoice_session(
        personas.actor(alice), signed, discount=10000, discount_reason="loyal patient"
    )
    first = invoice.lines.first()
    assert first.discount == 10000 and first.discount_reason == "loyal patient"
    assert invoice.gross == 142000


def test_payments_refunds_and_the_balance(frank, adam, prices, signed):
    invoice = actions.invoice_session(personas.actor(frank), signed)
    cash = actions.take_payment(
        personas.actor(frank), signed.patient, 100000, "cash", invoice=invoice
    )
    actions.take_payment(personas.actor(frank), signed.patient, 60000, "card", invoice=invoice)
    assert access.balance(signed.patient) == -8000  # 80.00 in credit
    with pytest.raises(Forbidden):
        actions.refund(personas.actor(frank), cash, 8000, reason="overpaid")
    with pytest.raises(Refused, match="At most"):
        actions.refund(personas.actor(adam), cash, 100001, reason="too much")
    back = actions.refund(personas.actor(adam), cash, 8000, reason="overpaid")
    assert back.method == "cash" and back.signed_amount == -8000
    assert access.balance(signed.patient) == 0
    with pytest.raises(Refused):
        actions.take_payment(personas.actor(frank), signed.patient, 0, "cash")
    with pytest.raises(Refused):
        actions.take_payment(personas.actor(frank), signed.patient, 10.5, "cash")
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(  # the database refuses a negative amount as well
            clinic=back.clinic,
            patient=back.patient,
            kind="payment",
            method="cash",
            amount=-1,
            currency="TRY",
            taken_at=back.taken_at,
        )


def test_the_daily_close_counts_takings_by_method_and_practitioner(frank, adam, prices, signed):
    from mesoclinic.lib import clinicday

    invoice = actions.invoice_session(personas.actor(frank), signed)
    cash = actions.take_payment(
        personas.actor(frank), signed.patient, 100000, "cash", invoice=invoice
    )
    actions.take_payment(personas.actor(frank), signed.patient, 52000, "card", invoice=invoice)
    actions.refund(personas.actor(adam), cash, 2000, reason="rounding goodwill")
    day = clinicday.today(frank.membership.clinic)
    close = access.daily_close(personas.actor(frank), day)
    assert dict(close["by_method"]) == {"Cash": 98000, "Card": 52000}
    assert dict(close["by_practitioner"]) == {signed.signed_by.display_name: 150000}
    assert close["total"] == 150000 and close["invoiced"] == 152000
    assert access.daily_close(personas.actor(frank), day - dt.timedelta(days=1))["total"] == 0


def test_another_clinic_sees_nothing(charlie, frank, prices, signed):
    invoice = actions.invoice_session(personas.actor(frank), signed)
    from django.http import Http404

    with pytest.raises(Http404):
        access.get_invoice(personas.actor(charlie), invoice.code)
    with pytest.raises(Refused):
        actions.take_payment(personas.actor(charlie), signed.patient, 100, "cash")
    assert access.daily_close(personas.actor(charlie), invoice.issued_at.date())["total"] == 0


def test_only_the_owner_sets_prices(frank, alice, prices):
    vat, _offer = prices
    for user in (frank, alice):
        with pytest.raises(Forbidden):
            actions.set_price(personas.actor(user), "face-mesolift", "session", 1, vat)


def test_an_invoice_of_a_session_amended_later_is_flagged(
    frank, nora, adam, prices, signed, booster, django_capture_on_commit_callbacks
):
    from mesoclinic.treatments import amendments
    from tests.support.treatments import point

    invoice = actions.invoice_session(personas.actor(frank), signed)
    assert not access.account(personas.actor(frank), signed.patient)["invoices"][0].stale
    with django_capture_on_commit_callbacks(execute=True):
        amendments.amend(
            personas.actor(nora),
            signed,
            reason="A second point was given",
            add_points=[point(booster[1], x=40.0)],
        )
    [shown] = access.account(personas.actor(frank), signed.patient)["invoices"]
    assert shown.stale  # the bill (per mL) may now be wrong: correct by credit note
    actions.credit(personas.actor(adam), invoice, reason="second point")
    again = actions.invoice_session(personas.actor(frank), signed)
    assert again.gross == 154000  # the session and 0.10 mL now
    flags = {
        i.number_text: i.stale
        for i in access.account(personas.actor(frank), signed.patient)["invoices"]
    }
    assert flags == {"INV-000001": False, "CN-000001": False, "INV-000002": False}
